package io.vigil.internal;

import io.vigil.event.AuditEvent;
import io.vigil.redact.RedactionPolicy;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Applies a {@link RedactionPolicy} (and the request-id switch) to events on the writer thread. Returns the same
 * instance when nothing changes, which is the common case, so the hot path allocates nothing. Not thread-safe: one
 * instance per writer thread (the HMAC is stateful).
 */
public final class Redactor {
    /** The details key that lists the paths of cut fields. */
    public static final String TRUNCATED_KEY = "_truncated";
    static final String TRUNCATED_VALUE = "[TRUNCATED]";

    private final RedactionPolicy policy;
    private final boolean includeRequestIds;
    private final Mac mac;
    /** Key decisions by raw key; detail keys repeat endlessly, normalising each one every time is the hot cost. */
    private final java.util.HashMap<String, Byte> keyKinds = new java.util.HashMap<>();
    private static final byte PLAIN = 0;
    private static final byte SECRET = 1;
    private static final byte HMAC = 2;

    public Redactor(RedactionPolicy policy, boolean includeRequestIds) {
        this.policy = policy;
        this.includeRequestIds = includeRequestIds;
        this.mac = policy.hmacKey().map(Redactor::newMac).orElse(null);
    }

    private static Mac newMac(io.vigil.redact.HmacKey key) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(key.bytes(), "HmacSHA256"));
            return m;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable in this JVM", e);
        }
    }

    public RedactionPolicy policy() {
        return policy;
    }

    /** The event as sinks may see it. */
    public AuditEvent apply(AuditEvent e) {
        boolean stripIds = !includeRequestIds
                && (e.requestId().isPresent() || e.sessionId().isPresent() || e.traceId().isPresent());
        int max = policy.maxFieldLength();
        boolean longReason = e.reason().isPresent() && e.reason().get().length() > max;
        boolean longError = e.error().isPresent() && e.error().get().length() > max;
        boolean touchDetails = !e.details().isEmpty() && detailsNeedWork(e.details(), 1);
        if (!stripIds && !longReason && !longError && !touchDetails) {
            return e;
        }
        AuditEvent.Builder b = e.toBuilder();
        List<String> truncated = new ArrayList<>(2);
        if (stripIds) {
            b.requestId(null).sessionId(null).traceId(null);
        }
        if (longReason) {
            b.reason(cut(e.reason().get(), max));
            truncated.add("reason");
        }
        if (longError) {
            b.error(cut(e.error().get(), max));
            truncated.add("error");
        }
        if (touchDetails || !truncated.isEmpty()) {
            Map<String, Object> details = redactMap("details", e.details(), 1, truncated);
            details = enforceSize(details, truncated);
            if (!truncated.isEmpty()) {
                details.put(TRUNCATED_KEY, List.copyOf(truncated));
            }
            b.details(details);
        }
        return b.build();
    }

    /** Quick scan: does any detail need masking, hashing or cutting? */
    private boolean detailsNeedWork(Map<String, Object> map, int depth) {
        if (depth > policy.maxDetailsDepth()) {
            return true;
        }
        for (Map.Entry<String, Object> en : map.entrySet()) {
            String k = en.getKey();
            if (kind(k) != PLAIN || k.equals(TRUNCATED_KEY)) {
                return true;
            }
            if (valueNeedsWork(en.getValue(), depth)) {
                return true;
            }
        }
        return depth == 1 && estimateSize(map) > policy.maxDetailsBytes();
    }

    private boolean valueNeedsWork(Object v, int depth) {
        if (v instanceof String s) {
            return s.length() > policy.maxFieldLength() || (policy.enabled() && looksLikeCredential(s));
        }
        if (v instanceof Map<?, ?> m) {
            @SuppressWarnings("unchecked")
            Map<String, Object> mm = (Map<String, Object>) m;
            return detailsNeedWork(mm, depth + 1);
        }
        if (v instanceof List<?> l) {
            if (depth + 1 > policy.maxDetailsDepth()) {
                return true;
            }
            for (Object o : l) {
                if (valueNeedsWork(o, depth + 1)) {
                    return true;
                }
            }
        }
        return false;
    }

    private Map<String, Object> redactMap(String path, Map<String, Object> in, int depth, List<String> truncated) {
        LinkedHashMap<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> en : in.entrySet()) {
            String k = en.getKey();
            String p = path + "." + k;
            if (depth == 1 && k.equals(TRUNCATED_KEY)) {
                continue; // reserved for our own marker; a caller's value would be misleading
            }
            Object v = en.getValue();
            byte kind = kind(k);
            if (kind == HMAC) {
                out.put(k, hmac(v));
            } else if (kind == SECRET) {
                out.put(k, policy.replacement());
            } else {
                out.put(k, redactValue(p, v, depth, truncated));
            }
        }
        return out;
    }

    private Object redactValue(String path, Object v, int depth, List<String> truncated) {
        if (v instanceof String s) {
            if (policy.enabled() && looksLikeCredential(s)) {
                return policy.replacement();
            }
            if (s.length() > policy.maxFieldLength()) {
                truncated.add(path);
                return cut(s, policy.maxFieldLength());
            }
            return s;
        }
        if (v instanceof Map<?, ?> m) {
            if (depth + 1 > policy.maxDetailsDepth()) {
                truncated.add(path);
                return TRUNCATED_VALUE;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> mm = (Map<String, Object>) m;
            return redactMap(path, mm, depth + 1, truncated);
        }
        if (v instanceof List<?> l) {
            if (depth + 1 > policy.maxDetailsDepth()) {
                truncated.add(path);
                return TRUNCATED_VALUE;
            }
            List<Object> out = new ArrayList<>(l.size());
            for (int i = 0; i < l.size(); i++) {
                out.add(redactValue(path + "[" + i + "]", l.get(i), depth + 1, truncated));
            }
            return out;
        }
        return v;
    }

    /** Drops top-level entries from the end until the details fit, listing each as truncated. */
    private Map<String, Object> enforceSize(Map<String, Object> details, List<String> truncated) {
        if (estimateSize(details) <= policy.maxDetailsBytes()) {
            return details;
        }
        List<String> keys = new ArrayList<>(details.keySet());
        for (int i = keys.size() - 1; i >= 0 && estimateSize(details) > policy.maxDetailsBytes() - 64L; i--) {
            details.remove(keys.get(i));
            truncated.add("details." + keys.get(i));
        }
        return details;
    }

    private byte kind(String key) {
        Byte k = keyKinds.get(key);
        if (k == null) {
            k = policy.isHmacKey(key) ? HMAC : policy.isSecretKey(key) ? SECRET : PLAIN;
            if (keyKinds.size() < 10_000) { // bounded: keys are code-defined, but a caller could mint them from data
                keyKinds.put(key, k);
            }
        }
        return k;
    }

    /** Bearer/basic authorization values and JWTs, wherever they appear. */
    static boolean looksLikeCredential(String s) {
        if (s.length() < 10) {
            return false;
        }
        if (s.regionMatches(true, 0, "bearer ", 0, 7) || s.regionMatches(true, 0, "basic ", 0, 6)) {
            return true;
        }
        if (s.startsWith("eyJ")) {
            int dot1 = s.indexOf('.');
            int dot2 = dot1 < 0 ? -1 : s.indexOf('.', dot1 + 1);
            return dot1 > 3 && dot2 > dot1 + 1 && s.indexOf(' ') < 0;
        }
        return false;
    }

    private String hmac(Object v) {
        String text = v instanceof String s ? s : String.valueOf(v);
        byte[] out = mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        return "hmac-sha256:" + HexFormat.of().formatHex(out);
    }

    private static String cut(String s, int max) {
        int end = max;
        if (Character.isHighSurrogate(s.charAt(end - 1))) {
            end--; // never split a surrogate pair
        }
        return s.substring(0, end);
    }

    /**
     * Size of the value as canonical JSON, in UTF-8 bytes, close enough for a limit (numbers are counted by their
     * Java string form, which can differ from the canonical form by a few characters).
     */
    static long estimateSize(Object v) {
        if (v instanceof String s) {
            long n = 2;
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                n += c < 0x20 ? 6 : c == '"' || c == '\\' ? 2 : c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
            }
            return n;
        }
        if (v instanceof Map<?, ?> m) {
            long n = 2 + Math.max(0, m.size() - 1);
            for (Map.Entry<?, ?> e : m.entrySet()) {
                n += estimateSize(e.getKey()) + 1 + estimateSize(e.getValue());
            }
            return n;
        }
        if (v instanceof List<?> l) {
            long n = 2 + Math.max(0, l.size() - 1);
            for (Object o : l) {
                n += estimateSize(o);
            }
            return n;
        }
        if (v instanceof BigDecimal || v instanceof BigInteger || v instanceof Number || v instanceof Boolean) {
            return String.valueOf(v).length();
        }
        return Optional.ofNullable(v).map(Object::toString).map(String::length).orElse(4);
    }
}
