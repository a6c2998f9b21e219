/** The file store: segments, sparse index, checkpoints file, metadata, append path and crash recovery. */
package io.vigil.ledger.internal.store;
