package io.vigil.ledger;

import io.vigil.AuditLog;
import io.vigil.AuditReceipt;
import io.vigil.PipelineOptions;
import io.vigil.ledger.checkpoint.SigningKey;
import io.vigil.ledger.internal.store.FileStore;
import io.vigil.ledger.tck.SampleEvents;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;

/**
 * The process {@link CrashRecoveryTest} kills. It writes audit events into a file ledger through an
 * {@link AuditLog} and a {@link LedgerSink} as fast as it can, until it is killed, and prints one line
 * {@code ACK <seq> <hash>} to stdout, flushed, for every receipt that completed: each line is a promise that the
 * entry is durable. Nothing else goes to stdout (logging is sent to stderr).
 *
 * <p>Arguments: the ledger directory, a file holding the signing key, a seed for the pauses between records.
 */
public final class CrashRecoveryChild {
    static final String ORIGIN = "example.com/audit/crash";

    private CrashRecoveryChild() {
    }

    /** The options of the crash ledger: small segments and frequent checkpoints, so a kill can land in either. */
    static LedgerOptions options(SigningKey key) {
        return LedgerOptions.defaults(ORIGIN).withSigningKey(key).withCheckpoints(1_000, Duration.ofHours(1))
                .withSegmentBytes(64 * 1024);
    }

    public static void main(String[] args) throws Exception {
        // stdout carries the ACK protocol only; logback's console appender binds System.out when it starts
        PrintStream acks = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        System.setOut(System.err);

        Path dir = Path.of(args[0]);
        SigningKey key = SigningKey.parse(Files.readString(Path.of(args[1])).trim());
        Random rnd = new Random(Long.parseLong(args[2]));

        FileStore store = FileStore.open(dir, options(key));
        AuditLog log = AuditLog.builder().sink("ledger", new LedgerSink(store)).selfAudit(false)
                .pipeline(PipelineOptions.DEFAULT.withShutdownHook(false).withQueueCapacity(8_192).withBatchSize(256))
                .build();

        // Receipts complete on the log's writer thread; print them from another in record order.
        BlockingQueue<CompletableFuture<AuditReceipt>> pending = new ArrayBlockingQueue<>(4_096);
        Thread printer = new Thread(() -> {
            try {
                while (true) {
                    AuditReceipt r = pending.take().join();
                    acks.println("ACK " + r.seq().getAsLong() + " " + r.hash().orElseThrow());
                    acks.flush();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "acks");
        printer.setDaemon(true);
        printer.start();

        for (long n = 0; ; n++) {
            pending.put(log.record(SampleEvents.loginFailure(n)));
            if (rnd.nextInt(500) == 0) {
                Thread.sleep(1); // vary batch sizes, so the kill meets batches of every size
            }
        }
    }
}
