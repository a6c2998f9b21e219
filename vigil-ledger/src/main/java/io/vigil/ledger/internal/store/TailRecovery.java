package io.vigil.ledger.internal.store;

import io.vigil.event.Actor;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventCatalog;
import io.vigil.event.EventIds;
import io.vigil.internal.PrivateFiles;
import io.vigil.ledger.FileLayout;
import io.vigil.ledger.internal.EntryCodec;
import io.vigil.ledger.internal.LineReader;
import io.vigil.ledger.internal.LineScanner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Crash recovery of a file ledger's entries, before its store appends again: scans the last segment, cuts the
 * unfinished tail a crash can leave (a torn line, or damaged lines with nothing valid after them and no checkpoint
 * over them) and says where the chain ends. What a signed checkpoint covers, and a damaged line followed by good
 * ones, is never cut: that is tampering or media damage, kept as evidence for the verifier.
 */
final class TailRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(TailRecovery.class);

    /**
     * Where the entries end after recovery.
     *
     * @param size            the number of entries
     * @param lastHash        hash(size - 1), or the genesis prevHash of an empty ledger
     * @param segmentEnd      the byte length of the last segment, where the next line goes
     * @param lastIndexPoints the sparse index records of the last segment ({seq, first seq of segment, offset})
     * @param cut             what was cut, when anything was
     */
    record Tail(long size, String lastHash, long segmentEnd, List<long[]> lastIndexPoints, Optional<Cut> cut) {
    }

    /**
     * An unfinished tail that was cut.
     *
     * @param bytes         how many bytes
     * @param why           what was wrong with them
     * @param lastIntactSeq the last entry kept
     * @param segment       the segment file's name
     */
    record Cut(long bytes, String why, long lastIntactSeq, String segment) {

        /** The {@code audit.ledger.recovered} entry that records the cut in the ledger itself. */
        AuditEvent event(Clock clock) {
            return AuditEvent.builder(EventCatalog.AUDIT_LEDGER_RECOVERED)
                    .id(EventIds.next(clock.millis())).timestamp(clock.instant())
                    .actor(Actor.system()).reason("unfinished tail cut after a crash: " + why)
                    .detail("cutBytes", bytes).detail("lastIntactSeq", lastIntactSeq)
                    .detail("segment", segment)
                    .build();
        }
    }

    private final Path dir;
    private final FileLayout layout;
    private final EntryCodec codec;
    private final String origin;

    TailRecovery(Path dir, EntryCodec codec, String origin) {
        this.dir = dir;
        this.layout = FileLayout.of(dir);
        this.codec = codec;
        this.origin = origin;
    }

    /**
     * Recovers the last of {@code segmentFirstSeqs} (creating it when the ledger has none yet), never cutting below
     * {@code checkpointedSize} entries.
     *
     * @throws IOException when the last entry is damaged and cannot be cut, or the files cannot be read or cut
     */
    Tail recover(List<Long> segmentFirstSeqs, long checkpointedSize) throws IOException {
        long first = segmentFirstSeqs.get(segmentFirstSeqs.size() - 1);
        Path last = PrivateFiles.file(layout.segment(first));
        // A crash can only leave an unfinished tail: bytes after the last newline, or (on file systems that persist
        // a write out of order) damaged lines with nothing valid after them.
        long count = 0;
        long validEnd = 0;      // end offset of the last valid line
        long lastLineEnd = 0;   // end offset of the last complete line
        String tailHash = null;
        long tailSeq = first - 1;
        long validCount = 0;
        String problem = null;
        long firstBadSeq = -1;
        List<long[]> indexPoints = new ArrayList<>();
        long torn;
        try (LineReader r = new LineReader(last, 0)) {
            while (r.next()) {
                long expected = first + count;
                LineScanner s = LineScanner.scan(r.buffer(), r.lineStart(), r.lineEnd());
                String bad = null;
                if (s.error() != null) {
                    bad = s.error();
                } else if (s.seq() != expected) {
                    bad = "seq " + s.seq() + " where " + expected + " belongs";
                } else {
                    byte[] h = codec.hashOfLine(s.seq(), r.buffer(), r.lineStart(), r.lineEnd(), s.hashMemberStart(),
                            s.hashMemberEnd());
                    if (!s.hashEquals(EntryCodec.hexBytes(h))) {
                        bad = "the stored hash of seq " + s.seq() + " does not match its content";
                    }
                }
                if (bad == null) {
                    if (expected % FileStore.INDEX_EVERY == 0) {
                        indexPoints.add(new long[] {expected, first, r.lineOffset()});
                    }
                    tailHash = s.hash();
                    tailSeq = expected;
                    validEnd = r.nextOffset();
                    validCount = count + 1;
                } else if (firstBadSeq < 0) {
                    firstBadSeq = expected;
                    problem = bad;
                }
                lastLineEnd = r.nextOffset();
                count++;
            }
            torn = r.tornBytes();
        }
        long cutAt = lastLineEnd; // always cut a torn fragment
        String cutWhy = torn > 0 ? torn + " byte(s) of an unfinished line" : null;
        if (firstBadSeq >= 0) {
            boolean onlyTailIsBad = firstBadSeq == first + validCount; // nothing valid after the first bad line
            if (onlyTailIsBad && firstBadSeq >= checkpointedSize) {
                cutAt = validEnd;
                count = validCount;
                cutWhy = problem + (cutWhy == null ? "" : "; and " + cutWhy);
            } else {
                LOG.error("LEDGER DAMAGED: {} seq {} ({}) is not valid but is followed by valid entries or covered by a"
                        + " signed checkpoint; it is kept as evidence. Run `vigil verify` on this ledger", dir,
                        firstBadSeq, problem);
                if (tailSeq != first + count - 1) {
                    throw new IOException("ledger " + dir + ": the last entry of " + last.getFileName()
                            + " is damaged too (seq " + (first + count - 1) + "); refusing to append after it");
                }
            }
        }
        long cut = Files.size(last) - cutAt;
        long size = first + count;
        Optional<Cut> done = Optional.empty();
        if (cut > 0) {
            try (FileChannel c = FileChannel.open(last, StandardOpenOption.WRITE)) {
                c.truncate(cutAt);
                c.force(true);
            }
            LOG.error("LEDGER RECOVERED: {} cut {} byte(s) after seq {} in {} ({}); entries up to seq {} are intact",
                    dir, cut, size - 1, last.getFileName(), cutWhy, size - 1);
            done = Optional.of(new Cut(cut, cutWhy, size - 1, last.getFileName().toString()));
        }
        String lastHash = tailHash != null ? tailHash
                : size == 0 ? EntryCodec.genesis(origin) : lastHashOfSegment(segmentFirstSeqs, segmentFirstSeqs.size() - 2);
        if (checkpointedSize > size) {
            LOG.error("ledger {}: the latest checkpoint covers {} entries but only {} are present: entries were lost"
                    + " or removed; `vigil verify` will report it", dir, checkpointedSize, size);
        }
        return new Tail(size, lastHash, cutAt, indexPoints, done);
    }

    /** The hash of the last line of a complete segment: where the chain stands when the last segment is empty. */
    private String lastHashOfSegment(List<Long> segmentFirstSeqs, int segmentIndex) throws IOException {
        if (segmentIndex < 0) {
            return EntryCodec.genesis(origin);
        }
        Path segment = layout.segment(segmentFirstSeqs.get(segmentIndex));
        String h = null;
        try (LineReader r = new LineReader(segment, 0)) {
            while (r.next()) {
                h = LineScanner.scan(r.buffer(), r.lineStart(), r.lineEnd()).hash();
            }
        }
        if (h == null) {
            throw new IOException("segment " + segment + " is empty but is not the last one");
        }
        return h;
    }
}
