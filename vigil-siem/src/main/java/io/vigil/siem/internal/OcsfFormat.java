package io.vigil.siem.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.event.Actor;
import io.vigil.event.ActorType;
import io.vigil.event.AuditEvent;
import io.vigil.event.Outcome;
import io.vigil.event.Severity;
import io.vigil.event.Target;
import io.vigil.sink.EntryPosition;
import io.vigil.sink.EventFormat;

import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Vigil events as OCSF 1.8.0 events, one compact JSON object per line. Each catalogue type has a fixed class and
 * activity ({@link #mappingOf(String)}); custom types are API Activity, Other. What OCSF has no attribute for goes to
 * {@code unmapped}, and the ledger's place to {@code unmapped.vigil.seq} and {@code unmapped.vigil.hash}.
 */
public final class OcsfFormat implements EventFormat {

    /** The OCSF version the mapping is written against, written as {@code metadata.version}. */
    public static final String OCSF_VERSION = "1.8.0";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** An OCSF class: its uid, name and category. */
    public enum OcsfClass {
        DETECTION_FINDING(2004, "Detection Finding", 2, "Findings"),
        ACCOUNT_CHANGE(3001, "Account Change", 3, "Identity & Access Management"),
        AUTHENTICATION(3002, "Authentication", 3, "Identity & Access Management"),
        AUTHORIZE_SESSION(3003, "Authorize Session", 3, "Identity & Access Management"),
        ENTITY_MANAGEMENT(3004, "Entity Management", 3, "Identity & Access Management"),
        USER_ACCESS_MANAGEMENT(3005, "User Access Management", 3, "Identity & Access Management"),
        API_ACTIVITY(6003, "API Activity", 6, "Application Activity"),
        WEB_RESOURCE_ACCESS_ACTIVITY(6004, "Web Resource Access Activity", 6, "Application Activity");

        private final int uid;
        private final String caption;
        private final int categoryUid;
        private final String categoryName;

        OcsfClass(int uid, String caption, int categoryUid, String categoryName) {
            this.uid = uid;
            this.caption = caption;
            this.categoryUid = categoryUid;
            this.categoryName = categoryName;
        }

        public int uid() {
            return uid;
        }

        public String caption() {
            return caption;
        }

        public int categoryUid() {
            return categoryUid;
        }

        public String categoryName() {
            return categoryName;
        }
    }

    /**
     * Where one Vigil type lands: the class and activity. {@code activityName} is the enum's caption, or, for 99
     * Other, a label of Vigil's own, as OCSF asks.
     */
    public record Mapping(OcsfClass ocsfClass, int activityId, String activityName) {
    }

    private static final Map<String, Mapping> BY_TYPE = new LinkedHashMap<>();

    static {
        OcsfClass auth = OcsfClass.AUTHENTICATION;
        OcsfClass account = OcsfClass.ACCOUNT_CHANGE;
        OcsfClass entity = OcsfClass.ENTITY_MANAGEMENT;
        OcsfClass access = OcsfClass.USER_ACCESS_MANAGEMENT;
        OcsfClass web = OcsfClass.WEB_RESOURCE_ACCESS_ACTIVITY;
        OcsfClass api = OcsfClass.API_ACTIVITY;
        OcsfClass finding = OcsfClass.DETECTION_FINDING;
        // auth
        map("auth.login.success", auth, 1, "Logon");
        map("auth.login.failure", auth, 1, "Logon");
        map("auth.login.success_after_failure", auth, 1, "Logon");
        map("auth.login.failure_limit_reached", auth, 1, "Logon");
        map("auth.account.locked", account, 9, "Lock");
        map("auth.logout", auth, 2, "Logoff");
        map("auth.password.changed", account, 3, "Password Change");
        map("auth.password.change_failed", account, 3, "Password Change");
        map("auth.password.reset.requested", account, 99, "Password Reset Request");
        map("auth.password.reset.completed", account, 4, "Password Reset");
        map("auth.token.created", auth, 99, "Token Create");
        map("auth.token.refreshed", auth, 99, "Token Refresh");
        map("auth.token.refresh_failed", auth, 99, "Token Refresh");
        map("auth.token.revoked", auth, 99, "Token Revoke");
        map("auth.token.deleted", auth, 99, "Token Delete");
        map("auth.token.reused", auth, 1, "Logon");
        map("auth.token.used", auth, 1, "Logon");
        map("auth.token.rejected", auth, 1, "Logon");
        map("auth.api_key.used", auth, 1, "Logon");
        map("auth.api_key.rejected", auth, 1, "Logon");
        map("auth.mfa.enabled", account, 10, "MFA Factor Enable");
        map("auth.mfa.disabled", account, 11, "MFA Factor Disable");
        map("auth.mfa.challenged", auth, 99, "MFA Challenge");
        map("auth.mfa.verified", auth, 1, "Logon");
        map("auth.mfa.failed", auth, 1, "Logon");
        map("auth.session.created", auth, 1, "Logon");
        map("auth.session.revoked", auth, 2, "Logoff");
        map("auth.device.registered", entity, 6, "Enroll");
        map("auth.device.revoked", entity, 7, "Unenroll");
        map("auth.user.switched", auth, 7, "Account Switch");
        // authz
        map("authz.access.granted", web, 1, "Access Grant");
        map("authz.access.denied", web, 2, "Access Deny");
        map("authz.permission.checked", web, 1, "Access Grant");
        map("authz.permission.check_denied", web, 2, "Access Deny");
        map("authz.permission.granted", access, 1, "Assign Privileges");
        map("authz.permission.revoked", access, 2, "Revoke Privileges");
        map("authz.role.assigned", access, 1, "Assign Privileges");
        map("authz.role.removed", access, 2, "Revoke Privileges");
        map("authz.privilege.changed", access, 99, "Change Privileges");
        map("authz.acl.changed", entity, 3, "Update");
        // admin
        map("admin.user.created", account, 1, "Create");
        map("admin.user.updated", account, 99, "Update");
        map("admin.user.suspended", account, 5, "Disable");
        map("admin.user.reactivated", account, 2, "Enable");
        map("admin.user.deleted", account, 6, "Delete");
        map("admin.settings.changed", entity, 3, "Update");
        map("admin.channel.added", entity, 1, "Create");
        map("admin.channel.removed", entity, 4, "Delete");
        map("admin.exec.elevated", OcsfClass.AUTHORIZE_SESSION, 1, "Assign Privileges");
        // config
        map("config.loaded", entity, 2, "Read");
        map("config.changed", entity, 3, "Update");
        map("config.reloaded", entity, 99, "Reload");
        map("config.validation_failed", entity, 99, "Validate");
        // rate_limit
        map("rate_limit.request.limited", web, 2, "Access Deny");
        map("rate_limit.channel.limited", web, 2, "Access Deny");
        map("rate_limit.auth.backoff", auth, 1, "Logon");
        // channel
        map("channel.connected", entity, 99, "Connect");
        map("channel.disconnected", entity, 99, "Disconnect");
        map("channel.added", entity, 1, "Create");
        map("channel.removed", entity, 4, "Delete");
        map("channel.error", entity, 99, "Error");
        map("channel.message.rejected", web, 2, "Access Deny");
        // session
        map("session.started", auth, 1, "Logon");
        map("session.renewed", auth, 99, "Session Renew");
        map("session.ended", auth, 2, "Logoff");
        map("session.timeout", auth, 2, "Logoff");
        map("session.used_after_expiry", auth, 1, "Logon");
        // data
        map("data.read", api, 2, "Read");
        map("data.create", api, 1, "Create");
        map("data.update", api, 3, "Update");
        map("data.write", api, 3, "Update");
        map("data.delete", api, 4, "Delete");
        map("data.export", api, 2, "Read");
        map("data.share", api, 99, "Share");
        map("data.upload", api, 1, "Create");
        map("data.upload.rejected", api, 1, "Create");
        // security: detections are findings; the rest are the activity they stopped
        map("security.anomaly.detected", finding, 1, "Create");
        map("security.brute.force.detected", finding, 1, "Create");
        map("security.rate.limited", web, 2, "Access Deny");
        map("security.suspicious.activity", finding, 1, "Create");
        map("security.attack.detected", finding, 1, "Create");
        map("security.input.rejected", api, 99, "Input Rejected");
        map("security.crypto.failed", api, 99, "Crypto Operation");
        map("security.event.unmapped", finding, 1, "Create");
        // audit: the audit system manages its log and configuration; a failed verification is a detection
        map("audit.started", entity, 99, "Start");
        map("audit.stopped", entity, 99, "Stop");
        map("audit.config.changed", entity, 3, "Update");
        map("audit.log.read", entity, 2, "Read");
        map("audit.verification.passed", entity, 99, "Verify");
        map("audit.verification.failed", finding, 1, "Create");
        map("audit.events.dropped", entity, 99, "Drop");
        map("audit.sink.failed", entity, 99, "Write");
        map("audit.ledger.recovered", entity, 99, "Recover");
        map("audit.action.attempted", entity, 99, "Attempt");
    }

    private static void map(String type, OcsfClass c, int activityId, String activityName) {
        BY_TYPE.put(type, new Mapping(c, activityId, activityName));
    }

    /** The class and activity for a type; a type outside the catalogue is API Activity, Other. */
    public static Mapping mappingOf(String type) {
        Mapping m = BY_TYPE.get(type);
        return m != null ? m : new Mapping(OcsfClass.API_ACTIVITY, 99, type);
    }

    /** The catalogue types this mapper has a fixed mapping for, in catalogue order. */
    public static Map<String, Mapping> mappings() {
        return Collections.unmodifiableMap(BY_TYPE);
    }

    public OcsfFormat() {
        // stateless: the mapping table is static
    }

    @Override
    public String name() {
        return "ocsf";
    }

    @Override
    public String format(AuditEvent event, Optional<EntryPosition> integrity) {
        try {
            // Jackson escapes control characters in strings, so the line never breaks
            return JSON.writeValueAsString(toOcsf(event, integrity));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The event as an OCSF object tree. */
    private ObjectNode toOcsf(AuditEvent event, Optional<EntryPosition> integrity) {
        Mapping m = activityFor(event);
        OcsfClass c = m.ocsfClass();
        ObjectNode o = JSON.createObjectNode();
        o.put("category_uid", c.categoryUid());
        o.put("category_name", c.categoryName());
        o.put("class_uid", c.uid());
        o.put("class_name", c.caption());
        o.put("activity_id", m.activityId());
        o.put("activity_name", m.activityName());
        o.put("type_uid", c.uid() * 100L + m.activityId());
        o.put("type_name", c.caption() + ": " + m.activityName());
        o.put("time", event.timestamp().toEpochMilli());
        o.put("severity_id", severityId(event.severity()));
        o.put("severity", severityName(event.severity()));
        if (c == OcsfClass.DETECTION_FINDING) {
            // a finding's status is its triage state, not the activity's outcome: a new finding
            o.put("status_id", 1);
            o.put("status", "New");
        } else {
            boolean ok = event.outcome() == Outcome.SUCCESS;
            o.put("status_id", ok ? 1 : 2);
            o.put("status", ok ? "Success" : "Failure");
            statusDetail(event).ifPresent(s -> o.put("status_detail", s));
        }
        o.put("message", message(event));
        o.set("metadata", metadata(event));
        ObjectNode user = user(event);
        switch (c) {
            case AUTHENTICATION -> {
                o.set("user", user);
                actorNode(event).ifPresent(a -> o.set("actor", a));
                o.set("service", service(event));
                if (event.type().startsWith("auth.mfa.")) {
                    o.put("is_mfa", true);
                }
                session(event).ifPresent(s -> o.set("session", s));
                srcEndpoint(event).ifPresent(s -> o.set("src_endpoint", s));
                userAgent(event).ifPresent(ua -> o.set("http_request", httpRequest(event)));
            }
            case ACCOUNT_CHANGE, USER_ACCESS_MANAGEMENT, AUTHORIZE_SESSION -> {
                o.set("user", user);
                actorNode(event).ifPresent(a -> o.set("actor", a));
                srcEndpoint(event).ifPresent(s -> o.set("src_endpoint", s));
                if (c == OcsfClass.USER_ACCESS_MANAGEMENT || c == OcsfClass.AUTHORIZE_SESSION) {
                    o.set("privileges", privileges(event));
                }
                if (c == OcsfClass.AUTHORIZE_SESSION) {
                    session(event).ifPresent(s -> o.set("session", s));
                }
            }
            case ENTITY_MANAGEMENT -> {
                o.set("entity", entity(event));
                actorNode(event).ifPresent(a -> o.set("actor", a));
                srcEndpoint(event).ifPresent(s -> o.set("src_endpoint", s));
                event.reason().ifPresent(r -> o.put("comment", r));
            }
            case API_ACTIVITY -> {
                o.set("actor", actorNode(event).orElseGet(() -> fallbackActor(event)));
                ObjectNode apiNode = JSON.createObjectNode();
                apiNode.put("operation", event.action());
                event.requestId().ifPresent(r -> apiNode.putObject("request").put("uid", r));
                event.service().ifPresent(s -> apiNode.putObject("service").put("name", s));
                o.set("api", apiNode);
                // required, and an endpoint needs an ip or a name: without an ip the source is named as unknown
                o.set("src_endpoint", srcEndpoint(event).orElseGet(() -> {
                    ObjectNode n = JSON.createObjectNode();
                    n.put("name", "unknown");
                    return n;
                }));
                event.target().ifPresent(t -> o.set("resources", JSON.createArrayNode().add(resource(t))));
                userAgent(event).ifPresent(ua -> o.set("http_request", httpRequest(event)));
            }
            case WEB_RESOURCE_ACCESS_ACTIVITY -> {
                actorNode(event).ifPresent(a -> o.set("actor", a));
                o.set("http_request", httpRequest(event));
                o.set("web_resources", JSON.createArrayNode().add(webResource(event)));
                srcEndpoint(event).ifPresent(s -> o.set("src_endpoint", s));
            }
            case DETECTION_FINDING -> {
                ObjectNode info = JSON.createObjectNode();
                info.put("uid", event.id().toString());
                info.put("title", title(event));
                info.set("types", JSON.createArrayNode().add(event.type()));
                event.eventType().ifPresent(t -> info.put("desc", t.description()));
                o.set("finding_info", info);
                o.put("is_alert", true);
                ObjectNode evidence = JSON.createObjectNode();
                actorNode(event).ifPresent(a -> evidence.set("actor", a));
                srcEndpoint(event).ifPresent(s -> evidence.set("src_endpoint", s));
                if (!evidence.isEmpty()) {
                    o.set("evidences", JSON.createArrayNode().add(evidence));
                }
                event.target().ifPresent(t -> o.set("resources", JSON.createArrayNode().add(resource(t))));
            }
            default -> throw new IllegalStateException("unhandled class " + c);
        }
        o.set("unmapped", unmapped(event, c, integrity));
        return o;
    }

    /** The mapping, with Web Resource Access Activity's activity following the outcome (deny, error). */
    private static Mapping activityFor(AuditEvent event) {
        Mapping m = mappingOf(event.type());
        if (m.ocsfClass() == OcsfClass.WEB_RESOURCE_ACCESS_ACTIVITY) {
            return switch (event.outcome()) {
                case SUCCESS -> new Mapping(m.ocsfClass(), 1, "Access Grant");
                case DENIED, FAILURE -> new Mapping(m.ocsfClass(), 2, "Access Deny");
                case ERROR -> new Mapping(m.ocsfClass(), 4, "Access Error");
            };
        }
        return m;
    }

    private static int severityId(Severity s) {
        return switch (s) {
            case INFO -> 1;
            case LOW -> 2;
            case MEDIUM -> 3;
            case HIGH -> 4;
            case CRITICAL -> 5;
        };
    }

    private static String severityName(Severity s) {
        return switch (s) {
            case INFO -> "Informational";
            case LOW -> "Low";
            case MEDIUM -> "Medium";
            case HIGH -> "High";
            case CRITICAL -> "Critical";
        };
    }

    private static Optional<String> statusDetail(AuditEvent event) {
        if (event.reason().isPresent() && event.error().isPresent()) {
            return Optional.of(event.reason().get() + "; " + event.error().get());
        }
        return event.reason().or(event::error);
    }

    private static String message(AuditEvent event) {
        return event.eventType().map(t -> t.description()).orElse(event.type() + " " + event.outcome().jsonName());
    }

    private static String title(AuditEvent event) {
        return event.type() + " (" + event.outcome().jsonName() + ")";
    }

    private static ObjectNode metadata(AuditEvent event) {
        ObjectNode md = JSON.createObjectNode();
        md.put("version", OCSF_VERSION);
        ObjectNode product = md.putObject("product");
        product.put("name", "Vigil");
        product.put("vendor_name", "Vigil");
        md.put("uid", event.id().toString());
        event.requestId().ifPresent(r -> md.put("correlation_uid", r));
        event.tenant().ifPresent(t -> md.put("tenant_uid", t));
        event.service().ifPresent(s -> md.put("log_name", s));
        md.put("event_code", event.type());
        return md;
    }

    /** The user's type_id: User 1, System 3, Service 4, and Other 99 for API clients, which OCSF has no type for. */
    private static void putUserType(ObjectNode u, ActorType t) {
        switch (t) {
            case USER -> {
                u.put("type_id", 1);
                u.put("type", "User");
            }
            case SYSTEM -> {
                u.put("type_id", 3);
                u.put("type", "System");
            }
            case SERVICE -> {
                u.put("type_id", 4);
                u.put("type", "Service");
            }
            case API -> {
                u.put("type_id", 99);
                u.put("type", "API");
            }
            case ANONYMOUS -> {
                u.put("type_id", 0);
                u.put("type", "Unknown");
            }
            default -> throw new IllegalStateException("unhandled actor type " + t);
        }
    }

    private static ObjectNode actorUser(Actor a) {
        ObjectNode u = JSON.createObjectNode();
        a.id().ifPresent(id -> u.put("uid", id));
        // the user object needs a uid or a name; a principal without either is named by its kind
        a.name().ifPresent(n -> u.put("name", n));
        if (a.id().isEmpty() && a.name().isEmpty()) {
            u.put("name", a.type().jsonName());
        }
        putUserType(u, a.type());
        return u;
    }

    /**
     * The class's {@code user}: the target when the event is about a user account (an administrator's change, an
     * impersonation), otherwise the actor.
     */
    private static ObjectNode user(AuditEvent event) {
        Optional<Target> t = event.target().filter(x -> "user".equals(x.type()) || "account".equals(x.type()));
        if (t.isPresent()) {
            ObjectNode u = JSON.createObjectNode();
            t.get().id().ifPresent(id -> u.put("uid", id));
            u.put("name", t.get().name().orElse(t.get().id().orElse(t.get().type())));
            return u;
        }
        if (event.actor().isPresent()) {
            return actorUser(event.actor().get());
        }
        ObjectNode u = JSON.createObjectNode();
        u.put("name", "unknown");
        u.put("type_id", 0);
        u.put("type", "Unknown");
        return u;
    }

    private static Optional<ObjectNode> actorNode(AuditEvent event) {
        return event.actor().map(a -> {
            ObjectNode n = JSON.createObjectNode();
            n.set("user", actorUser(a));
            session(event).ifPresent(s -> n.set("session", s));
            return n;
        });
    }

    private static ObjectNode fallbackActor(AuditEvent event) {
        ObjectNode n = JSON.createObjectNode();
        n.put("app_name", event.service().orElse("Vigil"));
        return n;
    }

    private static Optional<ObjectNode> session(AuditEvent event) {
        // Vigil holds session ids as keyed hashes only, so the uid is never a live credential
        return event.sessionId().map(s -> {
            ObjectNode n = JSON.createObjectNode();
            n.put("uid", s);
            return n;
        });
    }

    private static Optional<ObjectNode> srcEndpoint(AuditEvent event) {
        return event.actor().flatMap(Actor::ip).map(ip -> {
            ObjectNode n = JSON.createObjectNode();
            n.put("ip", ip);
            return n;
        });
    }

    private static Optional<String> userAgent(AuditEvent event) {
        return event.actor().flatMap(Actor::userAgent);
    }

    private static ObjectNode httpRequest(AuditEvent event) {
        ObjectNode n = JSON.createObjectNode();
        event.requestId().ifPresent(r -> n.put("uid", r));
        userAgent(event).ifPresent(ua -> n.put("user_agent", ua));
        return n;
    }

    private static ObjectNode service(AuditEvent event) {
        ObjectNode n = JSON.createObjectNode();
        n.put("name", event.service().orElse("Vigil"));
        return n;
    }

    private static ArrayNode privileges(AuditEvent event) {
        ArrayNode a = JSON.createArrayNode();
        for (String key : new String[] {"permission", "role", "to", "privilege"}) {
            Object v = event.details().get(key);
            if (v instanceof String s) {
                a.add(s);
            }
        }
        if (a.isEmpty()) {
            a.add(event.action()); // the list must not be empty: Vigil's action names what was given
        }
        return a;
    }

    private static ObjectNode resource(Target t) {
        ObjectNode n = JSON.createObjectNode();
        t.id().ifPresent(id -> n.put("uid", id));
        t.name().ifPresent(name -> n.put("name", name));
        n.put("type", t.type());
        return n;
    }

    /** The managed entity: the target, or, without one, the kind of thing the category manages. */
    private static ObjectNode entity(AuditEvent event) {
        if (event.target().isPresent()) {
            Target t = event.target().get();
            ObjectNode n = resource(t);
            if (!n.has("uid") && !n.has("name")) {
                n.put("name", t.type());
            }
            return n;
        }
        ObjectNode n = JSON.createObjectNode();
        n.put("name", event.category().jsonName());
        n.put("type", event.category().jsonName());
        return n;
    }

    private static ObjectNode webResource(AuditEvent event) {
        if (event.target().isPresent()) {
            ObjectNode n = resource(event.target().get());
            if (!n.has("uid") && !n.has("name")) {
                n.put("name", event.target().get().type());
            }
            return n;
        }
        ObjectNode n = JSON.createObjectNode();
        n.put("name", event.action());
        return n;
    }

    private static ObjectNode unmapped(AuditEvent event, OcsfClass c, Optional<EntryPosition> integrity) {
        ObjectNode u = JSON.createObjectNode();
        ObjectNode v = u.putObject("vigil");
        integrity.ifPresent(i -> {
            v.put("seq", i.seq());
            v.put("hash", i.hash());
        });
        v.put("type", event.type());
        v.put("category", event.category().jsonName());
        v.put("action", event.action());
        v.put("outcome", event.outcome().jsonName());
        if (c == OcsfClass.DETECTION_FINDING) {
            statusDetail(event).ifPresent(s -> v.put("status_detail", s));
        }
        event.traceId().ifPresent(t -> v.put("trace_id", t));
        event.riskScore().ifPresent(r -> v.put("risk_score", r));
        if (!event.anomalyFlags().isEmpty()) {
            ArrayNode flags = v.putArray("anomaly_flags");
            event.anomalyFlags().forEach(flags::add);
        }
        event.target().ifPresent(t -> v.set("target", resource(t)));
        if (!event.details().isEmpty()) {
            v.set("details", JSON.valueToTree(event.details()));
        }
        return u;
    }
}
