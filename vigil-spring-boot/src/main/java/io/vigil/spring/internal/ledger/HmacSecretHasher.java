package io.vigil.spring.internal.ledger;

import io.vigil.spring.SecretHasher;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

/** {@link SecretHasher} with HMAC-SHA256, truncated to 128 bits: enough to correlate, short in every entry. */
public final class HmacSecretHasher implements SecretHasher {
    private static final String ALGORITHM = "HmacSHA256";
    private final SecretKeySpec key;
    // Mac instances are not thread-safe; one per thread avoids both a lock and an instance per call.
    private final ThreadLocal<Mac> macs;

    public HmacSecretHasher(byte[] keyBytes) {
        if (keyBytes.length < 32) {
            throw new IllegalArgumentException("the hash key must be at least 32 bytes");
        }
        this.key = new SecretKeySpec(keyBytes.clone(), ALGORITHM);
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    @Override
    public String hash(String secret) {
        byte[] mac = macs.get().doFinal(secret.getBytes(StandardCharsets.UTF_8));
        return "hmac-sha256:" + HexFormat.of().formatHex(mac, 0, 16);
    }

    @Override
    public String toString() {
        return "HmacSecretHasher[key hidden]";
    }
}
