package io.vigil.ledger.merkle;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.ledger.Hash;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The JSON form of proofs, one object per proof, hashes as lowercase hex:
 *
 * <pre>
 * {"type":"inclusion","leafIndex":N,"treeSize":M,"leafHash":"…","root":"…","path":["…",…],"checkpoint":"…"}
 * {"type":"consistency","size1":A,"size2":B,"root1":"…","root2":"…","path":["…",…]}
 * </pre>
 *
 * <p>In an inclusion proof {@code leafHash}, {@code root} and {@code checkpoint} (a signed note's text) are
 * optional, so that a proof file can carry everything a verifier needs. Members this format does not define are
 * ignored, so that callers may add their own; duplicate members are an error, since a document that can be read
 * two ways is no evidence.
 */
public final class ProofJson {
    /** More hashes than any proof in a tree of 2^63 leaves; bounds the work an untrusted document can cause. */
    private static final int MAX_PATH = 256;

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private ProofJson() {}

    /** A parsed proof document: {@link Inclusion} or {@link Consistency}. */
    public sealed interface Document permits Inclusion, Consistency {
        /**
         * Verifies the proof against the hashes the document carries. This shows only that the document is
         * internally consistent; the caller must still check the root(s) against a checkpoint it trusts.
         *
         * @throws ProofException if the proof fails or the document lacks what is needed to check it
         */
        void verify() throws ProofException;
    }

    /** An inclusion proof and whatever of its leaf hash, root and checkpoint the document carried. */
    public record Inclusion(InclusionProof proof, Optional<Hash> leafHash, Optional<Hash> root,
            Optional<String> checkpoint) implements Document {
        public Inclusion {
            Objects.requireNonNull(proof, "proof");
            Objects.requireNonNull(leafHash, "leafHash");
            Objects.requireNonNull(root, "root");
            Objects.requireNonNull(checkpoint, "checkpoint");
        }

        @Override
        public void verify() throws ProofException {
            if (leafHash.isEmpty() || root.isEmpty()) {
                throw new ProofException("the inclusion proof document has no "
                        + (leafHash.isEmpty() ? "\"leafHash\"" : "\"root\"") + " to verify against");
            }
            Proofs.verifyInclusion(proof, leafHash.get(), root.get());
        }
    }

    /** A consistency proof with the two roots it links. */
    public record Consistency(ConsistencyProof proof, Hash root1, Hash root2) implements Document {
        public Consistency {
            Objects.requireNonNull(proof, "proof");
            Objects.requireNonNull(root1, "root1");
            Objects.requireNonNull(root2, "root2");
        }

        @Override
        public void verify() throws ProofException {
            Proofs.verifyConsistency(proof, root1, root2);
        }
    }

    // ---------------------------------------------------------------- writing

    /** The bare inclusion proof: type, leafIndex, treeSize, path. */
    public static String toJson(InclusionProof proof) {
        return write(inclusionNode(proof, null, null, null));
    }

    /** A self-contained inclusion proof: also the leaf hash it proves and the root it leads to. */
    public static String toJson(InclusionProof proof, Hash leafHash, Hash root) {
        return write(inclusionNode(proof, Objects.requireNonNull(leafHash, "leafHash"),
                Objects.requireNonNull(root, "root"), null));
    }

    /** A self-contained inclusion proof plus the text of the signed checkpoint that commits to {@code root}. */
    public static String toJson(InclusionProof proof, Hash leafHash, Hash root, String checkpoint) {
        return write(inclusionNode(proof, Objects.requireNonNull(leafHash, "leafHash"),
                Objects.requireNonNull(root, "root"), Objects.requireNonNull(checkpoint, "checkpoint")));
    }

    /** A consistency proof with the two roots it links. */
    public static String toJson(ConsistencyProof proof, Hash root1, Hash root2) {
        Objects.requireNonNull(proof, "proof");
        ObjectNode o = MAPPER.createObjectNode();
        o.put("type", "consistency");
        o.put("size1", proof.size1());
        o.put("size2", proof.size2());
        o.put("root1", Objects.requireNonNull(root1, "root1").hex());
        o.put("root2", Objects.requireNonNull(root2, "root2").hex());
        o.set("path", pathNode(proof.path()));
        return write(o);
    }

    /** Writes a parsed document back; {@code toJson(parse(s))} keeps every member this format defines. */
    public static String toJson(Document doc) {
        if (doc instanceof Inclusion i) {
            return write(inclusionNode(i.proof(), i.leafHash().orElse(null), i.root().orElse(null),
                    i.checkpoint().orElse(null)));
        }
        Consistency c = (Consistency) doc;
        return toJson(c.proof(), c.root1(), c.root2());
    }

    private static ObjectNode inclusionNode(InclusionProof proof, Hash leafHash, Hash root, String checkpoint) {
        Objects.requireNonNull(proof, "proof");
        ObjectNode o = MAPPER.createObjectNode();
        o.put("type", "inclusion");
        o.put("leafIndex", proof.leafIndex());
        o.put("treeSize", proof.treeSize());
        if (leafHash != null) {
            o.put("leafHash", leafHash.hex());
        }
        if (root != null) {
            o.put("root", root.hex());
        }
        o.set("path", pathNode(proof.path()));
        if (checkpoint != null) {
            o.put("checkpoint", checkpoint);
        }
        return o;
    }

    private static ArrayNode pathNode(List<Hash> path) {
        ArrayNode a = MAPPER.createArrayNode();
        for (Hash h : path) {
            a.add(h.hex());
        }
        return a;
    }

    private static String write(ObjectNode o) {
        try {
            return MAPPER.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers always serializes", e);
        }
    }

    // ---------------------------------------------------------------- reading

    /**
     * Parses either kind of proof document, by its {@code type}.
     *
     * @throws ProofException saying what is wrong with the document
     */
    public static Document parse(String json) throws ProofException {
        JsonNode root = readObject(json);
        String type = text(root, "type");
        return switch (type) {
            case "inclusion" -> inclusion(root);
            case "consistency" -> consistency(root);
            default -> throw new ProofException(
                    "unknown proof type \"" + type + "\"; expected \"inclusion\" or \"consistency\"");
        };
    }

    /** Parses an inclusion proof document. @throws ProofException if it is malformed or of another type */
    public static Inclusion parseInclusion(String json) throws ProofException {
        JsonNode root = readObject(json);
        expectType(root, "inclusion");
        return inclusion(root);
    }

    /** Parses a consistency proof document. @throws ProofException if it is malformed or of another type */
    public static Consistency parseConsistency(String json) throws ProofException {
        JsonNode root = readObject(json);
        expectType(root, "consistency");
        return consistency(root);
    }

    private static Inclusion inclusion(JsonNode o) throws ProofException {
        long leafIndex = count(o, "leafIndex");
        long treeSize = count(o, "treeSize");
        if (leafIndex >= treeSize) {
            throw new ProofException("\"leafIndex\" " + leafIndex + " is not inside a tree of \"treeSize\" "
                    + treeSize + " leaves");
        }
        List<Hash> path = path(o);
        Optional<Hash> leafHash = o.has("leafHash") ? Optional.of(hash(o, "leafHash")) : Optional.empty();
        Optional<Hash> root = o.has("root") ? Optional.of(hash(o, "root")) : Optional.empty();
        Optional<String> checkpoint = o.has("checkpoint") ? Optional.of(text(o, "checkpoint")) : Optional.empty();
        return new Inclusion(new InclusionProof(leafIndex, treeSize, path), leafHash, root, checkpoint);
    }

    private static Consistency consistency(JsonNode o) throws ProofException {
        long size1 = count(o, "size1");
        long size2 = count(o, "size2");
        if (size1 > size2) {
            throw new ProofException("\"size1\" " + size1 + " is larger than \"size2\" " + size2);
        }
        Hash root1 = hash(o, "root1");
        Hash root2 = hash(o, "root2");
        return new Consistency(new ConsistencyProof(size1, size2, path(o)), root1, root2);
    }

    private static JsonNode readObject(String json) throws ProofException {
        Objects.requireNonNull(json, "json");
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new ProofException("the proof is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (node == null || node.isMissingNode() || !node.isObject()) {
            throw new ProofException("the proof must be a JSON object");
        }
        return node;
    }

    private static void expectType(JsonNode o, String expected) throws ProofException {
        String type = text(o, "type");
        if (!type.equals(expected)) {
            throw new ProofException("expected a proof of type \"" + expected + "\", got \"" + type + "\"");
        }
    }

    private static JsonNode member(JsonNode o, String name) throws ProofException {
        JsonNode v = o.get(name);
        if (v == null || v.isNull()) {
            throw new ProofException("the proof has no \"" + name + "\"");
        }
        return v;
    }

    private static String text(JsonNode o, String name) throws ProofException {
        JsonNode v = member(o, name);
        if (!v.isTextual()) {
            throw new ProofException("\"" + name + "\" must be a string, not " + v.getNodeType().name().toLowerCase());
        }
        return v.textValue();
    }

    private static long count(JsonNode o, String name) throws ProofException {
        JsonNode v = member(o, name);
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new ProofException("\"" + name + "\" must be a whole number that fits 64 bits, not " + v);
        }
        long n = v.longValue();
        if (n < 0) {
            throw new ProofException("\"" + name + "\" must not be negative: " + n);
        }
        return n;
    }

    private static Hash hash(JsonNode o, String name) throws ProofException {
        return hexHash(text(o, name), "\"" + name + "\"");
    }

    private static Hash hexHash(String s, String what) throws ProofException {
        if (s.length() != 2 * Hash.LENGTH) {
            throw new ProofException(what + " must be " + 2 * Hash.LENGTH + " hex digits, not " + s.length());
        }
        try {
            return Hash.fromHex(s);
        } catch (IllegalArgumentException e) {
            throw new ProofException(what + " is not hex: " + s, e);
        }
    }

    private static List<Hash> path(JsonNode o) throws ProofException {
        JsonNode v = member(o, "path");
        if (!v.isArray()) {
            throw new ProofException("\"path\" must be an array of hex hashes");
        }
        if (v.size() > MAX_PATH) {
            throw new ProofException("\"path\" has " + v.size() + " hashes; no proof needs more than " + MAX_PATH);
        }
        List<Hash> path = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            JsonNode e = v.get(i);
            if (!e.isTextual()) {
                throw new ProofException("\"path\"[" + i + "] must be a hex string");
            }
            path.add(hexHash(e.textValue(), "\"path\"[" + i + "]"));
        }
        return path;
    }
}
