package io.vigil.cli;

import io.vigil.event.Actor;
import io.vigil.event.AuditEvent;
import io.vigil.event.Category;
import io.vigil.event.EventCatalog;
import io.vigil.event.EventType;
import io.vigil.event.Outcome;
import io.vigil.json.ParsedEvent;
import io.vigil.ledger.AuditQuery;
import io.vigil.ledger.LedgerEntry;
import io.vigil.ledger.LedgerReader;
import io.vigil.ledger.QueryPage;
import io.vigil.sink.EntryPosition;
import io.vigil.sink.EventFormat;
import io.vigil.sink.EventFormats;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** {@code vigil query}: the entries of a ledger that match filters, as JSON lines or a table. */
@Command(name = "query",
        mixinStandardHelpOptions = true, versionProvider = VigilCommand.Version.class,
        sortOptions = false,
        description = {"Print the entries of a ledger (a directory or a PostgreSQL database) that match every given"
                + " filter, oldest first, as JSON lines (the stored lines, with seq, prevHash and hash) or as an"
                + " aligned table.",
                "",
                "Reads the ledger without writing or locking it. Times are"
                + " ISO-8601 instants (2026-03-02T08:00:00Z, or with an offset) or dates (2026-03-02, a whole UTC"
                + " day: --since from its start, --until through its end). --since is inclusive, --until exclusive.",
                ""},
        footer = {"", "Examples:",
                "  vigil query /tmp/vigil-demo --type auth.login.failure --ip 203.0.113.66 \\",
                "      --format table",
                "  vigil query /tmp/vigil-demo --category authz --outcome denied \\",
                "      --since 2026-03-02T09:00:00Z --limit 20",
                "  vigil query /tmp/vigil-demo --type 'security.*' --format table",
                "  vigil query /tmp/vigil-demo --actor alice --resource invoice | jq .target.id"})
final class QueryCommand implements Callable<Integer> {
    private static final Pattern TYPE_PATTERN = Pattern.compile("[a-z0-9_]+(\\.[a-z0-9_]+)*(\\.\\*)?");
    private static final Pattern IP_PATTERN = Pattern.compile("[0-9A-Fa-f:.%a-zA-Z]+");

