/**
 * The ledger's persisted Merkle nodes: one flat file of 32-byte hashes per tree level, appended as nodes complete,
 * so that roots and proofs for any size are O(log n) positional reads and reopening never rescans the leaves.
 */
package io.vigil.ledger.internal.tree;
