package io.vigil.cli;

import io.vigil.ledger.checkpoint.KeyFiles;
import io.vigil.ledger.checkpoint.NoteFormatException;
import io.vigil.ledger.checkpoint.SigningKey;
import io.vigil.ledger.checkpoint.VerifierKey;
import io.vigil.redact.HmacKey;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Reading keys given on the command line, and the demo's reproducible signing key. */
final class Keys {
    private Keys() {
    }

    /**
     * A verifier key given as a file holding the key string (as {@code vigil keygen} writes it) or as the string
     * itself, e.g. {@code example.com/audit+1a2b3c4d+AV...}.
     */
    static VerifierKey verifierKey(CommandLine cl, String option, String value) {
        Path file;
        try {
            file = Path.of(value);
        } catch (RuntimeException e) {
            file = null;
        }
        if (file != null && Files.isRegularFile(file)) {
            try {
                return KeyFiles.readPublic(file);
            } catch (NoteFormatException | IOException e) {
                throw new ParameterException(cl, option + ": " + e.getMessage());
            }
        }
        try {
            return VerifierKey.parse(value);
        } catch (NoteFormatException e) {
            boolean looksLikeKey = value.indexOf('+') > 0 && !value.endsWith(".pub");
            throw new ParameterException(cl, option + " '" + value + "' is "
                    + (looksLikeKey ? "not a valid public key: " + e.getMessage()
                    : "neither a readable file nor a public key string (like name+1a2b3c4d+AV...)"));
        }
    }

    /** HMAC keys of a keyed ledger, one base64 file per key epoch, in epoch order. */
    static List<HmacKey> hmacKeys(CommandLine cl, List<Path> files) {
        List<HmacKey> out = new ArrayList<>();
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                throw new ParameterException(cl, "--hmac-key " + f + ": no such file");
            }
            try {
                out.add(HmacKey.fromFile(f));
            } catch (IOException | IllegalArgumentException e) {
                throw new ParameterException(cl, "--hmac-key " + f + ": " + e.getMessage());
            }
        }
        return out;
    }

    /**
     * The demo's signing key: its Ed25519 seed is SHA-256 of a fixed label and the demo's {@code --seed}, so the
     * same seed gives the same key, the same signatures and therefore a byte-identical ledger directory. Anyone who
     * knows the seed can recreate the key: it is for demonstrations only and must never sign a real ledger.
     */
    static SigningKey demoKey(String name, long seed) {
        byte[] ed25519Seed;
        try {
            ed25519Seed = MessageDigest.getInstance("SHA-256")
                    .digest(("vigil demo signing key, for demos only\n" + seed).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this Java runtime has no SHA-256", e);
        }
        try {
            return SigningKey.fromSeed(name, ed25519Seed);
        } finally {
            Arrays.fill(ed25519Seed, (byte) 0);
        }
    }
}