    enum Format { jsonl, table, ocsf, ecs, cef }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "LEDGER",
            description = LedgerArguments.DESCRIPTION)
    String ledger;

    @Option(names = "--type", paramLabel = "T",
            description = "Event type, e.g. auth.login.failure; a trailing .* matches a family (auth.login.*).")
    String type;

    @Option(names = "--category", paramLabel = "C", description = "Category: ${COMPLETION-CANDIDATES}.",
            completionCandidates = Categories.class)
    String category;

    @Option(names = "--outcome", paramLabel = "O", description = "Outcome: success, failure, denied or error.")
    String outcome;

    @Option(names = "--actor", paramLabel = "ID", description = "Actor id, exactly (e.g. alice).")
    String actor;

    @Option(names = "--ip", paramLabel = "IP", description = "Actor IP address, exactly.")
    String ip;

    @Option(names = "--resource", paramLabel = "TYPE[:ID]", description = "Target type, and optionally its id (invoice:inv-1234).")
    String resource;

    @Option(names = "--id", paramLabel = "UUID", description = "The event with this id (the id a SIEM or a sink's"
            + " line shows), to find its seq and hash for a proof.")
    String id;

    @Option(names = "--since", paramLabel = "TIME", description = "Only entries at or after this time.")
    String since;

    @Option(names = "--until", paramLabel = "TIME", description = "Only entries before this time.")
    String until;

    @Option(names = "--limit", paramLabel = "N", description = "Stop after N matching entries.")
    Long limit;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "jsonl",
            description = "jsonl (default, the stored entries), table, or a SIEM's schema, one event a line: ocsf "
                    + "(OCSF 1.8.0), ecs (ECS 9.4.0) or cef; each carries the entry's seq and hash.")
    Format format;

    /** The category names, for the help text. */
    static final class Categories extends ArrayList<String> {
        private static final long serialVersionUID = 1L;

        Categories() {
            super(List.of(Category.allowed().split(", ")));
        }
    }

    @Override
    public Integer call() throws Exception {
        CommandLine cl = spec.commandLine();
        Predicate<AuditEvent> filter = buildFilter(cl);
        if (limit != null && limit < 1) {
            throw new ParameterException(cl, "--limit must be at least 1, was " + limit);
        }
        PrintStream out = System.out;
        AuditQuery query = indexedFilters(cl);
        Table table = format == Format.table ? new Table(out) : null;
        // jsonl prints the stored line itself, with its seq and hashes; the built-in jsonl format has neither
        Optional<EventFormat> siem = format == Format.jsonl ? Optional.empty() : EventFormats.named(format.name());
        long matched = 0;
        try (LedgerReader reader = LedgerArguments.openReader(cl, ledger)) {
            while (true) {
                QueryPage page = reader.query(query);
                for (LedgerEntry e : page.entries()) {
                    if (!filter.test(e.event())) {
                        continue;
                    }
                    if (table != null) {
                        table.add(new ParsedEvent(e.event(), Map.of("seq", e.seq(), "hash", e.hash())));
                    } else if (siem.isPresent()) {
                        out.println(siem.get().format(e.event(), Optional.of(new EntryPosition(e.seq(), e.hash()))));
                    } else {
                        out.println(e.line());
                    }
                    if (limit != null && ++matched >= limit) {
                        break;
                    }
                }
                if (page.nextCursor().isEmpty() || (limit != null && matched >= limit)) {
                    break;
                }
                query = query.after(page.nextCursor().get());
            }
        } catch (IOException e) {
            return LedgerArguments.cannotRead(ledger, e);
        } finally {
            if (table != null) {
                table.finish();
            }
            out.flush();
        }
        return 0;
    }

    /**
     * The filters a store can hand to an index (actor, IP, resource, type, time); every entry it returns is still
     * tested against all of them, with category and outcome, by the predicate of {@link #buildFilter}.
     */
    private AuditQuery indexedFilters(CommandLine cl) {
        AuditQuery q = AuditQuery.all().limit(1_000);
        if (actor != null) {
            q = q.user(actor);
        }
        if (ip != null && ip.chars().noneMatch(Character::isLetter)) {
            q = q.ip(ip); // --ip ignores case; an address with hex letters is matched by the predicate alone
        }
        if (type != null) {
            q = q.type(type);
        }
        if (resource != null) {
            int colon = resource.indexOf(':');
            q = q.resource(colon < 0 ? resource : resource.substring(0, colon),
                    colon < 0 ? Optional.empty() : Optional.of(resource.substring(colon + 1)));
        }
        if (since != null) {
            q = q.from(parseTime(cl, "--since", since, false));
        }
        if (until != null) {
            q = q.to(parseTime(cl, "--until", until, true));
        }
        return q;
    }

    private Predicate<AuditEvent> buildFilter(CommandLine cl) {
        List<Predicate<AuditEvent>> all = new ArrayList<>();
        if (type != null) {
            if (!TYPE_PATTERN.matcher(type).matches() || !type.contains(".")) {
                throw new ParameterException(cl, "--type '" + type + "' is not an event type: use dotted lowercase"
                        + " names like auth.login.failure, or a family like auth.login.* (a whole category: --category auth"
                        + " or --type auth.*)");
            }
            if (type.endsWith("*")) {
                String prefix = type.substring(0, type.length() - 1);
                all.add(e -> e.type().startsWith(prefix));
            } else {
                if (EventCatalog.find(type).isEmpty()) {
                    String similar = similarTypes(type);
                    System.err.println("vigil: note: '" + type + "' is not in the event catalogue; matching it"
                            + " literally" + (similar.isEmpty() ? "" : " (catalogue types like it: " + similar + ")"));
                }
                String t = type;
                all.add(e -> e.type().equals(t));
            }
        }
        if (id != null) {
            UUID wanted;
            try {
                wanted = UUID.fromString(id);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(cl, "--id '" + id + "' is not an event id; expected a UUID like"
                        + " 0190f5c4-3b1e-7a2c-9d4e-5f6a7b8c9d0e");
            }
            all.add(e -> e.id().equals(wanted));
        }
        if (category != null) {
            Category c;
            try {
                c = Category.fromJson(category);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(cl, "--category: " + e.getMessage());
            }
            all.add(e -> e.category() == c);
        }
        if (outcome != null) {
            Outcome o;
            try {
                o = Outcome.fromJson(outcome);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(cl, "--outcome: " + e.getMessage());
            }
            all.add(e -> e.outcome() == o);
        }
        if (actor != null) {
            if (actor.isBlank()) {
                throw new ParameterException(cl, "--actor must not be empty");
            }
            String a = actor;
            all.add(e -> e.actor().flatMap(Actor::id).filter(a::equals).isPresent());
        }
        if (ip != null) {
            if (!IP_PATTERN.matcher(ip).matches() || !(ip.contains(".") || ip.contains(":"))) {
                throw new ParameterException(cl, "--ip '" + ip + "' is not an IP address (like 203.0.113.66 or"
                        + " 2001:db8::1)");
            }
            String addr = ip;
            all.add(e -> e.actor().flatMap(Actor::ip).filter(x -> x.equalsIgnoreCase(addr)).isPresent());
        }
        if (resource != null) {
            int colon = resource.indexOf(':');
            String rType = colon < 0 ? resource : resource.substring(0, colon);
            String rId = colon < 0 ? null : resource.substring(colon + 1);
            if (rType.isEmpty() || (rId != null && rId.isEmpty())) {
                throw new ParameterException(cl, "--resource '" + resource + "' must be TYPE or TYPE:ID, e.g. invoice"
                        + " or invoice:inv-1234");
            }
            all.add(e -> e.target().filter(t -> t.type().equals(rType)
                    && (rId == null || t.id().filter(rId::equals).isPresent())).isPresent());
        }
        Instant from = since == null ? null : parseTime(cl, "--since", since, false);
        Instant to = until == null ? null : parseTime(cl, "--until", until, true);
        if (from != null && to != null && !from.isBefore(to)) {
            throw new ParameterException(cl, "--since " + since + " must be before --until " + until);
        }
        if (from != null) {
            all.add(e -> !e.timestamp().isBefore(from));
        }
        if (to != null) {
            all.add(e -> e.timestamp().isBefore(to));
        }
        return e -> {
            for (Predicate<AuditEvent> p : all) {
                if (!p.test(e)) {
                    return false;
                }
            }
            return true;
        };
    }

    /** Catalogue types sharing the longest dotted prefix with {@code type}, for a hint. */
    static String similarTypes(String type) {
        String prefix = type;
        while (prefix.contains(".")) {
            prefix = prefix.substring(0, prefix.lastIndexOf('.'));
            String p = prefix + ".";
            List<String> found = EventCatalog.all().stream().map(EventType::name).filter(n -> n.startsWith(p))
                    .collect(Collectors.toList());
            if (!found.isEmpty()) {
                return String.join(", ", found.subList(0, Math.min(12, found.size())))
                        + (found.size() > 12 ? ", ..." : "");
            }
        }
        return "";
    }

    /** An ISO-8601 instant or offset date-time, or a date (its start; with {@code endOfDay} the next day's start). */
    static Instant parseTime(CommandLine cl, String option, String value, boolean endOfDay) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException ignored) {
            // try the other forms
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException ignored) {
            // try a date
        }
        try {
            LocalDate d = LocalDate.parse(value);
            return (endOfDay ? d.plusDays(1) : d).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new ParameterException(cl, option + " '" + value + "' is not a time: use ISO-8601 like"
                    + " 2026-03-02T08:00:00Z (or 2026-03-02T09:00:00+01:00) or a date like 2026-03-02");
        }
    }

    /** The table of {@code --format table}: one row per entry. */
    static final class Table {
        private final TextTable table;

        Table(PrintStream out) {
            table = new TextTable(out, List.of("seq", "timestamp", "type", "outcome", "actor", "ip", "target"), Set.of(0),
                    "entry", "entries");
        }

        void add(ParsedEvent p) {
            AuditEvent e = p.event();
            table.add(String.valueOf(p.extras().get("seq")), e.timestamp().toString(), e.type(), e.outcome().jsonName(),
                    EventCells.actor(e), EventCells.ip(e), EventCells.target(e));
        }

        void finish() {
            table.finish();
        }
    }
}
