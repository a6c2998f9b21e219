package io.vigil.ledger;

import ch.qos.logback.classic.Level;
import io.vigil.AuditLog;
import io.vigil.AuditReceipt;
import io.vigil.AuditStats;
import io.vigil.OverflowPolicy;
import io.vigil.PipelineOptions;
import io.vigil.RetryPolicy;
import io.vigil.event.AuditEvent;
import io.vigil.json.CanonicalBuffer;
import io.vigil.ledger.checkpoint.SigningKey;
import io.vigil.ledger.internal.EntryCodec;
import io.vigil.ledger.internal.store.FileStore;
import io.vigil.ledger.tck.EntryLines;
import io.vigil.ledger.tck.SampleEvents;
import io.vigil.ledger.testsupport.FaultyDisk;
import io.vigil.ledger.testsupport.LogCapture;
import io.vigil.ledger.testsupport.SegmentFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The ledger on a disk that runs full ({@link FaultyDisk}: the store's segment, index and checkpoint files are
 * opened through a channel that stops taking bytes when a shared budget is spent; no size-limited file system can
 * be mounted here). A full disk must be visible (logs, counters, failed receipts), must never leave a partial or
 * duplicated entry, and writing must resume with the next seq once space returns.
 *
 * <p>The Merkle tree's files are opened by the node store itself, not through the store's channel opener, so these
 * tests cannot fill the disk under them.
 */
class DiskFaultTest {
    private static final String ORIGIN = "example.com/audit/disk";
    private static final PipelineOptions PIPELINE = PipelineOptions.DEFAULT.withShutdownHook(false)
            .withOverflow(OverflowPolicy.BLOCK)
            .withRetry(new RetryPolicy(3, Duration.ofMillis(5), Duration.ofMillis(20)));

    @TempDir
    Path temp;
    private final SigningKey key = SigningKey.generate("disk.example.com");
    private final FaultyDisk disk = new FaultyDisk();

    private Path ledger() {
        return temp.resolve("ledger");
    }

    /** Small segments (a batch may have to start a new one on the full disk) and frequent checkpoints. */
    private LedgerOptions options(long checkpointEvery) {
        return LedgerOptions.defaults(ORIGIN).withSigningKey(key).withCheckpoints(checkpointEvery, Duration.ofHours(1))
                .withSegmentBytes(16 * 1024);
    }

    private static AuditLog auditLog(FileStore store) {
        return AuditLog.builder().sink("ledger", new LedgerSink(store)).selfAudit(false).pipeline(PIPELINE).build();
    }

    @Test
    void aFullDiskFailsWritesVisiblyLeavesNoPartialEntryAndWritingResumesWithoutAGap() throws Exception {
        FileStore store = FileStore.open(ledger(), options(50), disk.opener());
        List<CompletableFuture<AuditReceipt>> refused;
        try (LogCapture logs = LogCapture.of("io.vigil"); AuditLog log = auditLog(store)) {
            assertThat(seqs(recordAndWait(log, 0, 100))).containsExactlyElementsOf(range(0, 100));

            disk.fill(300); // less than one entry (~400 bytes): every batch gets a short write, then ENOSPC
            refused = record(log, 100, 20);
            CompletableFuture.allOf(refused.toArray(CompletableFuture[]::new)).handle((v, t) -> null)
                    .get(30, TimeUnit.SECONDS);

            // visible: every receipt failed with the cause, the counters moved, the log says which ledger and why
            assertThat(refused).allSatisfy(f -> assertThat(catchThrowable(f::join))
                    .hasRootCauseMessage(FaultyDisk.ENOSPC));
            AuditStats stats = log.stats();
            assertThat(stats.failed()).isEqualTo(20);
            assertThat(stats.sinkRetries()).isPositive();
            assertThat(logs.messagesAtLeast(Level.WARN)).anySatisfy(m -> assertThat(m)
                    .contains(ledger().toString(), FaultyDisk.ENOSPC));
            assertThat(logs.messagesAtLeast(Level.ERROR)).anySatisfy(m -> assertThat(m)
                    .contains("NOT written", "ledger", FaultyDisk.ENOSPC));

            // no corrupt state: only the 100 entries, every line complete
            assertThat(SegmentFiles.load(ledger()).lines()).hasSize(100);
            assertThat(endsInsideALine(SegmentFiles.lastSegment(ledger()))).isFalse();

            disk.refill();
            assertThat(seqs(recordAndWait(log, 120, 50))).as("the next seqs, no gap")
                    .containsExactlyElementsOf(range(100, 150));
        }
        try (LogCapture logs = LogCapture.of("io.vigil.ledger");
             FileStore reopened = FileStore.open(ledger(), options(50))) {
            assertThat(reopened.size()).isEqualTo(150);
            assertThat(logs.messagesAtLeast(Level.ERROR)).as("nothing to recover").isEmpty();
        }
        assertThat(eventNumbers()).as("the refused events 100..119 are not in the ledger")
                .containsExactlyElementsOf(concat(range(0, 100), range(120, 170)));
        assertIntact(150);
    }

