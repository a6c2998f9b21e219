package io.vigil.json;

import io.vigil.event.Actor;
import io.vigil.event.ActorType;
import io.vigil.event.AuditEvent;
import io.vigil.event.Category;
import io.vigil.event.Outcome;
import io.vigil.event.Severity;
import io.vigil.event.Target;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The JSON codec for {@link AuditEvent}, per "Event model v1": one object with {@code v} (1), {@code id},
 * {@code timestamp} (UTC, always three fraction digits), {@code category}, {@code type}, {@code action},
 * {@code outcome}, {@code severity}, {@code actor}, {@code target}, {@code tenant}, {@code service},
 * {@code requestId}, {@code sessionId}, {@code traceId}, {@code reason}, {@code error}, {@code riskScore},
 * {@code anomalyFlags} and {@code details}. Absent values are omitted, never null; {@code 0} and {@code false} are
 * written. The writer produces RFC 8785 canonical JSON directly; the reader is strict.
 *
 * <p>Numbers in {@code details} follow RFC 8785: they are doubles on the wire. Reading gives Long (BigInteger when
 * too big) for integral numbers and Double for the others, so a Double detail with an integral value such as
 * {@code 3.0} reads back as the Long {@code 3}, and an integer beyond 2^53 reads back rounded to a double.
 */
public final class EventJson {

    /** The event's top-level members, declared in canonical order (UTF-16 code units); checked at class load. */
    private enum Field {
        ACTION("action"), ACTOR("actor"), ANOMALY_FLAGS("anomalyFlags"), CATEGORY("category"), DETAILS("details"),
        ERROR("error"), ID("id"), OUTCOME("outcome"), REASON("reason"), REQUEST_ID("requestId"),
        RISK_SCORE("riskScore"), SERVICE("service"), SESSION_ID("sessionId"), SEVERITY("severity"),
        TARGET("target"), TENANT("tenant"), TIMESTAMP("timestamp"), TRACE_ID("traceId"), TYPE("type"), V("v");

        final String json;
        final byte[] prefix;

        Field(String json) {
            this.json = json;
            this.prefix = memberPrefix(json);
        }
    }

    private static final Field[] FIELDS = Field.values();
    private static final Set<String> FIELD_NAMES;
    private static final Map<String, Field> FIELD_BY_NAME;
    private static final String FIELD_LIST;

    static {
        for (int i = 1; i < FIELDS.length; i++) {
            if (FIELDS[i - 1].json.compareTo(FIELDS[i].json) >= 0) {
                throw new AssertionError("EventJson.Field is not in canonical order at " + FIELDS[i].json);
            }
        }
        FIELD_NAMES = Arrays.stream(FIELDS).map(f -> f.json).collect(Collectors.toUnmodifiableSet());
        FIELD_BY_NAME = new HashMap<>(); // a HashMap: Jackson's member names are interned, their hash codes cached
        Arrays.stream(FIELDS).forEach(f -> FIELD_BY_NAME.put(f.json, f));
        FIELD_LIST = Arrays.stream(FIELDS).map(f -> f.json).collect(Collectors.joining(", "));
    }

    // actor {id, ip, name, type, userAgent} and target {id, name, type}, in canonical order
    private static final byte[] ID = memberPrefix("id");
    private static final byte[] IP = memberPrefix("ip");
    private static final byte[] NAME = memberPrefix("name");
    private static final byte[] TYPE = memberPrefix("type");
    private static final byte[] USER_AGENT = memberPrefix("userAgent");
    private static final List<String> ACTOR_FIELDS = List.of("id", "ip", "name", "type", "userAgent");
    private static final List<String> TARGET_FIELDS = List.of("id", "name", "type");

    private static final byte[][] CATEGORIES = quoted(Category.values(), Category::jsonName);
    private static final byte[][] OUTCOMES = quoted(Outcome.values(), Outcome::jsonName);
    private static final byte[][] SEVERITIES = quoted(Severity.values(), Severity::jsonName);
    private static final byte[][] ACTOR_TYPES = quoted(ActorType.values(), ActorType::jsonName);
    private static final String[] NO_EXTRAS = new String[0];

    private EventJson() {
    }

    // ---- writing --------------------------------------------------------------------------------------------------

