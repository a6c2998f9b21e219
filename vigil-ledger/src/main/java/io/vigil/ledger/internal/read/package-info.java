/** The read side of the file ledger: complete entries, queries, roots and proofs, read without a lock. */
package io.vigil.ledger.internal.read;
