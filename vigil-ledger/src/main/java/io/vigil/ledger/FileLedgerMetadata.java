package io.vigil.ledger;

import io.vigil.ledger.checkpoint.VerifierKey;

import java.util.Objects;
import java.util.Optional;

/**
 * What a file ledger's metadata ({@code ledger.json}, see {@code docs/ledger-format.md}) says of the ledger: what a
 * tool needs before it verifies or reads it.
 *
 * @param origin      the log's origin
 * @param keyEpochs   the number of HMAC key epochs: 0 in plain mode, one key each in keyed mode
 * @param namedSigner the checkpoint signer's key the ledger names for itself, when it signs checkpoints; checking
 *                    against it proves the ledger self-consistent, not who wrote it
 */
public record FileLedgerMetadata(String origin, int keyEpochs, Optional<VerifierKey> namedSigner) {

    public FileLedgerMetadata {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(namedSigner, "namedSigner");
        if (keyEpochs < 0) {
            throw new IllegalArgumentException("keyEpochs must not be negative, was " + keyEpochs);
        }
    }

    /** True when entry hashes are keyed (HMAC). */
    public boolean keyed() {
        return keyEpochs > 0;
    }
}
