package io.vigil.postgres.internal;

import io.vigil.event.Actor;
import io.vigil.event.AuditEvent;
import io.vigil.event.Target;
import io.vigil.json.CanonicalBuffer;
import io.vigil.json.CanonicalJson;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The query columns of {@code security_audit_event} and how each is derived from an event when a row is written;
 * {@link EntryColumns} reads the same columns back from an entry when a row is verified.
 */
public final class Columns {
    /** Every column of an entry but {@code seq}, {@code entry}, {@code prev_hash} and {@code hash}, in insert order. */
    public static final List<String> DERIVED = List.of("id", "timestamp", "category", "type", "action", "outcome",
            "severity", "actor_type", "actor_id", "actor_name", "actor_ip", "actor_user_agent", "tenant", "service",
            "session_id", "request_id", "trace_id", "resource_type", "resource_id", "resource_name", "reason", "error",
            "risk_score", "anomaly_flags", "details");

    private static final int ID = 0;
    private static final int TIMESTAMP = 1;
    private static final int RISK = 22;
    private static final int FLAGS = 23;
    private static final int DETAILS = 24;

    private Columns() {
    }

    /** The SQL list of the derived columns, quoted where PostgreSQL needs it. */
    public static String list() {
        return list("");
    }

    /** As {@link #list()}, each column qualified with {@code prefix} (such as {@code "e."}). */
    public static String list(String prefix) {
        StringBuilder sb = new StringBuilder();
        for (String c : DERIVED) {
            sb.append(sb.length() == 0 ? "" : ", ").append(prefix).append(quote(c));
        }
        return sb.toString();
    }

    /** Fields in a row of {@link #copyRows}. */
    public static final int COPY_FIELDS = DERIVED.size() + 4;

    /** Copies in event rows that {@link #appendEventRow} wrote. */
    public static final String COPY_EVENTS = "COPY security_audit_event (" + list() + ") FROM STDIN (FORMAT binary)";

    /** Copies in chain rows that {@link #appendChainRow} wrote. */
    public static final String COPY_CHAIN = "COPY security_audit_chain (seq, id, entry, prev_hash, hash) FROM STDIN"
            + " (FORMAT binary)";

    /** The text of a {@code jsonb} column's value (the event's details in canonical form). */
    public record Json(String text) {
    }

    /** Appends the row of {@code e} for {@link #COPY_EVENTS} (the caller writes the header and the trailer). */
    public static void appendEventRow(AuditEvent e, CopyBinary out) {
        out.row(DERIVED.size()).derived(values(e));
    }

    /** Appends a row for {@link #COPY_CHAIN}; {@code entry}, {@code prevHex} and {@code hashHex} are ASCII/UTF-8 bytes. */
    public static void appendChainRow(long seq, UUID id, byte[] entry, int entryLength, byte[] prevHex, byte[] hashHex,
                                      CopyBinary out) {
        out.row(5).bigint(seq).uuid(id).text(entry, 0, entryLength).text(prevHex, 0, prevHex.length)
                .text(hashHex, 0, hashHex.length);
    }

    /**
     * The {@code COPY ... FROM STDIN} statement for rows of a single table that holds every column of an entry (the
     * benchmark's plain baseline): the derived columns in {@link #DERIVED} order, then
     * {@code seq, entry, prev_hash, hash}, in {@link CopyBinary} form.
     */
    public static String copyRows(String table) {
        return "COPY " + table + " (" + list() + ", seq, entry, prev_hash, hash) FROM STDIN (FORMAT binary)";
    }

    /** Appends one whole row in the order of {@link #copyRows} (the caller writes the header and the trailer). */
    public static void appendCopyRow(AuditEvent e, long seq, String entry, String prevHash, String hash,
                                     CopyBinary out) {
        out.row(COPY_FIELDS).derived(values(e)).bigint(seq).text(entry).text(prevHash).text(hash);
    }

    static String quote(String column) {
        return column.equals("timestamp") ? "\"timestamp\"" : column;
    }

    /** The values of the derived columns for {@code e}, as Java values ({@code null} where the event has none). */
    public static Object[] values(AuditEvent e) {
        Optional<Actor> actor = e.actor();
        Optional<Target> target = e.target();
        Object[] v = new Object[DERIVED.size()];
        v[ID] = e.id();
        v[TIMESTAMP] = e.timestamp();
        v[2] = e.category().jsonName();
        v[3] = e.type();
        v[4] = e.action();
        v[5] = e.outcome().jsonName();
        v[6] = e.severity().jsonName();
        v[7] = actor.map(a -> a.type().jsonName()).orElse(null);
        v[8] = actor.flatMap(Actor::id).orElse(null);
        v[9] = actor.flatMap(Actor::name).orElse(null);
        v[10] = actor.flatMap(Actor::ip).orElse(null);
        v[11] = actor.flatMap(Actor::userAgent).orElse(null);
        v[12] = e.tenant().orElse(null);
        v[13] = e.service().orElse(null);
        v[14] = e.sessionId().orElse(null);
        v[15] = e.requestId().orElse(null);
        v[16] = e.traceId().orElse(null);
        v[17] = target.map(Target::type).orElse(null);
        v[18] = target.flatMap(Target::id).orElse(null);
        v[19] = target.flatMap(Target::name).orElse(null);
        v[20] = e.reason().orElse(null);
        v[21] = e.error().orElse(null);
        v[RISK] = e.riskScore().isPresent() ? e.riskScore().getAsDouble() : null;
        v[FLAGS] = e.anomalyFlags().toArray(new String[0]);
        v[DETAILS] = new Json(canonicalDetails(e));
        return v;
    }

    private static String canonicalDetails(AuditEvent e) {
        CanonicalBuffer b = new CanonicalBuffer(64);
        CanonicalJson.writeValue(e.details(), b);
        return new String(b.array(), 0, b.length(), StandardCharsets.UTF_8);
    }

}
