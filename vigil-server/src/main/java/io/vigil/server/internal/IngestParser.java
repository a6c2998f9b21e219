package io.vigil.server.internal;

import io.vigil.event.AuditEvent;
import io.vigil.event.EventIds;
import io.vigil.json.EventJson;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the body of {@code POST /v1/events}: one event (JSON) or one event per line (NDJSON), each of the event model
 * v1. The server assigns an id and a timestamp when an event has none, and the key's tenant when it names none; an
 * event naming another tenant is refused. Every problem is collected with its line and field, so that a client sees
 * all of them at once and the batch is refused whole.
 */
public final class IngestParser {
    /** A quoted field path in a message of the event reader. */
    private static final Pattern QUOTED_FIELD = Pattern.compile("'([A-Za-z0-9_.]+)'");
    /** "timestamp '...' must be", "v must be 1": a path, then a quoted value or what it must be. */
    private static final Pattern LEADING_FIELD = Pattern.compile("^([a-z][A-Za-z0-9_.]*) (?:'|must |is )");
    /** "unknown severity 'loud'": an enum's reader names the field it reads. */
    private static final Pattern UNKNOWN_VALUE = Pattern.compile("^unknown ([a-z][A-Za-z0-9_.]*) '");

    private final Clock clock;

    public IngestParser(Clock clock) {
        this.clock = clock;
    }

    /** One problem with the body: its line (1 for a single event), the field when one is to blame, and why. */
    public record Problem(long line, String field, String message) {
    }

    /** The events of a body, or the problems that refuse it. */
    public record Parsed(List<AuditEvent> events, List<Problem> problems) {
    }

    /**
     * @param ndjson    whether the body is NDJSON (else one JSON event)
     * @param maxEvents the most events a body may carry
     */
    public Parsed parse(byte[] body, boolean ndjson, String tenant, int maxEvents) throws TooManyEvents {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            return new Parsed(List.of(), List.of(new Problem(1, "", "the body is not UTF-8")));
        }
        List<AuditEvent> events = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        if (!ndjson) {
            one(text, 1, tenant, events, problems);
        } else {
            String[] lines = text.split("\n", -1);
            long count = 0;
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
                if (line.isBlank()) {
                    continue;
                }
                if (++count > maxEvents) {
                    throw new TooManyEvents(maxEvents);
                }
                one(line, i + 1, tenant, events, problems);
            }
        }
        if (events.isEmpty() && problems.isEmpty()) {
            problems.add(new Problem(1, "", "the body holds no event"));
        }
        return new Parsed(problems.isEmpty() ? events : List.of(), problems);
    }

    private void one(String text, long line, String tenant, List<AuditEvent> events, List<Problem> problems) {
        Instant now = clock.instant();
        AuditEvent event;
        try {
            // One pass: the reader fills in what the client left out (id, timestamp, tenant).
            event = EventJson.parseSent(text, EventIds.next(now.toEpochMilli()), now, tenant);
        } catch (IllegalArgumentException e) {
            problems.add(new Problem(line, fieldOf(e.getMessage()), e.getMessage()));
            return;
        }
        if (!event.tenant().map(tenant::equals).orElse(false)) {
            problems.add(new Problem(line, "tenant", "this key writes for tenant '" + tenant
                    + "' only; leave tenant out or give '" + tenant + "'"));
            return;
        }
        events.add(event);
    }

    /**
     * The field a message of the event reader names, or "" when it names none: the quoted name after "field"
     * ("missing required field 'action'"), the enum after "unknown" ("unknown severity 'loud'"), else the path the
     * message starts with ("timestamp '...' must be a UTC time").
     */
    static String fieldOf(String message) {
        if (message == null) {
            return "";
        }
        if (message.contains("field '")) {
            Matcher quoted = QUOTED_FIELD.matcher(message.substring(message.indexOf("field '")));
            if (quoted.find()) {
                return quoted.group(1);
            }
        }
        Matcher unknown = UNKNOWN_VALUE.matcher(message);
        if (unknown.find()) {
            return unknown.group(1);
        }
        Matcher leading = LEADING_FIELD.matcher(message);
        return leading.find() ? leading.group(1) : "";
    }

    /** More events in one body than the server takes. */
    public static final class TooManyEvents extends Exception {
        private static final long serialVersionUID = 1L;

        TooManyEvents(int max) {
            super("a batch holds at most " + max + " events");
        }
    }
}
