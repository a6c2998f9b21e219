package io.vigil.server.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.internal.PrivateFiles;
import io.vigil.server.ApiKey;
import io.vigil.server.Scope;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The keys file, {@code keys.json}: a JSON object with a format marker and the keys, each with the SHA-256 of its
 * secret in hex. It is replaced whole, through a temporary file renamed over it, so a reader sees the old or the new
 * file and never part of one.
 */
public final class KeysFile {
    /** The file's name in the server's directory. */
    public static final String NAME = "keys.json";
    private static final String FORMAT = "vigil-api-keys/1";
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();
    private static final HexFormat HEX = HexFormat.of();

    private KeysFile() {
    }

    /** What identifies one version of the file: a rewrite gives it a new inode, and usually a new time and size. */
    public record Stamp(Optional<FileTime> modified, long size, Optional<Object> fileKey) {
        /** The stamp of a file that does not exist. */
        public static final Stamp MISSING = new Stamp(Optional.empty(), -1, Optional.empty());
    }

    /** The keys read and the stamp of the file they were read from. */
    public record Contents(List<StoredKey> keys, Stamp stamp) {
        public Contents {
            keys = List.copyOf(keys);
        }
    }

    /** The file's stamp now, {@link Stamp#MISSING} when there is no file. */
    public static Stamp stamp(Path file) throws IOException {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return new Stamp(Optional.of(a.lastModifiedTime()), a.size(), Optional.ofNullable(a.fileKey()));
        } catch (NoSuchFileException e) {
            return Stamp.MISSING;
        }
    }

    /**
     * Reads the file; a missing file holds no keys.
     *
     * @throws IOException when it cannot be read or is not a keys file; the message names the file and the problem
     */
    public static Contents read(Path file) throws IOException {
        // The stamp is taken before the bytes: should the file be replaced in between, the next check sees a change.
        Stamp stamp = stamp(file);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new Contents(List.of(), Stamp.MISSING);
        }
        return new Contents(parse(file, bytes), stamp);
    }

    private static List<StoredKey> parse(Path file, byte[] bytes) throws IOException {
        if (bytes.length == 0) {
            throw invalid(file, "the file is empty");
        }
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            // The location only: the parser's own message would quote the file's text.
            throw invalid(file, "not valid JSON at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr());
        }
        if (root == null || !root.isObject()) {
            throw invalid(file, "expected a JSON object with \"format\" and \"keys\"");
        }
        if (!FORMAT.equals(root.path("format").asText(null))) {
            throw invalid(file, "\"format\" must be \"" + FORMAT + "\"");
        }
        JsonNode keys = root.get("keys");
        if (keys == null || !keys.isArray()) {
            throw invalid(file, "\"keys\" must be an array");
        }
        List<StoredKey> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        int i = 0;
        for (JsonNode k : keys) {
            i++;
            StoredKey key;
            try {
                key = key(k);
            } catch (IllegalArgumentException e) {
                throw invalid(file, "key " + i + ": " + e.getMessage());
            }
            if (!ids.add(key.key().id())) {
                throw invalid(file, "key " + i + ": id '" + key.key().id() + "' appears twice");
            }
            out.add(key);
        }
        return out;
    }

    private static StoredKey key(JsonNode k) {
        if (!k.isObject()) {
            throw new IllegalArgumentException("expected an object");
        }
        String id = text(k, "id");
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        JsonNode s = k.get("scopes");
        if (s == null || !s.isArray()) {
            throw new IllegalArgumentException("\"scopes\" must be an array");
        }
        for (JsonNode label : s) {
            scopes.add(scope(label.asText("")));
        }
        Optional<String> name = k.hasNonNull("name") ? Optional.of(text(k, "name")) : Optional.empty();
        Optional<Instant> revoked = k.hasNonNull("revoked") ? Optional.of(instant(k, "revoked")) : Optional.empty();
        ApiKey key = new ApiKey(id, text(k, "tenant"), scopes, name, instant(k, "created"), revoked);
        String hash = text(k, "sha256");
        if (!hash.matches("[0-9a-f]{" + 2 * Secrets.HASH_BYTES + "}")) {
            throw new IllegalArgumentException("\"sha256\" must be " + 2 * Secrets.HASH_BYTES
                    + " lowercase hex digits");
        }
        return new StoredKey(key, HEX.parseHex(hash));
    }

    private static Scope scope(String label) {
        for (Scope s : Scope.values()) {
            if (s.label().equals(label)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown scope '" + label + "' (allowed: ingest, read, admin)");
    }

    private static String text(JsonNode k, String field) {
        JsonNode v = k.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("\"" + field + "\" must be a string");
        }
        return v.asText();
    }

    private static Instant instant(JsonNode k, String field) {
        String v = text(k, field);
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("\"" + field + "\" is not an ISO-8601 instant");
        }
    }

    private static IOException invalid(Path file, String what) {
        return new IOException("keys file " + file + " is not valid: " + what);
    }

    /**
     * Replaces the file with {@code keys}: written 0600 to a temporary file in the same directory, forced, and
     * renamed over it.
     *
     * @return the stamp of the new file
     */
    public static Stamp write(Path file, List<StoredKey> keys) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        ArrayNode array = root.putArray("keys");
        for (StoredKey sk : keys) {
            ApiKey k = sk.key();
            ObjectNode o = array.addObject();
            o.put("id", k.id());
            o.put("tenant", k.tenant());
            ArrayNode scopes = o.putArray("scopes");
            k.scopes().forEach(s -> scopes.add(s.label()));
            k.name().ifPresent(n -> o.put("name", n));
            o.put("created", k.created().toString());
            k.revoked().ifPresent(r -> o.put("revoked", r.toString()));
            o.put("sha256", HEX.formatHex(sk.hash()));
        }
        byte[] bytes = JSON.writeValueAsBytes(root);
        Path dir = Objects.requireNonNull(file.toAbsolutePath().getParent(), "the keys file's directory");
        Path tmp = PrivateFiles.posix(dir)
                ? Files.createTempFile(dir, "." + NAME + ".", ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                : Files.createTempFile(dir, "." + NAME + ".", ".tmp");
        try {
            Files.write(tmp, bytes);
            PrivateFiles.atomicReplace(tmp, file);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return stamp(file);
    }
}
