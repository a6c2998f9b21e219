/** The tamper-evident ledger: chained, Merkle-committed entries with signed checkpoints, and its verifier. */
package io.vigil.ledger;
