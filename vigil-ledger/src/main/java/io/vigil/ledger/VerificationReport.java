package io.vigil.ledger;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a full verification found.
 *
 * @param entries             entries read
 * @param checkpointsVerified checkpoints whose signature and root were checked
 * @param firstBadSeq         the first seq that is missing, changed, out of place or not covered as signed
 * @param reason              why, in one sentence
 * @param warnings            things that do not fail verification but limit what it proves
 * @param root                the Merkle root of the entries read, when they verified
 */
public record VerificationReport(long entries, int checkpointsVerified, OptionalLong firstBadSeq,
                                 Optional<String> reason, List<String> warnings, Optional<Hash> root) {

    public VerificationReport {
        Objects.requireNonNull(firstBadSeq, "firstBadSeq");
        Objects.requireNonNull(reason, "reason");
        warnings = List.copyOf(warnings);
        Objects.requireNonNull(root, "root");
    }

    /** True when nothing was found wrong. */
    public boolean intact() {
        return reason.isEmpty();
    }
}
