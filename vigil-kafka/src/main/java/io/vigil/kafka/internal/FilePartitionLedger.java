package io.vigil.kafka.internal;

import io.vigil.event.AuditEvent;
import io.vigil.json.CanonicalBuffer;
import io.vigil.json.EventJson;
import io.vigil.ledger.FileLedger;
import io.vigil.ledger.LedgerOptions;
import io.vigil.ledger.LedgerStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A partition's file ledger, {@code DIR/TOPIC-P/}, beside its offset file {@code DIR/TOPIC-P.offset}, its lock file
 * {@code DIR/TOPIC-P.lock} and its dead letters {@code DIR/TOPIC-P.rejected.jsonl}.
 *
 * <p>A ledger entry cannot hold a Kafka offset, so the offset lives in the offset file: {@code next} (the first record
 * not in the ledger) and {@code seqAfter} (the ledger's size once those records were in), written after each durable
 * append by temp file, fsync, atomic rename and fsync of the directory. A crash between the append and that write
 * leaves entries past {@code seqAfter} whose records lie at or after {@code next}; on opening, the ids of those
 * entries are collected and the records with those ids, read again from {@code next}, are skipped instead of
 * appended twice. Event ids are unique per event (a UUID each), so this makes the append exactly once.
 *
 * <p>Ownership: an exclusive {@link FileLock} on the lock file, held from assignment to revocation, keeps out every
 * other sequencer process (and, through {@link OverlappingFileLockException}, any other one in this JVM). A sequencer
 * that was assigned the partition but finds the lock taken waits until the previous owner, which must notice its
 * loss at its next poll, lets go; then it reads the offset file, which includes everything the previous owner wrote.
 * The owner epoch in the offset file counts takeovers, for the operator.
 */
final class FilePartitionLedger implements PartitionLedger {
    private static final Logger LOG = LoggerFactory.getLogger(FilePartitionLedger.class);
    private static final Set<String> LINE_EXTRAS = Set.of("seq", "prevHash", "hash");

    private final String name;
    private final Path offsetFile;
    private final Path rejectedFile;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final LedgerStore store;
    private final long epoch;
    private final Set<UUID> appendedAfterOffset;
    private long next;

    private FilePartitionLedger(String name, Path offsetFile, Path rejectedFile, FileChannel lockChannel,
                                FileLock lock, LedgerStore store, long epoch, Set<UUID> appendedAfterOffset,
                                long next) {
        this.name = name;
        this.offsetFile = offsetFile;
        this.rejectedFile = rejectedFile;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.store = store;
        this.epoch = epoch;
        this.appendedAfterOffset = appendedAfterOffset;
        this.next = next;
    }

    /** The stored offset: the next record to read, the ledger's size once it was stored, the owner epoch. */
    record Stored(long next, long seqAfter, long epoch) {
        static Stored read(Path file) throws IOException {
            if (!Files.exists(file)) {
                return new Stored(0, 0, 0);
            }
            long n = -1;
            long s = -1;
            long e = -1;
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] kv = line.split("=", 2);
                if (kv.length == 2) {
                    try {
                        switch (kv[0].trim()) {
                            case "next" -> n = Long.parseLong(kv[1].trim());
                            case "seqAfter" -> s = Long.parseLong(kv[1].trim());
                            case "epoch" -> e = Long.parseLong(kv[1].trim());
                            default -> { }
                        }
                    } catch (NumberFormatException bad) {
                        throw new IOException(file + ": not a number in '" + line + "'", bad);
                    }
                }
            }
            if (n < 0 || s < 0 || e < 0) {
                throw new IOException(file + ": an offset file needs next=, seqAfter= and epoch=");
            }
            return new Stored(n, s, e);
        }

        void write(Path file) throws IOException {
            byte[] text = ("next=" + next + "\nseqAfter=" + seqAfter + "\nepoch=" + epoch + "\n")
                    .getBytes(StandardCharsets.UTF_8);
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(ByteBuffer.wrap(text));
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException(file + ": the file system cannot rename atomically", e);
            }
            forceDirectory(file.getParent());
        }
    }

    /**
     * Takes the partition's ledger over, creating it when missing; empty when another sequencer still holds it.
     *
     * @throws IOException when the ledger or its files cannot be read or written
     */
    static Optional<PartitionLedger> tryOpen(Path dir, String topic, int partition, LedgerOptions options)
            throws IOException {
        Files.createDirectories(dir);
        String name = topic + "-" + partition;
        FileChannel ch = FileChannel.open(dir.resolve(name + ".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // another sequencer in this JVM holds it
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        if (lock == null) {
            ch.close();
            return Optional.empty();
        }
        LedgerStore store = null;
        try {
            Path offsetFile = dir.resolve(name + ".offset");
            Stored stored = Stored.read(offsetFile);
            store = FileLedger.open(dir.resolve(name), options);
            Set<UUID> after = new HashSet<>();
            long size = store.size();
            for (long seq = Math.min(stored.seqAfter(), size); seq < size; seq++) {
                after.add(EventJson.parseLine(store.line(seq), LINE_EXTRAS).event().id());
            }
            if (size < stored.seqAfter()) {
                throw new IOException(offsetFile + " says the ledger had " + stored.seqAfter() + " entries, but "
                        + dir.resolve(name) + " has " + size);
            }
            Stored mine = new Stored(stored.next(), stored.seqAfter(), stored.epoch() + 1);
            mine.write(offsetFile);
            if (!after.isEmpty()) {
                LOG.info("partition {}: {} entries are past the stored offset {} (a crash before it was stored);"
                        + " their records are skipped when read again", name, after.size(), stored.next());
            }
            return Optional.of(new FilePartitionLedger(name, offsetFile, dir.resolve(name + ".rejected.jsonl"), ch,
                    lock, store, mine.epoch(), after, stored.next()));
        } catch (IOException | RuntimeException e) {
            if (store != null) {
                try {
                    store.close();
                } catch (IOException again) {
                    e.addSuppressed(again);
                }
            }
            ch.close(); // releases the lock
            throw e;
        }
    }

    @Override
    public long nextOffset() {
        return next;
    }

    @Override
    public boolean alreadyAppended(UUID id) {
        return !appendedAfterOffset.isEmpty() && appendedAfterOffset.remove(id);
    }

    @Override
    public void append(List<AuditEvent> events, List<Rejected> rejected, long nextOffset) throws IOException {
        if (!lock.isValid()) {
            throw new FencedException("partition " + name + ": the lock is gone");
        }
        // Dead letters first: after a crash before the offset is stored they are written again, never lost.
        if (!rejected.isEmpty()) {
            writeRejected(rejected);
        }
        if (!events.isEmpty()) {
            store.append(events);
        }
        new Stored(nextOffset, store.size(), epoch).write(offsetFile);
        next = nextOffset;
    }

    private void writeRejected(List<Rejected> rejected) throws IOException {
        CanonicalBuffer out = new CanonicalBuffer(256 * rejected.size());
        Base64.Encoder b64 = Base64.getEncoder();
        for (Rejected r : rejected) {
            out.appendAscii("{\"offset\":").appendLong(r.offset())
                    .appendAscii(",\"line\":").appendLong(r.line())
                    .appendAscii(",\"key\":").appendString(b64.encodeToString(r.key()))
                    .appendAscii(",\"value\":").appendString(b64.encodeToString(r.value()))
                    .appendAscii(",\"reason\":").appendString(r.reason())
                    .appendAscii("}\n");
        }
        try (FileChannel ch = FileChannel.open(rejectedFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ByteBuffer buf = ByteBuffer.wrap(out.array(), 0, out.length());
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
    }

    @Override
    public List<UUID> lastIds(int count) throws IOException {
        long size = store.size();
        List<UUID> ids = new ArrayList<>();
        for (long seq = Math.max(0, size - count); seq < size; seq++) {
            ids.add(EventJson.parseLine(store.line(seq), LINE_EXTRAS).event().id());
        }
        return ids;
    }

    @Override
    public long size() {
        return store.size();
    }

    @Override
    public void close() throws IOException {
        try {
            store.close();
        } finally {
            lockChannel.close(); // releases the lock
        }
    }

    private static void forceDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some file systems cannot open a directory for fsync; the rename is then as durable as they make it.
            LOG.debug("cannot fsync directory {}: {}", dir, e.toString());
        }
    }
}
