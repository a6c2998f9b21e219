package io.vigil.internal;

import io.vigil.event.Actor;
import io.vigil.event.AuditEvent;
import io.vigil.event.Target;
import io.vigil.json.CanonicalSize;
import io.vigil.redact.HmacKey;
import io.vigil.redact.RedactionPolicy;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies a {@link RedactionPolicy} (and the request-id switch) to events on the writer thread. Returns the same
 * instance when nothing changes, which is the common case, so the hot path allocates nothing. Not thread-safe: one
 * instance per writer thread (the HMAC, the reused matchers and the number buffer are stateful).
 */
public final class Redactor {
    /** The details key that lists the paths of cut fields. */
    public static final String TRUNCATED_KEY = "_truncated";
    static final String TRUNCATED_VALUE = "[TRUNCATED]";
    /** Paths listed under {@link #TRUNCATED_KEY} before the rest are only counted. */
    static final int MAX_LISTED_CUTS = 32;
    /** Bytes of {@code "_truncated":} in canonical JSON. */
    private static final int MARKER_KEY_BYTES = 13;
    /** AuditEvent's own limit for a string in details, reason and error (masking can lengthen a string). */
    private static final int MAX_EVENT_FIELD_CHARS = 65_536;
    /** AuditEvent's own limit for actor.name, actor.userAgent and target.name. */
    private static final int MAX_EVENT_ID_CHARS = 1_024;


    private final RedactionPolicy policy;
    private final boolean includeRequestIds;
    private final Mac mac;
    private final CredentialMasker masker;
    /** Key decisions by raw key; detail keys repeat endlessly, normalising each one every time is the hot cost. */
    private final HashMap<String, Byte> keyKinds = new HashMap<>();
    private static final byte PLAIN = 0;
    private static final byte SECRET = 1;
    private static final byte HMAC = 2;
    private final CanonicalSize canonicalSize = new CanonicalSize();

    public Redactor(RedactionPolicy policy, boolean includeRequestIds) {
        this.policy = policy;
        this.includeRequestIds = includeRequestIds;
        this.mac = policy.hmacKey().map(Redactor::newMac).orElse(null);
        this.masker = new CredentialMasker(policy.replacement());
    }

    private static Mac newMac(HmacKey key) {
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
        boolean masking = policy.enabled();
        int max = fieldLimit();
        String reason = e.reason().orElse(null);
        String newReason = reason != null && masking ? masker.mask(reason) : reason;
        String error = e.error().orElse(null);
        String newError = error != null && masking ? masker.mask(error) : error;
        boolean touchReason = newReason != null && (newReason != reason || newReason.length() > max);
        boolean touchError = newError != null && (newError != error || newError.length() > max);
        Actor actor = e.actor().orElse(null);
        String actorName = null;
        String userAgent = null;
        boolean touchActor = false;
        if (masking && actor != null) {
            String name = actor.name().orElse(null);
            actorName = name == null ? null : masker.mask(name);
            String ua = actor.userAgent().orElse(null);
            userAgent = ua == null ? null : masker.mask(ua);
            touchActor = actorName != name || userAgent != ua;
        }
        Target target = e.target().orElse(null);
        String targetName = null;
        boolean touchTarget = false;
        if (masking && target != null) {
            String name = target.name().orElse(null);
            targetName = name == null ? null : masker.mask(name);
            touchTarget = targetName != name;
        }
        boolean touchDetails = !e.details().isEmpty() && detailsNeedWork(e.details(), 1);
        if (!stripIds && !touchReason && !touchError && !touchActor && !touchTarget && !touchDetails) {
            return e;
        }

        AuditEvent.Builder b = e.toBuilder();
        Cuts cuts = new Cuts();
        if (stripIds) {
            b.requestId(null).sessionId(null).traceId(null);
        }
        if (touchReason) {
            b.reason(limit("reason", newReason, max, cuts));
        }
        if (touchError) {
            b.error(limit("error", newError, max, cuts));
        }
        if (touchActor) {
            Actor a = actor;
            if (actorName != null) {
                a = a.withName(limit("actor.name", actorName, MAX_EVENT_ID_CHARS, cuts));
            }
            if (userAgent != null) {
                a = a.withUserAgent(limit("actor.userAgent", userAgent, MAX_EVENT_ID_CHARS, cuts));
            }
            b.actor(a);
        }
        if (touchTarget) {
            b.target(target.withName(limit("target.name", targetName, MAX_EVENT_ID_CHARS, cuts)));
        }
        if (touchDetails || !cuts.isEmpty()) {
            LinkedHashMap<String, Object> details = redactMap("details", e.details(), 1, cuts);
            enforceSize(details, cuts);
            if (!cuts.isEmpty()) {
                details.put(TRUNCATED_KEY, cuts.toList());
            }
            b.details(details);
        }
        return b.build();
    }