    /**
     * The entry fits, then the checkpoint due after it does not. The entry is durable at that point, so the append
     * must succeed (a failure would make the pipeline write the entry again) and the checkpoint follows later.
     */
    @Test
    void aFullDiskWhenACheckpointIsDueDoesNotFailTheDurableEntry() throws Exception {
        FileStore store = FileStore.open(ledger(), options(5), disk.opener());
        try (AuditLog log = auditLog(store)) {
            recordAndWait(log, 0, 4);
            disk.fill(lineLength(store, SampleEvents.loginFailure(4))); // exactly the entry, nothing for the checkpoint
            AuditReceipt fifth = log.record(SampleEvents.loginFailure(4)).get(30, TimeUnit.SECONDS);
            assertThat(disk.refusedWrites()).as("the full disk hit the checkpoint")
                    .containsExactly("checkpoints.jsonl");
            assertThat(fifth.seq()).hasValue(4);
            disk.refill();
            assertThat(seqs(recordAndWait(log, 5, 10))).containsExactlyElementsOf(range(5, 15));
        }
        assertThat(eventNumbers()).as("each event once").containsExactlyElementsOf(range(0, 15));
        try (FileStore reopened = FileStore.open(ledger(), options(5))) {
            assertThat(reopened.checkpoints()).last().extracting(c -> c.checkpoint().size()).isEqualTo(15L);
        }
        assertIntact(15);
    }

    /**
     * As above, but the disk fills in the middle of the checkpoint line: part of it reaches the file. That fragment
     * must not survive to corrupt the checkpoint file (the next checkpoint would be appended to it).
     */
    @Test
    void aCheckpointCutShortByAFullDiskLeavesNoBrokenCheckpointLine() throws Exception {
        FileStore store = FileStore.open(ledger(), options(5), disk.opener());
        try (AuditLog log = auditLog(store)) {
            recordAndWait(log, 0, 4);
            disk.fill(lineLength(store, SampleEvents.loginFailure(4)) + 100); // the entry and 100 bytes of checkpoint
            log.record(SampleEvents.loginFailure(4)).get(30, TimeUnit.SECONDS);
            assertThat(disk.refusedWrites()).containsExactly("checkpoints.jsonl");
            disk.refill();
            recordAndWait(log, 5, 10);
        }
        assertThat(Files.readAllLines(ledger().resolve("checkpoints.jsonl")))
                .as("every checkpoint line is a whole JSON object")
                .allSatisfy(l -> assertThat(l).startsWith("{\"size\":").endsWith("}").containsOnlyOnce("{\"size\":"));
        try (FileStore reopened = FileStore.open(ledger(), options(5))) {
            assertThat(reopened.size()).isEqualTo(15);
        }
        assertIntact(15);
    }