    /**
     * Appends the event as RFC 8785 canonical JSON, without a trailing newline. Equal to canonicalizing any other
     * JSON serialization of the same event with {@link CanonicalJson#canonicalize(String)}.
     *
     * @throws EventJsonException if a field cannot be written as JSON (a string with a lone surrogate); {@code out}
     *                            is then left as it was
     */
    public static void writeCanonical(AuditEvent event, CanonicalBuffer out) {
        write(event, NO_EXTRAS, Map.of(), out);
    }

    /**
     * Appends the event with extra top-level members, e.g. a ledger line's {@code seq}, {@code prevHash} and
     * {@code hash}, each in its canonical position. Extra values are written as by {@link CanonicalJson#writeValue}.
     *
     * @throws IllegalArgumentException if an extra's name is an event field's name, or its value is null
     * @throws EventJsonException       if a value cannot be written as JSON; {@code out} is then left as it was
     */
    public static void writeCanonical(AuditEvent event, Map<String, ?> extraTopLevelFields, CanonicalBuffer out) {
        Objects.requireNonNull(extraTopLevelFields, "extraTopLevelFields is required");
        write(event, sortedExtraNames(extraTopLevelFields), extraTopLevelFields, out);
    }

    /**
     * As {@link #writeCanonical(AuditEvent, Map, CanonicalBuffer)}, and returns the offset in {@code out} at which a
     * member named {@code insertName} belongs in canonical order: just before the comma of the first member that
     * sorts after it, or before the closing brace. A writer that hashes the object without that member and stores it
     * with it splices the member in at that offset, so the line costs one serialization, not two.
     *
     * @throws IllegalArgumentException if {@code insertName} is an event field's or an extra's name
     */
    public static int writeCanonical(AuditEvent event, Map<String, ?> extraTopLevelFields, CanonicalBuffer out,
                                     String insertName) {
        Objects.requireNonNull(extraTopLevelFields, "extraTopLevelFields is required");
        Objects.requireNonNull(insertName, "insertName is required");
        if (FIELD_NAMES.contains(insertName) || extraTopLevelFields.containsKey(insertName)) {
            throw new IllegalArgumentException("'" + insertName + "' is already a member of the object");
        }
        String[] names = sortedExtraNames(extraTopLevelFields);
        return write(event, names, valuesOf(names, extraTopLevelFields), out, insertName);
    }

    /** The event as canonical JSON in UTF-8. */
    public static byte[] toCanonicalBytes(AuditEvent event) {
        CanonicalBuffer out = new CanonicalBuffer(512);
        writeCanonical(event, out);
        return out.toByteArray();
    }

    /** The event as canonical JSON. */
    public static String toCanonicalString(AuditEvent event) {
        CanonicalBuffer out = new CanonicalBuffer(512);
        writeCanonical(event, out);
        return out.toString();
    }

    private static String[] sortedExtraNames(Map<String, ?> extras) {
        if (extras.isEmpty()) {
            return NO_EXTRAS;
        }
        String[] names = new String[extras.size()];
        int i = 0;
        for (Map.Entry<String, ?> e : extras.entrySet()) {
            Object key = e.getKey();
            if (!(key instanceof String name)) {
                throw new IllegalArgumentException("extra field name " + key + " is not a String");
            }
            if (FIELD_NAMES.contains(name)) {
                throw new IllegalArgumentException("extra field '" + name + "' collides with the event field of that name");
            }
            if (e.getValue() == null) {
                throw new IllegalArgumentException("extra field '" + name + "' is null; absent values are omitted, never null");
            }
            names[i++] = name;
        }
        Arrays.sort(names);
        return names;
    }

    private static void write(AuditEvent e, String[] extraNames, Map<String, ?> extras, CanonicalBuffer out) {
        write(e, extraNames, valuesOf(extraNames, extras), out, null);
    }

    private static final Object[] NO_VALUES = new Object[0];

    private static Object[] valuesOf(String[] names, Map<String, ?> extras) {
        if (names.length == 0) {
            return NO_VALUES;
        }
        Object[] values = new Object[names.length];
        for (int i = 0; i < names.length; i++) {
            values[i] = extras.get(names[i]);
        }
        return values;
    }

