package io.vigil.ledger.internal.verify;

import io.vigil.ledger.Hash;
import io.vigil.ledger.VerificationReport;
import io.vigil.ledger.checkpoint.CheckpointException;
import io.vigil.ledger.checkpoint.SignedCheckpoint;
import io.vigil.ledger.checkpoint.VerifierKey;
import io.vigil.ledger.checkpoint.Witness;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongUnaryOperator;

/**
 * The checks a verifier makes of a ledger's signed checkpoints once it has read the entries: each names the ledger's
 * origin and is validly signed, they come in order of size, none covers more entries than there are (a cut tail),
 * and each root equals the one recomputed from the entries (a rewrite that re-chained everything after it); then the
 * witness's. One place for them, so that the file and the database verifiers find the same problems and report them
 * in the same words: a verifier scans its entries with {@link ChainCheck}, describes what it found as
 * {@link Entries}, and {@link #conclude} turns that into the report.
 */
public final class CheckpointCheck {

    /** What the scan of the entries found. */
    public interface Entries {
        /** Checkpoints of smaller sizes are before what was read (a trusted point, or a retention cut). */
        long start();

        /** One past the last entry read that was good. */
        long count();

        /** The first bad seq the scan found, or -1. */
        long badSeq();

        /** Why, when {@link #badSeq()} is not -1. */
        String reason();

        /** The recomputed root at checkpoint {@code index}'s size, or null when the scan did not get there. */
        Hash rootAt(int index, long size);

        /** The first seq in {@code [from, to)} whose leaf differs from what the store kept when it was written. */
        long firstChangedLeaf(long from, long to);

        /** The recomputed root at {@code size} (a witness's), or null when the scan did not keep it. */
        Hash rootAtSize(long size);

        /** The recomputed root of every entry read. */
        Hash root();
    }

    /**
     * The outcome: the failure to report, if any, and how many checkpoints were verified.
     *
     * @param failure  the report of the first problem
     * @param verified checkpoints checked and found good
     */
    private record Result(Optional<VerificationReport> failure, int verified) {
    }

    /**
     * What the witness had seen when the verification began, read once.
     *
     * @param latest its latest checkpoint; empty when it holds none yet
     */
    public record Witnessed(Optional<SignedCheckpoint> latest) {
        /** Asks {@code witness}, when there is one. */
        public static Optional<Witnessed> of(Optional<Witness> witness) throws IOException {
            return witness.isPresent() ? Optional.of(new Witnessed(witness.get().latest())) : Optional.empty();
        }
    }

    private CheckpointCheck() {
    }

    /**
     * Checks the signature of every checkpoint of at least {@code fromSize} against {@code key} (none without a key).
     *
     * @return per checkpoint, why its signature is not valid, or null (valid, or not checked)
     */
    public static String[] signatureErrors(List<SignedCheckpoint> checkpoints, Optional<VerifierKey> key,
                                           long fromSize) {
        String[] errors = new String[checkpoints.size()];
        if (key.isPresent()) {
            for (int i = 0; i < checkpoints.size(); i++) {
                if (checkpoints.get(i).checkpoint().size() >= fromSize) {
                    try {
                        checkpoints.get(i).verify(key.get());
                    } catch (CheckpointException e) {
                        errors[i] = e.getMessage();
                    }
                }
            }
        }
        return errors;
    }

    /**
     * The verdict on a scan: the checkpoints checked against it ({@link #check}), then the ledger held to what the
     * witness has seen ({@link #checkWitness}); the scan's own first bad seq when nothing comes before it.
     */
    public static VerificationReport conclude(List<SignedCheckpoint> checkpoints, String origin,
                                              String[] signatureErrors, Optional<VerifierKey> key,
                                              boolean countBeforeStart, Entries scan, Optional<Witnessed> witness,
                                              List<String> warnings) {
        Result checked = check(checkpoints, origin, signatureErrors, key.map(VerifierKey::name).orElse(""),
                countBeforeStart, scan, warnings);
        if (checked.failure().isPresent()) {
            return checked.failure().get();
        }
        int verified = checked.verified();
        if (witness.isPresent()) {
            Optional<SignedCheckpoint> latest = witness.get().latest();
            Hash at = latest.isPresent() ? scan.rootAtSize(latest.get().checkpoint().size()) : null;
            Optional<VerificationReport> behind = checkWitness(latest, key, scan.count(), verified, at,
                    size -> scan.firstChangedLeaf(scan.start(), size), warnings);
            if (behind.isPresent()) {
                return behind.get();
            }
        }
        return new VerificationReport(scan.count(), verified, OptionalLong.empty(), Optional.empty(), warnings,
                Optional.of(scan.root()));
    }

