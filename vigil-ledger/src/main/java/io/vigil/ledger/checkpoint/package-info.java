/**
 * Signed checkpoints of the ledger: Ed25519 signer and verifier keys, C2SP {@code signed-note} notes, C2SP
 * {@code tlog-checkpoint} bodies, and witnesses that keep the newest checkpoint where the writer cannot rewrite it and
 * refuse any checkpoint that does not extend it.
 *
 * <p>Formats are byte-exact with {@code golang.org/x/mod/sumdb/note}: a note signed here verifies there and the other
 * way round, so an outside auditor can check Vigil checkpoints with existing tools.
 */
package io.vigil.ledger.checkpoint;