    /**
     * Every 1024th seq also writes an index record after the entry is durable. A full disk there must neither fail
     * the durable entry nor, through the pipeline's retry, write it twice.
     */
    @Test
    void aFullDiskAtAnIndexPointNeitherFailsNorDuplicatesTheDurableEntry() throws Exception {
        FileStore store = FileStore.open(ledger(), options(10_000), disk.opener());
        for (int n = 0; n < 1_024; n += 256) {
            store.append(SampleEvents.loginFailures(n, 256));
        }
        try (AuditLog log = auditLog(store)) {
            disk.fill(lineLength(store, SampleEvents.loginFailure(1_024))); // the entry fits, its index record does not
            AuditReceipt receipt = log.record(SampleEvents.loginFailure(1_024)).get(30, TimeUnit.SECONDS);
            assertThat(disk.refusedWrites()).as("the full disk hit the index").containsExactly("index.bin");
            disk.refill();
            recordAndWait(log, 1_025, 20);
            assertThat(receipt.seq()).hasValue(1_024);
        }
        assertThat(eventNumbers()).as("each event exactly once, in order")
                .containsExactlyElementsOf(range(0, 1_045));
        try (FileStore reopened = FileStore.open(ledger(), options(10_000))) {
            assertThat(EntryLines.seq(reopened.line(1_030))).isEqualTo(1_030);
        }
        assertIntact(1_045);
    }

    /**
     * The service stops while the disk is full: closing cannot write its final checkpoint, or writes only part of it.
     * After a restart with space, the ledger must open and verify, with every entry.
     */
    @Test
    void aLedgerClosedOnAFullDiskOpensAndVerifiesOnceThereIsSpace() throws Exception {
        FileStore store = FileStore.open(ledger(), options(10_000), disk.opener());
        store.append(SampleEvents.loginFailures(0, 120));
        disk.fill(100); // a part of the final checkpoint's line
        catchThrowable(store::close); // may report the failed checkpoint; the entries are durable either way
        assertThat(disk.refusedWrites()).containsExactly("checkpoints.jsonl");

        try (FileStore reopened = FileStore.open(ledger(), options(10_000))) {
            assertThat(reopened.size()).isEqualTo(120);
        }
        assertIntact(120);
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    private static List<CompletableFuture<AuditReceipt>> record(AuditLog log, long from, int count) {
        List<CompletableFuture<AuditReceipt>> out = new ArrayList<>();
        for (long n = from; n < from + count; n++) {
            out.add(log.record(SampleEvents.loginFailure(n)));
        }
        return out;
    }

    private static List<AuditReceipt> recordAndWait(AuditLog log, long from, int count) throws Exception {
        List<CompletableFuture<AuditReceipt>> pending = record(log, from, count);
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        return pending.stream().map(CompletableFuture::join).toList();
    }

    private static List<Long> seqs(List<AuditReceipt> receipts) {
        return receipts.stream().map(r -> r.seq().orElse(-1)).toList();
    }

    private static List<Long> range(long from, long to) {
        return LongStream.range(from, to).boxed().toList();
    }

    private static List<Long> concat(List<Long> a, List<Long> b) {
        List<Long> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    /** Bytes of the line {@code event} gets as the store's next entry (ledger format v1 via the store's codec). */
    private static long lineLength(FileStore store, AuditEvent event) throws IOException {
        CanonicalBuffer line = new CanonicalBuffer(1024);
        new EntryCodec(List.of()).encode(event, store.size(), store.entryHash(store.size() - 1).hex(), line);
        return line.length();
    }

    /** details.n (the test's event number) of every entry line, in file order, read from the segment files. */
    private List<Long> eventNumbers() throws IOException {
        return SegmentFiles.load(ledger()).lines().stream()
                .map(l -> Long.parseLong(EntryLines.value(EntryLines.value(l, "details"), "n"))).toList();
    }

    private void assertIntact(long entries) throws IOException {
        VerificationReport report = LedgerVerifier.of(ledger()).key(key.verifierKey()).verify();
        assertThat(report.reason()).as("verification").isEmpty();
        assertThat(report.entries()).isEqualTo(entries);
    }

    private static boolean endsInsideALine(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        return bytes.length > 0 && bytes[bytes.length - 1] != '\n';
    }
}
