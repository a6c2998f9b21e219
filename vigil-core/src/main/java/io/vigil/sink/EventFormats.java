package io.vigil.sink;

import io.vigil.AuditException;
import io.vigil.event.AuditEvent;
import io.vigil.json.CanonicalBuffer;
import io.vigil.json.EventJson;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * The event formats by name. {@code jsonl} is built in; the others are found with {@link ServiceLoader} in the
 * modules that provide them, so that the core does not depend on them.
 */
public final class EventFormats {
    /** The built-in format's name: the event's canonical JSON, as every Vigil store keeps it. */
    public static final String JSONL = "jsonl";

    /** Every format Vigil has, with the module that provides it, in the order the docs list them. */
    private static final Map<String, String> KNOWN = Map.of(
            JSONL, "vigil-core", "ocsf", "vigil-siem", "ecs", "vigil-siem", "cef", "vigil-siem");
    private static final List<String> NAMES = List.of(JSONL, "ocsf", "ecs", "cef");

    private static final EventFormat JSONL_FORMAT = new EventFormat() {
        @Override
        public String name() {
            return JSONL;
        }

        @Override
        public String format(AuditEvent event, Optional<EntryPosition> position) {
            return EventJson.toCanonicalString(event);
        }

        @Override
        public void append(AuditEvent event, Optional<EntryPosition> position, CanonicalBuffer out) {
            EventJson.writeCanonical(event, out);
        }
    };

    private EventFormats() {
    }

    /** The names of every format Vigil has, whether or not its module is on the class or module path. */
    public static List<String> names() {
        return NAMES;
    }

    /** The built-in canonical JSON format. */
    public static EventFormat jsonl() {
        return JSONL_FORMAT;
    }

    /** The format called {@code name}, when its module is present. */
    public static Optional<EventFormat> named(String name) {
        if (JSONL.equals(name)) {
            return Optional.of(JSONL_FORMAT);
        }
        for (EventFormat f : ServiceLoader.load(EventFormat.class, EventFormats.class.getClassLoader())) {
            if (f.name().equals(name)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /**
     * The format called {@code name}.
     *
     * @throws AuditException naming the module to add when the format is Vigil's but its module is missing, or the
     *                        formats there are when the name is unknown
     */
    public static EventFormat require(String name) {
        return named(name).orElseThrow(() -> {
            String module = KNOWN.get(name);
            return new AuditException(module != null
                    ? "format '" + name + "' is written by " + module + "; add the io.vigil:" + module
                    + " dependency to the application"
                    : "unknown format '" + name + "'; formats: " + String.join(", ", NAMES));
        });
    }
}
