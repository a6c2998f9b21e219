package io.vigil.ledger.tck;

import io.vigil.ledger.Hash;
import io.vigil.ledger.LedgerStore;
import io.vigil.ledger.VerificationReport;
import io.vigil.ledger.checkpoint.Checkpoint;
import io.vigil.ledger.checkpoint.SignedCheckpoint;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The same tampering, at the same places, through every store's verifier, with the exact first bad seq and the exact
 * message each must report: one verification core means one answer, whatever holds the entries. Each hook strikes at
 * the first entry, inside the ledger, on both sides of a segment boundary (stores with segments) and at the last
 * entry; the checkpoints are attacked with a forged signature and with a validly signed root that is not the
 * entries'.
 *
 * <p>A store's test extends this class (which extends {@link LedgerStoreCompatibilityKit}) and implements
 * {@link #replaceCheckpoint} besides the kit's hooks.
 */
public abstract class LedgerStoreTamperingMatrix extends LedgerStoreCompatibilityKit {

    /** Where a case of the matrix strikes. */
    protected enum Place {
        FIRST_ENTRY,
        INSIDE,
        LAST_BEFORE_A_SEGMENT_BOUNDARY,
        FIRST_AFTER_A_SEGMENT_BOUNDARY,
        /** The last entry, or for cases that touch two neighbours, the one before it. */
        END
    }

    /**
     * Replaces the stored checkpoint of size {@code size} (its root and signed note) with {@code forged}, as someone
     * with write access to the storage would.
     */
    protected abstract void replaceCheckpoint(long size, SignedCheckpoint forged) throws IOException;

    // ---- entries -------------------------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Place.class)
    void aChangedByte(Place place) throws IOException {
        write(LEDGER_SIZE);
        long k = seqAt(place, 0);
        changeOneByte(k);
        assertReport(k, "the content of seq " + k + " does not match its hash: the entry was changed");
    }

    @ParameterizedTest
    @EnumSource(Place.class)
    void aChangedField(Place place) throws IOException {
        write(LEDGER_SIZE);
        long k = seqAt(place, 0);
        changeField(k, "outcome", "\"success\"");
        assertReport(k, "the content of seq " + k + " does not match its hash: the entry was changed");
    }

    @ParameterizedTest
    @EnumSource(Place.class)
    void aChangedPrevHash(Place place) throws IOException {
        write(LEDGER_SIZE);
        long k = seqAt(place, 0);
        changeField(k, "prevHash", EntryLines.quote("f".repeat(64)));
        String link = k == 0 ? "the genesis value of the origin" : "the hash of seq " + (k - 1);
        assertReport(k, "the prevHash of seq " + k + " does not match " + link
                + ": an entry before it was removed, inserted or changed");
    }

    @ParameterizedTest
    @EnumSource(Place.class)
    void aDeletedEntry(Place place) throws IOException {
        write(LEDGER_SIZE);
        List<Long> sizes = checkpointSizes();
        long k = seqAt(place, 0);
        deleteEntry(k);
        if (k == LEDGER_SIZE - 1) {
            assertReport(k, tailCut(sizes, k));
        } else {
            assertReport(k, "seq " + k + " is missing or out of place: the next entry holds seq " + (k + 1)
                    + " (entries removed or reordered)");
        }
    }

    @ParameterizedTest
    @EnumSource(Place.class)
    void aForgedEntryInserted(Place place) throws IOException {
        write(LEDGER_SIZE);
        long k = seqAt(place, 1);
        String forged = EntryLines.rehash(EntryLines.withValue(storedLine(k + 1), "outcome", "\"success\""));
        insertEntryAfter(k, forged);
        assertReport(k + 1, "two different entries claim seq " + (k + 1) + ": an entry was inserted");
    }

    @ParameterizedTest
    @EnumSource(Place.class)
    void aReplayedEntryInserted(Place place) throws IOException {
        write(LEDGER_SIZE);
        long k = seqAt(place, 1);
        insertEntryAfter(k, storedLine(k / 2));
        assertReport(k + 1, "seq " + (k / 2) + " appears again where seq " + (k + 1)
                + " belongs (an entry was inserted or replayed)");
    }

    @ParameterizedTest
    @EnumSource(Place.class)
    void swappedNeighbours(Place place) throws IOException {
        write(LEDGER_SIZE);
        long k = seqAt(place, 1);
        swapEntries(k, k + 1);
        assertReport(k, "seq " + k + " is missing or out of place: the next entry holds seq " + (k + 1)
                + " (entries removed or reordered)");
    }

    @ParameterizedTest
    @EnumSource(Place.class)
    void aCutTail(Place place) throws IOException {
        write(LEDGER_SIZE);
        List<Long> sizes = checkpointSizes();
        long k = seqAt(place, 0);
        cutTailFrom(k);
        assertReport(k, tailCut(sizes, k));
    }

    @ParameterizedTest
    @EnumSource(Place.class)
    void aRewriteThatReChains(Place place) throws IOException {
        write(LEDGER_SIZE);
        List<Long> sizes = checkpointSizes();
        long k = seqAt(place, 0);
        rewriteFrom(k, line -> EntryLines.withValue(line, "outcome", "\"success\""));
        int index = firstCovering(sizes, k);
        assertReport(k, "the Merkle root of the first " + sizes.get(index) + " entries differs from signed checkpoint "
                + (index + 1) + ": entries from seq " + k + " were rewritten (and re-chained) after the checkpoint"
                + " was signed");
    }

    // ---- checkpoints ---------------------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(value = Place.class, names = {"FIRST_ENTRY", "INSIDE", "END"})
    void aForgedCheckpointSignature(Place place) throws IOException {
        write(LEDGER_SIZE);
        List<SignedCheckpoint> checkpoints = storedCheckpoints();
        int index = checkpointAt(place, checkpoints.size());
        SignedCheckpoint original = checkpoints.get(index);
        String note = original.encode();
        // one base64 digit of the signature changed: the same signer's name and key ID, a signature that is not valid
        int at = note.lastIndexOf(' ') + 20;
        String forgedNote = note.substring(0, at) + (note.charAt(at) == 'A' ? 'B' : 'A') + note.substring(at + 1);
        replaceCheckpoint(original.checkpoint().size(), SignedCheckpoint.parse(forgedNote));
        long size = original.checkpoint().size();
        String signer = signingKey.verifierKey().name();
        assertReport(size, "checkpoint " + (index + 1) + " (size " + size + ") is not validly signed by " + signer
                + ": checkpoint " + original.checkpoint() + " has an invalid signature by key " + signer + "+"
                + signingKey.verifierKey().keyIdHex()
                + ": the body or the signature was altered, or it was signed by a different key with the same name"
                + " and ID");
    }

    @ParameterizedTest
    @EnumSource(value = Place.class, names = {"FIRST_ENTRY", "INSIDE", "END"})
    void aSignedCheckpointWhoseRootIsNotTheEntries(Place place) throws IOException {
        write(LEDGER_SIZE);
        List<SignedCheckpoint> checkpoints = storedCheckpoints();
        int index = checkpointAt(place, checkpoints.size());
        Checkpoint original = checkpoints.get(index).checkpoint();
        Hash other = Hash.fromHex(EntryLines.hash(storedLine(0)));
        SignedCheckpoint wrongRoot = SignedCheckpoint.sign(new Checkpoint(original.origin(), original.size(), other),
                signingKey);
        replaceCheckpoint(original.size(), wrongRoot);
        // every entry and stored leaf agree, so the rewrite is dated from the last checkpoint that held
        long from = index == 0 ? 0 : checkpoints.get(index - 1).checkpoint().size();
        assertReport(from, "the Merkle root of the first " + original.size() + " entries differs from signed checkpoint "
                + (index + 1) + ": entries from seq " + from + " were rewritten (and re-chained) after the checkpoint"
                + " was signed");
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    /**
     * The seq a case strikes at {@code place}; {@code neighbours} more entries after it must exist (and, inside a
     * segment, stay inside it). Segment places are skipped for stores without segments.
     */
    private long seqAt(Place place, int neighbours) throws IOException {
        switch (place) {
            case FIRST_ENTRY:
                return seqAt(Where.FIRST_ENTRY);
            case INSIDE:
                return seqAt(Where.INSIDE_A_SEGMENT);
            case LAST_BEFORE_A_SEGMENT_BOUNDARY:
                return seqAt(Where.LAST_OF_A_SEGMENT);
            case FIRST_AFTER_A_SEGMENT_BOUNDARY:
                return seqAt(Where.FIRST_OF_A_SEGMENT);
            case END:
                return LEDGER_SIZE - 1 - neighbours;
            default:
                throw new AssertionError(place);
        }
    }

    /** The first, a middle or the last checkpoint; segment places do not apply to checkpoints. */
    private static int checkpointAt(Place place, int count) {
        assumeTrue(count >= 3, "the ledger has at least three checkpoints");
        return place == Place.FIRST_ENTRY ? 0 : place == Place.END ? count - 1 : count / 2;
    }

    private List<SignedCheckpoint> storedCheckpoints() throws IOException {
        try (LedgerStore store = open(ORIGIN, options())) {
            return store.checkpoints();
        }
    }

    private List<Long> checkpointSizes() throws IOException {
        return storedCheckpoints().stream().map(c -> c.checkpoint().size()).toList();
    }

    private static int firstCovering(List<Long> sizes, long seq) {
        for (int i = 0; i < sizes.size(); i++) {
            if (sizes.get(i) > seq) {
                return i;
            }
        }
        throw new AssertionError("no checkpoint covers seq " + seq + ": " + sizes);
    }

    /** What a verifier says when the entries from {@code k} on are gone. */
    private static String tailCut(List<Long> sizes, long k) {
        int index = firstCovering(sizes, k);
        return "checkpoint " + (index + 1) + " covers " + sizes.get(index) + " entries but the ledger has " + k
                + ": entries from seq " + k + " on were removed (tail cut)";
    }

    private void assertReport(long seq, String reason) throws IOException {
        VerificationReport report = verify(signingKey.verifierKey());
        assertThat(report.intact()).as("intact() of %s", report).isFalse();
        assertThat(report.reason()).as("reason").hasValue(reason);
        assertThat(report.firstBadSeq()).as("first bad seq").hasValue(seq);
    }
}
