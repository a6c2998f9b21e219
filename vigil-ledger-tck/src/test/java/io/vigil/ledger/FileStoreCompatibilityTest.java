package io.vigil.ledger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.ledger.checkpoint.SignedCheckpoint;
import io.vigil.ledger.checkpoint.VerifierKey;
import io.vigil.ledger.checkpoint.Witness;
import io.vigil.ledger.internal.store.FileStore;
import io.vigil.ledger.tck.EntryLines;
import io.vigil.ledger.tck.LedgerStoreTamperingMatrix;
import io.vigil.ledger.testsupport.SegmentFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The file store against the compatibility kit. Tampering edits the segment files' lines directly, the way someone
 * with write access to the ledger directory would; {@code tree/}, {@code index.bin} and {@code checkpoints.jsonl}
 * are left alone (the tree and index are derived data the verifier does not trust, and the checkpoints cannot be
 * re-signed without the key).
 */
class FileStoreCompatibilityTest extends LedgerStoreTamperingMatrix {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path temp;
    private int snapshots;

    private Path ledger() {
        return temp.resolve("ledger");
    }

    @Override
    protected LedgerStore open(String origin, LedgerOptions options) throws IOException {
        assertThat(options.origin()).isEqualTo(origin);
        return FileStore.open(ledger(), options);
    }

    @Override
    protected LedgerReader openReader() throws IOException {
        return FileLedger.openReader(ledger());
    }

    @Override
    protected VerificationReport verify(VerifierKey key) throws IOException {
        return LedgerVerifier.of(ledger()).key(key).verify();
    }

    @Override
    protected VerificationReport verify(VerifierKey key, Witness witness) throws IOException {
        return LedgerVerifier.of(ledger()).key(key).witness(witness).verify();
    }

    @Override
    protected List<Long> segmentStarts() throws IOException {
        return SegmentFiles.load(ledger()).firstSeqs().stream().filter(s -> s > 0).toList();
    }

    @Override
    protected void changeOneByte(long seq) throws IOException {
        SegmentFiles files = SegmentFiles.load(ledger());
        String line = files.line(seq);
        // a letter or digit in the middle of the event id: flipping its lowest bit keeps it printable, the JSON valid
        EntryLines.Member id = EntryLines.member(line, "id");
        int at = (id.valueStart() + id.end()) / 2;
        while (!Character.isLetterOrDigit(line.charAt(at))) {
            at++;
        }
        char flipped = (char) (line.charAt(at) ^ 1);
        files.setLine(seq, line.substring(0, at) + flipped + line.substring(at + 1));
        files.save();
    }

    @Override
    protected void changeField(long seq, String field, String newJsonValue) throws IOException {
        SegmentFiles files = SegmentFiles.load(ledger());
        files.setLine(seq, EntryLines.withValue(files.line(seq), field, newJsonValue));
        files.save();
    }

    @Override
    protected void deleteEntry(long seq) throws IOException {
        SegmentFiles files = SegmentFiles.load(ledger());
        files.remove(seq);
        files.save();
    }

    @Override
    protected void insertEntryAfter(long seq, String line) throws IOException {
        SegmentFiles files = SegmentFiles.load(ledger());
        files.insertAfter(seq, line);
        files.save();
    }

    @Override
    protected void swapEntries(long a, long b) throws IOException {
        SegmentFiles files = SegmentFiles.load(ledger());
        String lineA = files.line(a);
        files.setLine(a, files.line(b));
        files.setLine(b, lineA);
        files.save();
    }

    @Override
    protected void cutTailFrom(long seq) throws IOException {
        SegmentFiles files = SegmentFiles.load(ledger());
        files.cutFrom(seq);
        files.save();
    }

    @Override
    protected void rewriteFrom(long seq, UnaryOperator<String> change) throws IOException {
        SegmentFiles files = SegmentFiles.load(ledger());
        String prev = seq == 0 ? EntryLines.genesis(ORIGIN) : EntryLines.hash(files.line(seq - 1));
        long size = files.lines().size();
        for (long s = seq; s < size; s++) {
            String line = s == seq ? change.apply(files.line(s)) : files.line(s);
            line = EntryLines.rehash(EntryLines.withValue(line, "prevHash", EntryLines.quote(prev)));
            files.setLine(s, line);
            prev = EntryLines.hash(line);
        }
        files.save();
    }

    @Override
    protected void replaceCheckpoint(long size, SignedCheckpoint forged) throws IOException {
        Path file = FileLayout.of(ledger()).checkpoints();
        List<String> lines = new ArrayList<>();
        boolean found = false;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            ObjectNode rec = (ObjectNode) JSON.readTree(line);
            if (rec.path("size").asLong() == size) {
                rec.put("root", forged.checkpoint().root().hex());
                rec.put("note", forged.encode());
                found = true;
            }
            lines.add(JSON.writeValueAsString(rec));
        }
        assertThat(found).as("a checkpoint of size %d", size).isTrue();
        Files.write(file, lines, StandardCharsets.UTF_8);
    }

    /** A copy of the whole ledger directory. */
    private record DirectoryCopy(Path dir) implements Snapshot {
    }

    @Override
    protected Snapshot snapshot() throws IOException {
        Path copy = temp.resolve("snapshot-" + snapshots++);
        copyTree(ledger(), copy);
        return new DirectoryCopy(copy);
    }

    @Override
    protected void rollbackTo(Snapshot snapshot) throws IOException {
        deleteTree(ledger());
        copyTree(((DirectoryCopy) snapshot).dir(), ledger());
    }

    /** The tamper tests' segment-boundary cases only mean something if the kit's ledger spans several segments. */
    @Test
    void theKitsLedgerSpansManySegments() throws IOException {
        write(LEDGER_SIZE);
        assertThat(segmentStarts()).hasSizeGreaterThan(5);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
