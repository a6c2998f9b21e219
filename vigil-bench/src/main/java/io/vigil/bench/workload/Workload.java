package io.vigil.bench.workload;

import io.vigil.event.EventCatalog;
import io.vigil.event.EventType;

/**
 * A deterministic mix of security events. Event {@code i} depends only on the seed and {@code i}, so any number of
 * threads can split the index range and still write exactly the same set of events, and every stack gets the same
 * sequence. The mix: 35% login success, 20% login failure, 15% access denied, 15% token created, 10% data export,
 * 5% rate limited.
 */
public final class Workload {
    /** The seed every harness uses unless told otherwise. */
    public static final long DEFAULT_SEED = 20_260_129L;

    private static final int USERS = 4096;
    private static final String[] METHODS = {"password", "token", "device", "tailscale"};
    private static final String[] FAILURES = {"bad_credentials", "unknown_user", "account_locked", "expired_password"};
    private static final String[] PERMISSIONS = {"read", "write", "delete", "admin"};
    private static final String[] POLICIES = {"rbac", "abac", "tenant-isolation"};
    private static final String[] SCOPES = {"read", "read write", "read write admin", "billing:read"};
    private static final String[] FORMATS = {"csv", "json", "pdf", "xlsx"};
    private static final String[] DESTINATIONS = {"download", "email", "s3"};
    private static final String[] APPS = {"portal", "api", "admin-console", "mobile"};
    private static final String[] ENDPOINTS = {"/api/v1/search", "/api/v1/login", "/api/v1/export", "/api/v1/users"};

    private final long seed;
    // Pools stand in for values an application already holds (the session's user, the request's address), so
    // per-event string building is limited to the request id.
    private final String[] users = new String[USERS];
    private final String[] ips = new String[USERS];

    public Workload(long seed) {
        this.seed = seed;
        for (int u = 0; u < USERS; u++) {
            long h = mix(seed ^ (0x9E37_79B9_7F4A_7C15L * (u + 1)));
            users[u] = String.format("user-%05d", u);
            ips[u] = "10." + ((h >>> 8) & 0xFF) + '.' + ((h >>> 16) & 0xFF) + '.' + (1 + ((h >>> 24) & 0xFD));
        }
    }

    public Workload() {
        this(DEFAULT_SEED);
    }

    /** The event at position {@code index}; the same for the same seed and index, on every call. */
    public SampleEvent event(long index) {
        long h = mix(seed + 0x9E37_79B9_7F4A_7C15L * (index + 1));
        long h2 = mix(h);
        int user = (int) (h2 & (USERS - 1));
        String actor = users[user];
        String ip = ips[user];
        String requestId = "req-" + Long.toHexString(h | Long.MIN_VALUE); // top bit set: always 16 hex digits
        int pick = (int) Long.remainderUnsigned(h >>> 12, 100);
        int a = (int) ((h2 >>> 16) & 0xFFFF);
        int b = (int) ((h2 >>> 32) & 0xFFFF);
        EventType type;
        if (pick < 35) {
            return new SampleEvent(index, EventCatalog.AUTH_LOGIN_SUCCESS, actor, ip, "application", APPS[a & 3],
                    requestId, "method", METHODS[b & 3], "mfa", (b & 4) != 0, null, null);
        } else if (pick < 55) {
            return new SampleEvent(index, EventCatalog.AUTH_LOGIN_FAILURE, actor, ip, "application", APPS[a & 3],
                    requestId, "method", METHODS[b & 3], "reason", FAILURES[(b >>> 2) & 3], "attempt", 1 + (a % 5));
        } else if (pick < 70) {
            type = EventCatalog.AUTHZ_ACCESS_DENIED;
            return new SampleEvent(index, type, actor, ip, "document", "doc-" + (a % 50_000), requestId,
                    "permission", PERMISSIONS[b & 3], "policy", POLICIES[b % 3], null, null);
        } else if (pick < 85) {
            type = EventCatalog.AUTH_TOKEN_CREATED;
            return new SampleEvent(index, type, actor, ip, "api_token", "tk-" + Integer.toHexString(a << 16 | b),
                    requestId, "scopes", SCOPES[b & 3], "ttlSeconds", (b & 1) == 0 ? 3_600 : 86_400, null, null);
        } else if (pick < 95) {
            type = EventCatalog.DATA_EXPORT;
            return new SampleEvent(index, type, actor, ip, "report", "rpt-" + (a % 10_000), requestId,
                    "format", FORMATS[b & 3], "recordCount", 1 + (a % 250_000), "destination", DESTINATIONS[b % 3]);
        } else {
            type = EventCatalog.RATE_LIMIT_REQUEST_LIMITED;
            return new SampleEvent(index, type, actor, ip, "endpoint", ENDPOINTS[a & 3], requestId,
                    "retryAfterMs", 250 * (1 + (b & 7)), "limitPerMinute", (b & 8) == 0 ? 100 : 1_000, null, null);
        }
    }

    /** Stafford's variant 13 of the SplitMix64 finaliser: cheap, and every input bit affects every output bit. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return z ^ (z >>> 31);
    }
}