    /**
     * Checks {@code checkpoints} (in the order the store keeps them) against the scan.
     *
     * @param signatureErrors  per checkpoint, why its signature is not valid, or null (valid, or not checked)
     * @param signer           the signer's name, for messages
     * @param countBeforeStart whether checkpoints before {@link Entries#start()} count as verified (their signature
     *                         was checked but their root cannot be)
     */
    private static Result check(List<SignedCheckpoint> checkpoints, String origin, String[] signatureErrors,
                               String signer, boolean countBeforeStart, Entries scan, List<String> warnings) {
        long entries = scan.count();
        long badSeq = scan.badSeq();
        String reason = scan.reason();
        int verified = 0;
        long previousSize = -1;
        long lastGoodSize = scan.start();
        for (int i = 0; i < checkpoints.size(); i++) {
            SignedCheckpoint c = checkpoints.get(i);
            long cs = c.checkpoint().size();
            if (cs < scan.start() && !countBeforeStart) {
                previousSize = cs;
                continue;
            }
            if (!c.checkpoint().origin().equals(origin)) {
                return failed(failAt(badSeq, reason, Math.min(cs, entries), "checkpoint " + (i + 1) + " names origin '"
                        + c.checkpoint().origin() + "', not '" + origin + "'", entries, verified, warnings));
            }
            if (signatureErrors[i] != null) {
                return failed(failAt(badSeq, reason, Math.min(cs, entries), "checkpoint " + (i + 1) + " (size " + cs
                        + ") is not validly signed by " + signer + ": " + signatureErrors[i], entries, verified,
                        warnings));
            }
            if (cs < previousSize) {
                return failed(failAt(badSeq, reason, cs, "checkpoint " + (i + 1) + " (size " + cs + ") is smaller"
                        + " than the one before it (" + previousSize + ")", entries, verified, warnings));
            }
            previousSize = cs;
            if (cs < scan.start()) {
                verified++; // its entries were not read here; its signature was checked
                continue;
            }
            if (badSeq >= 0 && cs > badSeq) {
                break; // entries the checkpoint covers are already known bad; the first problem stands
            }
            if (cs > entries) {
                return failed(failAt(badSeq, reason, entries, "checkpoint " + (i + 1) + " covers " + cs + " entries"
                        + " but the ledger has " + entries + ": entries from seq " + entries + " on were removed (tail"
                        + " cut)", entries, verified, warnings));
            }
            Hash computed = scan.rootAt(i, cs);
            if (computed != null && !computed.equals(c.checkpoint().root())) {
                long first = scan.firstChangedLeaf(lastGoodSize, cs);
                return failed(failAt(badSeq, reason, first, "the Merkle root of the first " + cs + " entries differs"
                        + " from signed checkpoint " + (i + 1) + ": entries from seq " + first + " were rewritten (and"
                        + " re-chained) after the checkpoint was signed", entries, verified, warnings));
            }
            lastGoodSize = cs;
            verified++;
        }
        if (badSeq >= 0) {
            return failed(fail(badSeq, entries, verified, reason, warnings));
        }
        return new Result(Optional.empty(), verified);
    }

    /**
     * Holds the ledger to the latest checkpoint its witness has seen: the ledger may not have fewer entries (a
     * rollback or a cut) nor a different root at that size (a fork or a rewrite).
     *
     * @param rootAtWitnessSize the recomputed root at the witness's size, or null when it was not computed
     * @param firstChanged      the first seq below a size whose stored leaf differs, for the report
     * @return the failure, if any; warnings are added for what does not fail
     */
    private static Optional<VerificationReport> checkWitness(Optional<SignedCheckpoint> latest,
                                                            Optional<VerifierKey> key,
                                                            long entries, int verified, Hash rootAtWitnessSize,
                                                            LongUnaryOperator firstChanged,
                                                            List<String> warnings) {
        if (latest.isEmpty()) {
            warnings.add("the witness holds no checkpoint yet");
            return Optional.empty();
        }
        SignedCheckpoint wc = latest.get();
        long ws = wc.checkpoint().size();
        if (key.isPresent()) {
            try {
                wc.verify(key.get());
            } catch (CheckpointException e) {
                warnings.add("the witness's checkpoint is not signed by " + key.get().name() + "; it was ignored");
            }
        }
        if (ws > entries) {
            return Optional.of(fail(entries, entries, verified, "the witness has seen " + ws + " entries but the"
                    + " ledger has " + entries + ": it was rolled back or cut after seq " + (entries - 1), warnings));
        }
        if (rootAtWitnessSize != null && !rootAtWitnessSize.equals(wc.checkpoint().root())) {
            long first = Math.max(0, firstChanged.applyAsLong(ws));
            return Optional.of(fail(first, entries, verified, "the ledger's root at size " + ws + " differs from the"
                    + " witness's: the ledger forked or was rewritten from seq " + first, warnings));
        }
        return Optional.empty();
    }

    private static Result failed(VerificationReport report) {
        return new Result(Optional.of(report), report.checkpointsVerified());
    }

    /** The scan's own problem when it comes first, else the checkpoint's at {@code seq}. */
    private static VerificationReport failAt(long badSeq, String reason, long seq, String why, long entries,
                                            int verified, List<String> warnings) {
        if (badSeq >= 0 && badSeq <= seq) {
            return fail(badSeq, entries, verified, reason, warnings);
        }
        return fail(seq, entries, verified, why, warnings);
    }

    /** A failed verification at {@code seq}. */
    public static VerificationReport fail(long seq, long entries, int verified, String reason, List<String> warnings) {
        return new VerificationReport(entries, verified, OptionalLong.of(seq), Optional.of(reason), warnings,
                Optional.empty());
    }
}
