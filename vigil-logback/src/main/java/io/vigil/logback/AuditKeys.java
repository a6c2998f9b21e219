package io.vigil.logback;

import java.util.List;

/**
 * The key-value pairs (SLF4J 2 {@code addKeyValue}) the bridge reads into the audit event's own fields; every other
 * pair becomes a detail. Except for {@link #TYPE}, {@link #REASON} and {@link #SEVERITY}, a key missing from the log
 * call is looked up in the MDC under the same name, and for correlation values (actor, ip, user agent, request,
 * trace and session ids, tenant) only when the current {@link io.vigil.AuditContext} does not already hold one.
 */
public final class AuditKeys {
    /** A catalogue type ({@code auth.login.failure}) or an OWASP vocabulary name ({@code authn_login_fail:alice}). */
    public static final String TYPE = "type";
    /** The actor's id (a user id unless {@link #ACTOR_TYPE} says otherwise). */
    public static final String ACTOR = "actor";
    /** {@code user}, {@code service}, {@code system}, {@code api} or {@code anonymous}. */
    public static final String ACTOR_TYPE = "actorType";
    /** The actor's display name. */
    public static final String ACTOR_NAME = "actorName";
    /** The client's IP address literal. */
    public static final String IP = "ip";
    /** The client's user agent. */
    public static final String USER_AGENT = "userAgent";
    /** The kind of resource acted on; a target is recorded only when this is given. */
    public static final String TARGET_TYPE = "targetType";
    /** The resource's id. */
    public static final String TARGET_ID = "targetId";
    /** The resource's display name. */
    public static final String TARGET_NAME = "targetName";
    /** {@code success}, {@code failure}, {@code denied} or {@code error}; the type's default otherwise. */
    public static final String OUTCOME = "outcome";
    /** {@code info}, {@code low}, {@code medium}, {@code high} or {@code critical}; the type's default otherwise. */
    public static final String SEVERITY = "severity";
    /** The tenant. */
    public static final String TENANT = "tenant";
    /** The request id. */
    public static final String REQUEST_ID = "requestId";
    /** The trace id. */
    public static final String TRACE_ID = "traceId";
    /**
     * A hash of the session id, in the form {@code algorithm:hex} with at least 32 hex digits (as
     * {@code hmac-sha256:…}); any other value is withheld, because a raw session id is a credential.
     */
    public static final String SESSION_ID = "sessionId";
    /** Why; the formatted log message when absent. */
    public static final String REASON = "reason";

    private static final List<String> ALL = List.of(TYPE, ACTOR, ACTOR_TYPE, ACTOR_NAME, IP, USER_AGENT, TARGET_TYPE,
            TARGET_ID, TARGET_NAME, OUTCOME, SEVERITY, TENANT, REQUEST_ID, TRACE_ID, SESSION_ID, REASON);

    private AuditKeys() {
    }

    /** Every key above, in this order. */
    public static List<String> all() {
        return ALL;
    }
}
