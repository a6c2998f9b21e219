package io.vigil.siem.internal;

import io.vigil.event.Actor;
import io.vigil.event.AuditEvent;
import io.vigil.event.IpAddress;
import io.vigil.event.Target;
import io.vigil.sink.EntryPosition;
import io.vigil.sink.EventFormat;

import java.util.Objects;
import java.util.Optional;

/**
 * An event as one ArcSight Common Event Format (CEF:0) line:
 * {@code CEF:0|Vigil|Vigil|<version>|<event type>|<action outcome>|<severity 0-10>|<extension>}.
 *
 * <p>Escaping follows the CEF specification: in the header {@code \} and {@code |} are backslash-escaped (and CR or
 * LF, which may not appear there, become a space); in extension values {@code \}, {@code =}, CR and LF are escaped
 * as {@code \\}, {@code \=}, {@code \r}, {@code \n}. Keys are fixed ASCII names, so they need no escaping.
 */
public final class CefFormat implements EventFormat {
    private final String version;

    /** Writes the Vigil version from the jar's manifest into the header, {@code dev} when there is none. */
    public CefFormat() {
        this(Optional.ofNullable(CefFormat.class.getPackage().getImplementationVersion()).orElse("dev"));
    }

    /** Writes {@code version} into the header as the device version. */
    public CefFormat(String version) {
        this.version = Objects.requireNonNull(version, "version");
    }

    @Override
    public String name() {
        return "cef";
    }

    @Override
    public String format(AuditEvent event, Optional<EntryPosition> integrity) {
        StringBuilder sb = new StringBuilder(512);
        sb.append("CEF:0|Vigil|Vigil|").append(header(version)).append('|')
                .append(header(event.type())).append('|')
                .append(header(event.action() + " " + event.outcome().jsonName())).append('|')
                .append(SeverityScale.of(event.severity())).append('|');
        Extension ext = new Extension(sb);
        ext.put("rt", Long.toString(event.timestamp().toEpochMilli()));
        ext.put("externalId", event.id().toString());
        ext.put("cat", event.category().jsonName());
        ext.put("act", event.action());
        ext.put("outcome", event.outcome().jsonName());
        Optional<Actor> actor = event.actor();
        actor.flatMap(Actor::name).ifPresent(v -> ext.put("suser", v));
        actor.flatMap(Actor::id).ifPresent(v -> ext.put("suid", v));
        // src is an IP address field: anything else would be refused by the receiver.
        actor.flatMap(Actor::ip).flatMap(IpAddress::parse).ifPresent(a -> ext.put("src", a.toString()));
        actor.flatMap(Actor::userAgent).ifPresent(v -> ext.put("requestClientApplication", v));
        event.target().filter(t -> t.type().equals("user")).ifPresent(t -> {
            t.name().ifPresent(v -> ext.put("duser", v));
            t.id().ifPresent(v -> ext.put("duid", v));
        });
        request(event).ifPresent(v -> ext.put("request", v));
        event.service().ifPresent(v -> ext.put("destinationServiceName", v));
        event.reason().ifPresent(v -> ext.put("reason", v));
        event.error().ifPresent(v -> ext.put("msg", v));
        event.tenant().ifPresent(v -> ext.custom("cs1", "tenant", v));
        event.requestId().ifPresent(v -> ext.custom("cs2", "requestId", v));
        event.traceId().ifPresent(v -> ext.custom("cs3", "traceId", v));
        event.sessionId().ifPresent(v -> ext.custom("cs4", "sessionId", v));
        event.target().filter(t -> !t.type().equals("user")).ifPresent(t -> ext.custom("cs5", "target", target(t)));
        integrity.ifPresent(i -> {
            ext.custom("cn1", "vigilSeq", Long.toString(i.seq()));
            ext.custom("cs6", "vigilHash", i.hash());
        });
        if (event.riskScore().isPresent()) {
            ext.custom("cfp1", "riskScore", Double.toString(event.riskScore().getAsDouble()));
        }
        return sb.toString();
    }

    /** A header field: {@code \} and {@code |} escaped; CR and LF, not allowed in the header, become spaces. */
    static String header(String s) {
        StringBuilder out = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '|' -> out.append("\\|");
                case '\r', '\n' -> out.append(' ');
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** An extension value: {@code \}, {@code =}, CR and LF escaped; {@code |} needs none there. */
    static String value(String s) {
        StringBuilder out = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '=' -> out.append("\\=");
                case '\r' -> out.append("\\r");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** The URL of the request, when the details name one: {@code details.url}, else {@code details.path}. */
    private static Optional<String> request(AuditEvent event) {
        for (String key : new String[] {"url", "path"}) {
            if (event.details().get(key) instanceof String s) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    private static String target(Target t) {
        StringBuilder sb = new StringBuilder(t.type());
        t.id().ifPresent(v -> sb.append(':').append(v));
        t.name().ifPresent(v -> sb.append(" (").append(v).append(')'));
        return sb.toString();
    }

    /** Appends {@code key=value} pairs separated by single spaces. */
    private static final class Extension {
        private final StringBuilder sb;
        private boolean first = true;

        Extension(StringBuilder sb) {
            this.sb = sb;
        }

        void put(String key, String value) {
            if (!first) {
                sb.append(' ');
            }
            first = false;
            sb.append(key).append('=').append(value(value));
        }

        void custom(String key, String label, String value) {
            put(key, value);
            put(key + "Label", label);
        }
    }
}
