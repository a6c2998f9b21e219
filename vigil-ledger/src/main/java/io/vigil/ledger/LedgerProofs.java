package io.vigil.ledger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.ledger.checkpoint.SignedCheckpoint;
import io.vigil.ledger.merkle.ConsistencyProof;
import io.vigil.ledger.merkle.InclusionProof;
import io.vigil.ledger.merkle.ProofException;
import io.vigil.ledger.merkle.ProofJson;
import io.vigil.ledger.merkle.Proofs;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The proof documents a ledger hands out, made once for every place that hands them out ({@code vigil prove} and
 * the server's answers), so the same entry gives the same document everywhere: the proof, the hashes it links, the
 * signed checkpoint that commits to its root when one has that size, and what to check it against. Each proof is
 * checked against the ledger's own tree before it is handed out.
 */
public final class LedgerProofs {
    private static final ObjectMapper JSON = new ObjectMapper();

    private LedgerProofs() {
    }

    /** The ledger's files disagree with each other: its proof does not verify, or a checkpoint signs another root. */
    public static final class Mismatch extends Exception {
        private static final long serialVersionUID = 1L;

        Mismatch(String message) {
            super(message);
        }
    }

    /**
     * The inclusion proof of {@code entry} in the tree of {@code size} entries, as one JSON object: the proof with its
     * leaf hash and root, the signed checkpoint of that size when given, the ledger's origin and mode, and the entry's
     * stored line.
     */
    public static String inclusion(LedgerReader reader, LedgerEntry entry, long size,
                                   Optional<SignedCheckpoint> checkpoint) throws IOException, Mismatch {
        Hash leaf = Hash.fromHex(entry.hash());
        InclusionProof proof = reader.inclusionProof(entry.seq(), size);
        Hash root = reader.root(size);
        try {
            Proofs.verifyInclusion(proof, leaf, root);
        } catch (ProofException e) {
            throw new Mismatch("the proof made from the ledger's tree does not verify: " + e.getMessage());
        }
        String json;
        if (checkpoint.isPresent()) {
            requireRoot(checkpoint.get(), root);
            json = ProofJson.toJson(proof, leaf, root, checkpoint.get().encode());
        } else {
            json = ProofJson.toJson(proof, leaf, root);
        }
        ObjectNode o = (ObjectNode) JSON.readTree(json);
        o.put("origin", reader.origin());
        o.put("mode", reader.keyed() ? "keyed" : "plain");
        o.put("entry", entry.line());
        return JSON.writeValueAsString(o);
    }

    /**
     * The consistency proof from the tree of {@code size1} entries to that of {@code size2}, as one JSON object: the
     * proof with both roots, the ledger's origin, and the signed checkpoints of those sizes when given.
     */
    public static String consistency(LedgerReader reader, long size1, long size2, Optional<SignedCheckpoint> checkpoint1,
                                     Optional<SignedCheckpoint> checkpoint2) throws IOException, Mismatch {
        ConsistencyProof proof = reader.consistencyProof(size1, size2);
        Hash root1 = reader.root(size1);
        Hash root2 = reader.root(size2);
        try {
            Proofs.verifyConsistency(proof, root1, root2);
        } catch (ProofException e) {
            throw new Mismatch("the proof made from the ledger's tree does not verify: " + e.getMessage());
        }
        for (Optional<SignedCheckpoint> cp : List.of(checkpoint1, checkpoint2)) {
            if (cp.isPresent()) {
                requireRoot(cp.get(), cp.get().checkpoint().size() == size1 ? root1 : root2);
            }
        }
        ObjectNode o = (ObjectNode) JSON.readTree(ProofJson.toJson(proof, root1, root2));
        o.put("origin", reader.origin());
        checkpoint1.ifPresent(c -> o.put("checkpoint1", c.encode()));
        checkpoint2.ifPresent(c -> o.put("checkpoint2", c.encode()));
        return JSON.writeValueAsString(o);
    }

    /** The signed checkpoint of exactly {@code size} entries, the newest when several were signed. */
    public static Optional<SignedCheckpoint> checkpointOfSize(List<StoredCheckpoint> checkpoints, long size) {
        for (int i = checkpoints.size() - 1; i >= 0; i--) {
            if (checkpoints.get(i).size() == size) {
                return Optional.of(checkpoints.get(i).checkpoint());
            }
        }
        return Optional.empty();
    }

    private static void requireRoot(SignedCheckpoint cp, Hash root) throws Mismatch {
        if (!cp.checkpoint().root().equals(root)) {
            throw new Mismatch("the signed checkpoint of size " + cp.checkpoint().size() + " has root "
                    + cp.checkpoint().root().hex() + " but the ledger's tree gives " + root.hex());
        }
    }
}
