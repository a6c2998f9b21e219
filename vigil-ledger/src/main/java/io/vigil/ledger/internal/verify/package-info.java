/** The rules a verifier checks, written once for every store: the hash chain of the entries and the checkpoints. */
package io.vigil.ledger.internal.verify;