    /** The longest string kept in details, reason and error. */
    private int fieldLimit() {
        return Math.min(policy.maxFieldLength(), MAX_EVENT_FIELD_CHARS);
    }

    private static String limit(String path, String s, int max, Cuts cuts) {
        if (s.length() <= max) {
            return s;
        }
        cuts.add(path);
        return cut(s, max);
    }

    /** Quick scan: does any detail need masking, hashing or cutting? */
    private boolean detailsNeedWork(Map<String, Object> map, int depth) {
        if (depth > policy.maxDetailsDepth()) {
            return true;
        }
        // While scanning, add up a cheap upper bound of the canonical size (every char escaped to 6 bytes); only
        // when that bound passes the limit is the exact size computed. Typical details never get there.
        long bound = 2;
        boolean exactNeeded = false;
        for (Map.Entry<String, Object> en : map.entrySet()) {
            String k = en.getKey();
            if (kind(k) != PLAIN || k.equals(TRUNCATED_KEY)) {
                return true;
            }
            Object v = en.getValue();
            if (valueNeedsWork(v, depth)) {
                return true;
            }
            if (depth == 1 && !exactNeeded) {
                bound += 6L * k.length() + 4;
                if (v instanceof String str) {
                    bound += 6L * str.length() + 2;
                } else if (v instanceof Number || v instanceof Boolean) {
                    bound += 32;
                } else {
                    exactNeeded = true;
                }
            }
        }
        if (depth != 1) {
            return false;
        }
        if (!exactNeeded && bound <= policy.maxDetailsBytes()) {
            return false;
        }
        return canonicalSize.of(map) > policy.maxDetailsBytes();
    }

