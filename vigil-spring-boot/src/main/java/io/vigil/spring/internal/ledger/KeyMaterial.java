package io.vigil.spring.internal.ledger;

import io.vigil.ledger.checkpoint.KeyFiles;
import io.vigil.ledger.checkpoint.SigningKey;
import io.vigil.ledger.checkpoint.VerifierKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/** The signing key of a ledger and the key of the keyed hashes, read from where the properties say or generated. */
public final class KeyMaterial {
    private static final Logger LOG = LoggerFactory.getLogger(KeyMaterial.class);
    static final String GENERATED_SIGNING_KEY = "signing.key";
    static final String GENERATED_PUBLIC_KEY = "signing.pub";
    static final String GENERATED_HASH_KEY = "hash.key";

    private KeyMaterial() {
    }

    /** A signing key and the public key that verifies it. */
    public record Signing(SigningKey key, VerifierKey verifier, boolean generatedBesideLedger) {
    }

    /**
     * The key from {@code vigil.ledger.signing-key-file}, or, when that is unset, one generated once in
     * {@code keyDir} (0600), with one WARN saying why such a key proves only self-consistency.
     */
    public static Signing signing(Optional<Path> configured, Path keyDir, String name) throws IOException {
        if (configured.isPresent()) {
            Path file = configured.get();
            if (!Files.isRegularFile(file)) {
                throw new IllegalStateException("vigil.ledger.signing-key-file: " + file + " does not exist; create one"
                        + " with 'vigil keygen --name " + name + " --private " + file + " --public "
                        + file.resolveSibling(file.getFileName() + ".pub") + "' or unset the property");
            }
            SigningKey key = KeyFiles.readPrivate(file);
            return new Signing(key, key.verifierKey(), false);
        }
        Path priv = keyDir.resolve(GENERATED_SIGNING_KEY);
        Path pub = keyDir.resolve(GENERATED_PUBLIC_KEY);
        SigningKey key;
        if (Files.exists(priv)) {
            key = KeyFiles.readPrivate(priv);
        } else {
            Files.createDirectories(keyDir);
            key = SigningKey.generate(name);
            KeyFiles.write(key, priv, pub);
        }
        LOG.warn("vigil.ledger.signing-key-file is not set, so checkpoints are signed with {}, a key kept beside the"
                + " ledger. Whoever can rewrite the ledger can read that key and re-sign a rewritten ledger: its"
                + " signatures prove only that the ledger is self-consistent, not that it is the one this application"
                + " wrote. For evidence, create a key with 'vigil keygen', keep it where the ledger's files cannot be"
                + " rewritten from, and set vigil.ledger.signing-key-file (and vigil.ledger.dir).", priv);
        return new Signing(key, key.verifierKey(), true);
    }

    /**
     * The key of the keyed hashes of session ids and tokens: {@code configured} (base64, at least 32 bytes) or one
     * generated once in {@code keyDir} (0600).
     */
    public static byte[] hashKey(Optional<Path> configured, Path keyDir) throws IOException {
        Path file = configured.orElse(keyDir.resolve(GENERATED_HASH_KEY));
        if (configured.isEmpty() && !Files.exists(file)) {
            Files.createDirectories(keyDir);
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            try {
                if (Files.getFileStore(keyDir).supportsFileAttributeView("posix")) {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                } else {
                    Files.createFile(file);
                }
                Files.writeString(file, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII);
                return key;
            } catch (FileAlreadyExistsException raced) {
                // Another instance created it first: read theirs.
            }
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("vigil.security.hash-key-file: " + file + " does not exist; write 32 random"
                    + " bytes as base64 into it (e.g. 'head -c 32 /dev/urandom | base64 > " + file + "; chmod 600 "
                    + file + "') or unset the property");
        }
        byte[] key;
        try {
            key = Base64.getMimeDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("vigil.security.hash-key-file: " + file + " is not base64 text", e);
        }
        if (key.length < 32) {
            throw new IllegalStateException("vigil.security.hash-key-file: " + file + " holds " + key.length
                    + " bytes; at least 32 are needed");
        }
        return key;
    }
}
