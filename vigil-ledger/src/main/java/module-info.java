/**
 * The tamper-evident ledger: the hash chain, the RFC 6962 Merkle tree, signed checkpoints, the file store, the read
 * API, the verifier and proofs. The internal packages that another store reuses (the entry codec, the verification
 * core, checkpoint publishing, the readers' shared rules) are exported to the PostgreSQL module alone.
 */
module io.vigil.ledger {
    requires transitive io.vigil.core;
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;

    exports io.vigil.ledger;
    exports io.vigil.ledger.checkpoint;
    exports io.vigil.ledger.merkle;

    exports io.vigil.ledger.internal to io.vigil.postgres;
    exports io.vigil.ledger.internal.read to io.vigil.postgres;
    exports io.vigil.ledger.internal.verify to io.vigil.postgres;
}