    private boolean valueNeedsWork(Object v, int depth) {
        if (v instanceof String s) {
            return s.length() > fieldLimit() || (policy.enabled() && masker.mask(s) != s);
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

    private LinkedHashMap<String, Object> redactMap(String path, Map<String, Object> in, int depth, Cuts cuts) {
        LinkedHashMap<String, Object> out = new LinkedHashMap<>(Math.max(4, in.size() * 2));
        for (Map.Entry<String, Object> en : in.entrySet()) {
            String k = en.getKey();
            if (depth == 1 && k.equals(TRUNCATED_KEY)) {
                continue; // reserved for our own marker; a caller's value would be misleading
            }
            Object v = en.getValue();
            byte kind = kind(k);
            if (kind == HMAC) {
                out.put(k, hmac(v));
            } else if (kind == SECRET && !isKeyedHash(v)) {
                out.put(k, policy.replacement());
            } else {
                out.put(k, redactValue(path, k, -1, v, depth, cuts));
            }
        }
        return out;
    }

    /**
     * Redacts one value of a map (under {@code key}) or of a list (at {@code index}, key null) whose path is
     * {@code parent}; the value's own path is only built when it is needed.
     */
    private Object redactValue(String parent, String key, int index, Object v, int depth, Cuts cuts) {
        if (v instanceof String s) {
            String masked = policy.enabled() ? masker.mask(s) : s;
            int max = fieldLimit();
            if (masked.length() > max) {
                cuts.add(parent, key, index);
                return cut(masked, max);
            }
            return masked;
        }
        if (v instanceof Map<?, ?> m) {
            if (depth + 1 > policy.maxDetailsDepth()) {
                cuts.add(parent, key, index);
                return TRUNCATED_VALUE;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> mm = (Map<String, Object>) m;
            return redactMap(path(parent, key, index), mm, depth + 1, cuts);
        }
        if (v instanceof List<?> l) {
            if (depth + 1 > policy.maxDetailsDepth()) {
                cuts.add(parent, key, index);
                return TRUNCATED_VALUE;
            }
            String path = path(parent, key, index);
            List<Object> out = new ArrayList<>(l.size());
            for (int i = 0; i < l.size(); i++) {
                out.add(redactValue(path, null, i, l.get(i), depth + 1, cuts));
            }
            return out;
        }
        return v;
    }

    private static String path(String parent, String key, int index) {
        return key != null ? parent + "." + key : parent + "[" + index + "]";
    }

    /**
     * Drops top-level entries from the end until the details, with the {@code _truncated} marker they will carry,
     * fit {@code maxDetailsBytes}, listing each as cut. Each entry is measured once and the total kept up to date by
     * subtraction, so this is linear in the size of the details.
     */
    private void enforceSize(LinkedHashMap<String, Object> details, Cuts cuts) {
        long limit = policy.maxDetailsBytes();
        int n = details.size();
        String[] keys = new String[n];
        long[] sizes = new long[n];
        long members = 0;
        int i = 0;
        for (Map.Entry<String, Object> en : details.entrySet()) {
            keys[i] = en.getKey();
            sizes[i] = CanonicalSize.ofString(en.getKey()) + 1 + canonicalSize.of(en.getValue());
            members += sizes[i];
            i++;
        }
        int kept = n;
        while (kept > 0 && objectSize(members, kept, cuts) > limit) {
            kept--;
            members -= sizes[kept];
            cuts.add("details", keys[kept], -1);
        }
        for (int j = kept; j < n; j++) {
            details.remove(keys[j]);
        }
        // Only when the marker alone is too big (very long paths): fold listed paths into the count.
        while (objectSize(members, kept, cuts) > limit) {
            if (!cuts.unlistLast()) {
                break;
            }
        }
    }

    /** Canonical size of an object of {@code count} members totalling {@code members} bytes, plus the marker. */
    private static long objectSize(long members, int count, Cuts cuts) {
        long size = 2 + members + Math.max(0, count - 1);
        if (!cuts.isEmpty()) {
            size += (count > 0 ? 1 : 0) + MARKER_KEY_BYTES + cuts.listBytes();
        }
        return size;
    }

    /** Direct-mapped, by identity: detail keys are usually the same string constants event after event. */
    private final String[] recentKeys = new String[64];
    private final byte[] recentKinds = new byte[64];

    private byte kind(String key) {
        int slot = key.hashCode() & 63;
        if (recentKeys[slot] == key) {
            return recentKinds[slot];
        }
        byte kind = lookupKind(key);
        recentKeys[slot] = key;
        recentKinds[slot] = kind;
        return kind;
    }

    private byte lookupKind(String key) {
        Byte k = keyKinds.get(key);
        if (k == null) {
            k = policy.isHmacKey(key) ? HMAC : policy.isSecretKey(key) ? SECRET : PLAIN;
            if (keyKinds.size() < 10_000) { // bounded: keys are code-defined, but a caller could mint them from data
                keyKinds.put(key, k);
            }
        }
        return k;
    }

    /**
     * {@code hmac-sha256:} and 32 to 64 lowercase hex digits: a keyed hash (this redactor's, or one an application's
     * hasher made of a token or session id). It reveals nothing and correlates, so a secret-looking key
     * ({@code tokenHash}) keeps it.
     */
    static boolean isKeyedHash(Object v) {
        if (!(v instanceof String s) || !s.startsWith("hmac-sha256:")) {
            return false;
        }
        int digits = s.length() - 12;
        if (digits < 32 || digits > 64) {
            return false;
        }
        for (int i = 12; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
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
     * The paths of cut fields: the first {@link #MAX_LISTED_CUTS} are listed, the rest only counted, so an event with
     * thousands of cuts gets a marker of bounded size. Keeps its canonical JSON size up to date as paths are added.
     */
    private static final class Cuts {
        private final List<String> listed = new ArrayList<>(4);
        private final List<Long> listedBytes = new ArrayList<>(4);
        private long pathBytes;
        private long more;

        void add(String path) {
            if (listed.size() < MAX_LISTED_CUTS) {
                long bytes = CanonicalSize.ofString(path);
                listed.add(path);
                listedBytes.add(bytes);
                pathBytes += bytes;
            } else {
                more++;
            }
        }

        /** Adds {@code parent.key}, or {@code parent[index]} when key is null, building it only if it is listed. */
        void add(String parent, String key, int index) {
            if (listed.size() < MAX_LISTED_CUTS) {
                add(path(parent, key, index));
            } else {
                more++;
            }
        }

        /** Moves the last listed path into the count; false when none is listed. */
        boolean unlistLast() {
            if (listed.isEmpty()) {
                return false;
            }
            int last = listed.size() - 1;
            listed.remove(last);
            pathBytes -= listedBytes.remove(last);
            more++;
            return true;
        }

        boolean isEmpty() {
            return listed.isEmpty() && more == 0;
        }

        private String summary() {
            return "details: " + more + " more keys";
        }

        /** Canonical size of the list as a JSON array. */
        long listBytes() {
            int items = listed.size() + (more > 0 ? 1 : 0);
            long summary = more > 0 ? 2 + "details: ".length() + CanonicalSize.ofInteger(more) + " more keys".length() : 0;
            return 2 + pathBytes + summary + Math.max(0, items - 1);
        }

        List<String> toList() {
            if (more == 0) {
                return List.copyOf(listed);
            }
            List<String> all = new ArrayList<>(listed.size() + 1);
            all.addAll(listed);
            all.add(summary());
            return all;
        }
    }
}
