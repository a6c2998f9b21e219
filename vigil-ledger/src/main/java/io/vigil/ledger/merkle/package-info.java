/**
 * RFC 6962 / RFC 9162 Merkle tree math over {@link io.vigil.ledger.Hash} leaves: hashing, an incremental
 * builder, root computation, inclusion and consistency proofs with their verifiers, and their JSON form.
 *
 * <p>Everything here works on <em>perfect</em> subtrees (2<sup>level</sup> leaves, aligned) read through
 * {@link io.vigil.ledger.merkle.NodeSource}, because those never change once complete: a store only ever
 * appends them, and any tree size's root or proof can be assembled from them in O(log n) reads.
 */
package io.vigil.ledger.merkle;
