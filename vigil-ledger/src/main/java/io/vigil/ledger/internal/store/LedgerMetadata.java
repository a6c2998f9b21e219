package io.vigil.ledger.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.internal.PrivateFiles;
import io.vigil.ledger.FileLayout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code ledger.json}: what a reader needs to interpret the directory. Written once at creation (and when a key
 * epoch is added), atomically.
 *
 * @param format    always {@value #FORMAT}
 * @param origin    the log's origin
 * @param createdAt creation time, ISO-8601
 * @param mode      {@code plain} or {@code keyed}
 * @param epochs    keyed mode: first seq and key id (hex of the first 8 bytes of SHA-256 of the key) per epoch
 * @param publicKey the checkpoint signer's verifier key string, when the ledger signs checkpoints
 */
public record LedgerMetadata(String format, String origin, String createdAt, String mode, List<Epoch> epochs,
                             Optional<String> publicKey) {
    public static final String FORMAT = "vigil-ledger/1";
    public static final String FILE = FileLayout.METADATA;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One HMAC key epoch. */
    public record Epoch(int epoch, long firstSeq, String keyId) {
    }

    public static LedgerMetadata read(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        JsonNode n;
        try {
            n = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        String format = text(n, "format", file);
        if (!FORMAT.equals(format)) {
            throw new IOException(file + ": format is '" + format + "', this version reads " + FORMAT);
        }
        List<Epoch> epochs = new ArrayList<>();
        JsonNode e = n.path("epochs");
        for (JsonNode x : e) {
            epochs.add(new Epoch(x.path("epoch").asInt(), x.path("firstSeq").asLong(), x.path("keyId").asText()));
        }
        return new LedgerMetadata(format, text(n, "origin", file), text(n, "createdAt", file), text(n, "mode", file),
                List.copyOf(epochs), n.hasNonNull("publicKey") ? Optional.of(n.get("publicKey").asText()) : Optional.empty());
    }

    private static String text(JsonNode n, String field, Path file) throws IOException {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new IOException(file + ": '" + field + "' is missing or not a string");
        }
        return v.asText();
    }

    public void write(Path dir) throws IOException {
        ObjectNode n = JSON.createObjectNode();
        n.put("format", format);
        n.put("origin", origin);
        n.put("createdAt", createdAt);
        n.put("mode", mode);
        ArrayNode a = n.putArray("epochs");
        for (Epoch e : epochs) {
            a.addObject().put("epoch", e.epoch()).put("firstSeq", e.firstSeq()).put("keyId", e.keyId());
        }
        publicKey.ifPresent(k -> n.put("publicKey", k));
        Path tmp = dir.resolve(FILE + ".tmp");
        Files.deleteIfExists(tmp);
        PrivateFiles.file(PrivateFiles.directory(dir).resolve(FILE + ".tmp"));
        Files.writeString(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n) + "\n");
        PrivateFiles.atomicReplace(dir.resolve(FILE + ".tmp"), dir.resolve(FILE));
    }
}