    /**
     * As {@link #writeCanonical(AuditEvent, Map, CanonicalBuffer, String)} for a writer's hot path: the extra members
     * named once ({@code members}) and their values in the same order, so that no map is built and nothing sorted.
     *
     * @throws IllegalArgumentException if {@code values} does not hold one non-null value per member, or
     *                                  {@code insertName} is an event field's or a member's name
     * @throws EventJsonException       if a value cannot be written as JSON; {@code out} is then left as it was
     */
    public static int writeCanonical(AuditEvent event, ExtraMembers members, Object[] values, CanonicalBuffer out,
                                     String insertName) {
        if (values.length != members.size()) {
            throw new IllegalArgumentException(members.size() + " member value(s) expected, " + values.length
                    + " given");
        }
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null) {
                throw new IllegalArgumentException("extra field '" + members.sortedNames()[i] + "' is null; absent"
                        + " values are omitted, never null");
            }
        }
        if (FIELD_NAMES.contains(insertName) || members.contains(insertName)) {
            throw new IllegalArgumentException("'" + insertName + "' is already a member of the object");
        }
        return write(event, members.sortedNames(), values, out, insertName);
    }

    /**
     * Writes the event alone and records where each of {@code slotsFor}'s members belongs: {@code slots[at + k]}
     * receives the offset in {@code out} at which member {@code k} ({@code ,"name":value}) is to be inserted. The
     * expensive part, the event, is written once, and can be written ahead (on another thread) of values not known
     * yet. Splicing the members in at their offsets gives the bytes of
     * {@link #writeCanonical(AuditEvent, ExtraMembers, Object[], CanonicalBuffer, String)}. A slot before the event's
     * first member would need no comma; callers name members that sort after {@code action}, which every event has.
     *
     * @throws EventJsonException if a field cannot be written as JSON; {@code out} is then left as it was
     */
    public static void writeWithSlots(AuditEvent e, ExtraMembers slotsFor, CanonicalBuffer out, int[] slots, int at) {
        Objects.requireNonNull(e, "event is required");
        String[] names = slotsFor.sortedNames();
        int start = out.length();
        String writing = null;
        int k = 0;
        try {
            out.appendAscii('{');
            for (Field f : FIELDS) {
                for (; k < names.length && names[k].compareTo(f.json) < 0; k++) {
                    slots[at + k] = out.length(); // absent fields write nothing: this is where the next member starts
                }
                writing = f.json;
                writeField(f, e, out, start);
            }
            for (; k < names.length; k++) {
                slots[at + k] = out.length();
            }
            out.appendAscii('}');
        } catch (CanonicalJsonException ex) {
            out.truncate(start);
            throw new EventJsonException("cannot write field '" + writing + "' as JSON: " + ex.getMessage(), ex);
        }
    }

    /** True when {@code name} is a top-level member of the event model. */
    static boolean isEventField(String name) {
        return FIELD_NAMES.contains(name);
    }

    /** Writes the object; returns where a member named {@code insertName} would go (-1 when it is null). */
    private static int write(AuditEvent e, String[] extraNames, Object[] extraValues, CanonicalBuffer out,
                             String insertName) {
        Objects.requireNonNull(e, "event is required");
        int start = out.length();
        int insertAt = -1;
        String writing = null;
        try {
            out.appendAscii('{');
            int x = 0;
            for (Field f : FIELDS) {
                for (; x < extraNames.length && extraNames[x].compareTo(f.json) < 0; x++) {
                    writing = extraNames[x];
                    if (insertAt < 0 && insertName != null && extraNames[x].compareTo(insertName) > 0) {
                        insertAt = out.length();
                    }
                    writeExtra(extraNames[x], extraValues[x], out, start);
                }
                writing = f.json;
                if (insertAt < 0 && insertName != null && f.json.compareTo(insertName) > 0) {
                    insertAt = out.length(); // absent fields write nothing, so this is where the next member starts
                }
                writeField(f, e, out, start);
            }
            for (; x < extraNames.length; x++) {
                writing = extraNames[x];
                if (insertAt < 0 && insertName != null && extraNames[x].compareTo(insertName) > 0) {
                    insertAt = out.length();
                }
                writeExtra(extraNames[x], extraValues[x], out, start);
            }
            if (insertAt < 0 && insertName != null) {
                insertAt = out.length();
            }
            out.appendAscii('}');
            return insertAt;
        } catch (CanonicalJsonException ex) {
            out.truncate(start);
            throw new EventJsonException("cannot write field '" + writing + "' as JSON: " + ex.getMessage(), ex);
        }
    }

    private static void writeExtra(String name, Object value, CanonicalBuffer out, int start) {
        comma(out, start);
        out.appendString(name);
        out.appendAscii(':');
        CanonicalJson.write(value, out, 0);
    }

    private static void writeField(Field f, AuditEvent e, CanonicalBuffer out, int start) {
        switch (f) {
            case ACTION -> string(f.prefix, e.action(), out, start);
            case ACTOR -> {
                if (e.actor().isPresent()) {
                    name(f.prefix, out, start);
                    writeActor(e.actor().get(), out);
                }
            }
            case ANOMALY_FLAGS -> {
                List<String> flags = e.anomalyFlags();
                if (!flags.isEmpty()) {
                    name(f.prefix, out, start);
                    out.appendAscii('[');
                    for (int i = 0; i < flags.size(); i++) {
                        if (i > 0) {
                            out.appendAscii(',');
                        }
                        out.appendString(flags.get(i));
                    }
                    out.appendAscii(']');
                }
            }
            case CATEGORY -> raw(f.prefix, CATEGORIES[e.category().ordinal()], out, start);
            case DETAILS -> {
                if (!e.details().isEmpty()) {
                    name(f.prefix, out, start);
                    CanonicalJson.write(e.details(), out, 0);
                }
            }
            case ERROR -> optional(f.prefix, e.error(), out, start);
            case ID -> {
                name(f.prefix, out, start);
                writeUuid(e.id(), out);
            }
            case OUTCOME -> raw(f.prefix, OUTCOMES[e.outcome().ordinal()], out, start);
            case REASON -> optional(f.prefix, e.reason(), out, start);
            case REQUEST_ID -> optional(f.prefix, e.requestId(), out, start);
            case RISK_SCORE -> {
                OptionalDouble risk = e.riskScore();
                if (risk.isPresent()) {
                    name(f.prefix, out, start);
                    out.appendDouble(risk.getAsDouble());
                }
            }
            case SERVICE -> optional(f.prefix, e.service(), out, start);
            case SESSION_ID -> optional(f.prefix, e.sessionId(), out, start);
            case SEVERITY -> raw(f.prefix, SEVERITIES[e.severity().ordinal()], out, start);
            case TARGET -> {
                if (e.target().isPresent()) {
                    name(f.prefix, out, start);
                    writeTarget(e.target().get(), out);
                }
            }
            case TENANT -> optional(f.prefix, e.tenant(), out, start);
            case TIMESTAMP -> {
                name(f.prefix, out, start);
                IsoMillis.appendQuoted(e.timestamp(), out);
            }
            case TRACE_ID -> optional(f.prefix, e.traceId(), out, start);
            case TYPE -> string(f.prefix, e.type(), out, start);
            case V -> {
                name(f.prefix, out, start);
                out.appendLong(AuditEvent.VERSION);
            }
        }
    }

    private static void writeActor(Actor a, CanonicalBuffer out) {
        int start = out.length();
        out.appendAscii('{');
        optional(ID, a.id(), out, start);
        optional(IP, a.ip(), out, start);
        optional(NAME, a.name(), out, start);
        raw(TYPE, ACTOR_TYPES[a.type().ordinal()], out, start);
        optional(USER_AGENT, a.userAgent(), out, start);
        out.appendAscii('}');
    }

    private static void writeTarget(Target t, CanonicalBuffer out) {
        int start = out.length();
        out.appendAscii('{');
        optional(ID, t.id(), out, start);
        optional(NAME, t.name(), out, start);
        string(TYPE, t.type(), out, start);
        out.appendAscii('}');
    }

    /** Writes 8-4-4-4-12 lowercase hex, as {@link UUID#toString()} does, without building the string. */
    private static void writeUuid(UUID id, CanonicalBuffer out) {
        long msb = id.getMostSignificantBits();
        long lsb = id.getLeastSignificantBits();
        out.appendAscii('"');
        out.appendHex(msb >>> 32, 8);
        out.appendAscii('-');
        out.appendHex(msb >>> 16, 4);
        out.appendAscii('-');
        out.appendHex(msb, 4);
        out.appendAscii('-');
        out.appendHex(lsb >>> 48, 4);
        out.appendAscii('-');
        out.appendHex(lsb, 12);
        out.appendAscii('"');
    }

    /** A comma unless this is the first member of the object that starts at {@code start}. */
    private static void comma(CanonicalBuffer out, int start) {
        if (out.length() > start + 1) {
            out.appendAscii(',');
        }
    }

    private static void name(byte[] prefix, CanonicalBuffer out, int start) {
        comma(out, start);
        out.appendBytes(prefix);
    }

    private static void string(byte[] prefix, String value, CanonicalBuffer out, int start) {
        name(prefix, out, start);
        out.appendString(value);
    }

    private static void optional(byte[] prefix, Optional<String> value, CanonicalBuffer out, int start) {
        if (value.isPresent()) {
            string(prefix, value.get(), out, start);
        }
    }

    private static void raw(byte[] prefix, byte[] value, CanonicalBuffer out, int start) {
        name(prefix, out, start);
        out.appendBytes(value);
    }

    private static byte[] memberPrefix(String name) {
        return ("\"" + name + "\":").getBytes(StandardCharsets.US_ASCII);
    }

    private static <E extends Enum<E>> byte[][] quoted(E[] values, Function<E, String> jsonName) {
        byte[][] out = new byte[values.length][];
        for (E v : values) {
            CanonicalBuffer b = new CanonicalBuffer(32);
            b.appendString(jsonName.apply(v));
            out[v.ordinal()] = b.toByteArray();
        }
        return out;
    }

    // ---- reading --------------------------------------------------------------------------------------------------

    /**
     * Reads one event, strictly: {@code v} must be 1, unknown fields, wrong JSON types, nulls, unknown enum values
     * and invalid field values are rejected with a message naming the field.
     *
     * @throws EventJsonException if the JSON is not a valid v1 event
     */
    public static AuditEvent parse(String json) {
        Objects.requireNonNull(json, "json is required");
        return toEvent(read(json, Set.of()));
    }

    /**
     * Reads one event from UTF-8, as strictly as {@link #parse(String)}; malformed UTF-8 is rejected too. Faster than
     * decoding the bytes to a string first.
     *
     * @throws EventJsonException if the bytes are not a valid v1 event
     */
    public static AuditEvent parse(byte[] utf8) {
        Objects.requireNonNull(utf8, "utf8 is required");
        return parse(utf8, 0, utf8.length);
    }

    /**
     * Reads one event from {@code length} bytes of UTF-8 at {@code offset}, as {@link #parse(byte[])} does: one line
     * of several, say, without copying it out first.
     *
     * @throws EventJsonException        if the bytes are not a valid v1 event
     * @throws IndexOutOfBoundsException if the range is not within the array
     */
    public static AuditEvent parse(byte[] utf8, int offset, int length) {
        Objects.requireNonNull(utf8, "utf8 is required");
        Objects.checkFromIndexSize(offset, length, utf8.length);
        return toEvent(read(utf8, offset, length, Set.of()));
    }

    /**
     * Reads one event that may carry the given extra top-level members (a ledger line's {@code seq},
     * {@code prevHash}, {@code hash}); any other unknown member is rejected. The extras are returned unvalidated,
     * as read: String, Boolean, Long (BigInteger when too big), Double, List or Map; never null.
     *
     * @throws EventJsonException       if the JSON is not a valid v1 event
     * @throws IllegalArgumentException if an allowed extra name is an event field's name
     */
    public static ParsedEvent parseLine(String json, Set<String> allowedExtraFields) {
        Objects.requireNonNull(json, "json is required");
        Members m = read(json, allowedExtraFields);
        return new ParsedEvent(toEvent(m), m.others);
    }

    /**
     * Reads one event as a client sends it to a collector, which stamps what the client left out: the given id and
     * timestamp when the event has none, and the given tenant when it names none (an event naming another tenant is
     * read as it is, for the caller to refuse). Otherwise as strict as {@link #parse}; one pass over the text.
     *
     * @throws EventJsonException if the JSON is not a valid v1 event once the defaults are filled in
     */
    public static AuditEvent parseSent(String json, UUID id, Instant timestamp, String tenant) {
        Objects.requireNonNull(json, "json is required");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(tenant, "tenant");
        Members m = read(json, Set.of());
        m.stampIfAbsent(Field.ID, id.toString());
        m.stampIfAbsent(Field.TIMESTAMP, IsoMillis.format(timestamp));
        m.stampIfAbsent(Field.TENANT, tenant);
        return toEvent(m);
    }

    /**
     * An event's top-level members as read: each event field in its slot, the other members (allowed extras or not)
     * in document order. One pass over the text fills it, with no map of the whole object built and searched.
     */
    private static final class Members implements JsonTreeReader.RootMembers {
        /** A member whose value is JSON null, told apart from one that is absent (a null slot). */
        private static final Object JSON_NULL = new Object();

        final Object[] slots = new Object[FIELDS.length];
        final Map<String, Object> others = new LinkedHashMap<>();

        @Override
        public boolean has(String name) {
            Field f = FIELD_BY_NAME.get(name);
            return f != null ? slots[f.ordinal()] != null : others.containsKey(name);
        }

        @Override
        public void put(String name, Object value) {
            Field f = FIELD_BY_NAME.get(name);
            if (f != null) {
                slots[f.ordinal()] = value == null ? JSON_NULL : value;
            } else {
                others.put(name, value);
            }
        }

        /** The field's value; null when absent. A JSON null is rejected: absent values are omitted, never null. */
        Object present(Field f) {
            Object v = slots[f.ordinal()];
            if (v == JSON_NULL) {
                throw new EventJsonException(f.json + " must not be null; absent values are omitted");
            }
            return v;
        }

        /** Fills an absent (or JSON null) field with a collector's default. */
        void stampIfAbsent(Field f, String value) {
            if (slots[f.ordinal()] == null || slots[f.ordinal()] == JSON_NULL) {
                slots[f.ordinal()] = value;
            }
        }
    }

    private static Members read(String json, Set<String> allowedExtraFields) {
        return read(m -> JsonTreeReader.read(json, JsonTreeReader.Numbers.INTEGERS_EXACT, m), allowedExtraFields);
    }

    private static Members read(byte[] utf8, int offset, int length, Set<String> allowedExtraFields) {
        return read(m -> JsonTreeReader.read(utf8, offset, length, JsonTreeReader.Numbers.INTEGERS_EXACT, m),
                allowedExtraFields);
    }

    /** Reads the document with {@code reader} into fresh members, then checks them. */
    private static Members read(Function<JsonTreeReader.RootMembers, Object> reader, Set<String> allowedExtraFields) {
        checkExtraNames(allowedExtraFields);
        Members m = new Members();
        Object root;
        try {
            root = reader.apply(m);
        } catch (CanonicalJsonException e) {
            throw new EventJsonException(e.getMessage(), e);
        }
        return checkMembers(root, m, allowedExtraFields);
    }

    private static void checkExtraNames(Set<String> allowedExtraFields) {
        Objects.requireNonNull(allowedExtraFields, "allowedExtraFields is required");
        for (String extra : allowedExtraFields) {
            if (FIELD_NAMES.contains(extra)) {
                throw new IllegalArgumentException("extra field '" + extra + "' collides with the event field of that name");
            }
        }
    }

    /** The root is an object, its version is checked, and its other members are allowed extras, none null. */
    private static Members checkMembers(Object root, Members m, Set<String> allowedExtraFields) {
        if (root != m) {
            throw new EventJsonException("an event must be a JSON object, not " + kind(root));
        }
        checkVersion(m.slots[Field.V.ordinal()]);
        for (Map.Entry<String, Object> other : m.others.entrySet()) {
            String key = other.getKey();
            if (!allowedExtraFields.contains(key)) {
                throw new EventJsonException("unknown field '" + key + "'; event model v1 fields are: " + FIELD_LIST
                        + (allowedExtraFields.isEmpty() ? ""
                        : "; extra fields allowed here: " + String.join(", ", new TreeSet<>(allowedExtraFields))));
            }
            if (other.getValue() == null) {
                throw new EventJsonException(key + " must not be null; absent values are omitted");
            }
        }
        return m;
    }

    private static void checkVersion(Object v) {
        if (v == null) {
            throw new EventJsonException("missing required field 'v' (the event model version; this reader reads 1)");
        }
        if (!(v instanceof Long version) || version != AuditEvent.VERSION) {
            throw new EventJsonException("v must be " + AuditEvent.VERSION + " (this reader understands event model v"
                    + AuditEvent.VERSION + "), not " + render(v == Members.JSON_NULL ? null : v));
        }
    }

    private static AuditEvent toEvent(Members m) {
        UUID id = uuid(requiredString(m.present(Field.ID), Field.ID.json));
        Instant timestamp = timestamp(requiredString(m.present(Field.TIMESTAMP), Field.TIMESTAMP.json));
        Category category = enumValue(requiredString(m.present(Field.CATEGORY), Field.CATEGORY.json),
                Category::fromJson);
        String type = requiredString(m.present(Field.TYPE), Field.TYPE.json);
        String action = requiredString(m.present(Field.ACTION), Field.ACTION.json);
        Outcome outcome = enumValue(requiredString(m.present(Field.OUTCOME), Field.OUTCOME.json), Outcome::fromJson);
        Severity severity = enumValue(requiredString(m.present(Field.SEVERITY), Field.SEVERITY.json),
                Severity::fromJson);
        try {
            return new AuditEvent(id, timestamp, category, type, action, outcome, severity,
                    actor(m.present(Field.ACTOR)),
                    target(m.present(Field.TARGET)),
                    optionalString(m.present(Field.TENANT), Field.TENANT.json),
                    optionalString(m.present(Field.SERVICE), Field.SERVICE.json),
                    optionalString(m.present(Field.REQUEST_ID), Field.REQUEST_ID.json),
                    optionalString(m.present(Field.SESSION_ID), Field.SESSION_ID.json),
                    optionalString(m.present(Field.TRACE_ID), Field.TRACE_ID.json),
                    optionalString(m.present(Field.REASON), Field.REASON.json),
                    optionalString(m.present(Field.ERROR), Field.ERROR.json),
                    riskScore(m.present(Field.RISK_SCORE)),
                    anomalyFlags(m.present(Field.ANOMALY_FLAGS)),
                    details(m.present(Field.DETAILS)));
        } catch (EventJsonException e) {
            throw e;
        } catch (IllegalArgumentException e) { // the model's EventValidationException, naming the field
            throw new EventJsonException(e.getMessage(), e);
        }
    }

    private static Optional<Actor> actor(Object value) {
        if (value == null) {
            return Optional.empty();
        }
        Map<String, Object> a = object("actor", value, ACTOR_FIELDS);
        ActorType type = enumValue(requiredString(member(a, "actor.", "type"), "actor.type"), ActorType::fromJson);
        return Optional.of(new Actor(type, optionalString(member(a, "actor.", "id"), "actor.id"),
                optionalString(member(a, "actor.", "name"), "actor.name"),
                optionalString(member(a, "actor.", "ip"), "actor.ip"),
                optionalString(member(a, "actor.", "userAgent"), "actor.userAgent")));
    }

    private static Optional<Target> target(Object value) {
        if (value == null) {
            return Optional.empty();
        }
        Map<String, Object> t = object("target", value, TARGET_FIELDS);
        return Optional.of(new Target(requiredString(member(t, "target.", "type"), "target.type"),
                optionalString(member(t, "target.", "id"), "target.id"),
                optionalString(member(t, "target.", "name"), "target.name")));
    }

    private static OptionalDouble riskScore(Object v) {
        if (v == null) {
            return OptionalDouble.empty();
        }
        if (!(v instanceof Number n)) {
            throw wrongType(Field.RISK_SCORE.json, "a number", v);
        }
        return OptionalDouble.of(n.doubleValue());
    }

    private static List<String> anomalyFlags(Object v) {
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof List<?> list)) {
            throw wrongType(Field.ANOMALY_FLAGS.json, "an array of strings", v);
        }
        List<String> flags = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof String s)) {
                throw wrongType(Field.ANOMALY_FLAGS.json + "[" + i + "]", "a string", list.get(i));
            }
            flags.add(s);
        }
        return flags;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> details(Object v) {
        if (v == null) {
            return Map.of();
        }
        if (!(v instanceof Map<?, ?>)) {
            throw wrongType(Field.DETAILS.json, "an object", v);
        }
        rejectNulls(Field.DETAILS.json, v);
        return (Map<String, Object>) v;
    }

    /** The model drops null detail values silently; a reader must not, or the canonical bytes would change. */
    private static void rejectNulls(String path, Object v) {
        if (v == null) {
            throw new EventJsonException(path + " must not be null; absent values are omitted");
        }
        if (v instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                Object item = e.getValue();
                if (item == null || item instanceof Map || item instanceof List) {
                    rejectNulls(path + "." + e.getKey(), item);
                }
            }
        } else if (v instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) {
                Object item = l.get(i);
                if (item == null || item instanceof Map || item instanceof List) {
                    rejectNulls(path + "[" + i + "]", item);
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(String path, Object value, List<String> allowed) {
        if (!(value instanceof Map<?, ?>)) {
            throw wrongType(path, "an object", value);
        }
        Map<String, Object> m = (Map<String, Object>) value;
        for (String key : m.keySet()) {
            if (!allowed.contains(key)) {
                throw new EventJsonException("unknown field '" + path + "." + key + "'; " + path + " fields are: "
                        + String.join(", ", allowed));
            }
        }
        return m;
    }

    /** A nested object's member, null if absent; a JSON null is rejected, since absent values are omitted. */
    private static Object member(Map<String, Object> obj, String prefix, String key) {
        Object v = obj.get(key);
        if (v == null && obj.containsKey(key)) {
            throw new EventJsonException(prefix + key + " must not be null; absent values are omitted");
        }
        return v;
    }

    private static String requiredString(Object v, String path) {
        if (v == null) {
            throw new EventJsonException("missing required field '" + path + "'");
        }
        if (!(v instanceof String s)) {
            throw wrongType(path, "a string", v);
        }
        return s;
    }

    private static Optional<String> optionalString(Object v, String path) {
        if (v == null) {
            return Optional.empty();
        }
        if (!(v instanceof String s)) {
            throw wrongType(path, "a string", v);
        }
        return Optional.of(s);
    }

    private static <E> E enumValue(String value, Function<String, E> fromJson) {
        try {
            return fromJson.apply(value); // its message names the field and lists the allowed values
        } catch (IllegalArgumentException e) {
            throw new EventJsonException(e.getMessage(), e);
        }
    }

    private static Instant timestamp(String value) {
        try {
            return IsoMillis.parse(value);
        } catch (DateTimeException e) {
            throw new EventJsonException("timestamp '" + value + "' " + e.getMessage(), e);
        }
    }

    /** Strict 8-4-4-4-12 hex form; {@link UUID#fromString} also accepts shortened groups, which are not canonical. */
    private static UUID uuid(String s) {
        boolean ok = s.length() == 36;
        long msb = 0;
        long lsb = 0;
        for (int i = 0; ok && i < 36; i++) {
            char c = s.charAt(i);
            if (i == 8 || i == 13 || i == 18 || i == 23) {
                ok = c == '-';
                continue;
            }
            int digit = hexDigit(c);
            ok = digit >= 0;
            if (i < 18) {
                msb = msb << 4 | digit;
            } else {
                lsb = lsb << 4 | digit;
            }
        }
        if (!ok) {
            throw new EventJsonException("id '" + s + "' must be a UUID in 8-4-4-4-12 hex form, like "
                    + "0194b3a0-7c00-7000-8000-000000000000");
        }
        return new UUID(msb, lsb);
    }

    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static EventJsonException wrongType(String path, String expected, Object actual) {
        return new EventJsonException(path + " must be " + expected + ", not " + kind(actual));
    }

    private static String kind(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof String) {
            return "a string";
        }
        if (v instanceof Boolean) {
            return "a boolean";
        }
        if (v instanceof Number) {
            return "a number";
        }
        if (v instanceof Map) {
            return "an object";
        }
        if (v instanceof List) {
            return "an array";
        }
        return v.getClass().getSimpleName();
    }

    private static String render(Object v) {
        return v instanceof String s ? "\"" + s + "\"" : v instanceof Number || v instanceof Boolean ? v.toString() : kind(v);
    }

    /** For tests: the event field names in canonical order. */
    static List<String> fieldNames() {
        return Arrays.stream(FIELDS).map(f -> f.json).toList();
    }
}
