package io.vigil.cli;

import io.vigil.config.ConfigException;
import io.vigil.detect.DetectionConfig;
import io.vigil.detect.DetectionReplay;
import io.vigil.event.AuditEvent;
import io.vigil.json.EventJson;
import io.vigil.ledger.LedgerEntry;
import io.vigil.ledger.LedgerReader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code vigil detect}: the detectors replayed over stored events, and what they find. */
@Command(name = "detect",
        mixinStandardHelpOptions = true, versionProvider = VigilCommand.Version.class,
        sortOptions = false,
        description = {"Run the detectors of vigil-detect over stored events, in their order, measuring every window on"
                + " the events' own timestamps, and print each finding as one JSON line (an event of the v1 model:"
                + " type, outcome, severity, actor, riskScore, anomalyFlags, and details naming the detector and the"
                + " ids of the events that caused it) or as a table. A summary goes to standard error: events read,"
                + " findings per detector and type.",
                "",
                "INPUT is a ledger directory, a jdbc:postgresql: URL of a database ledger (user and password from"
                + " PGUSER and PGPASSWORD), a file of JSON lines, or - for JSON lines on standard input. JSON lines"
                + " hold one event per line, in time order; ledger lines (as 'vigil query' prints them) are read too."
                + " A ledger is read in its own order. Events that are themselves findings (a live detection stage"
                + " wrote them) are not shown to the detectors, so replaying a ledger gives back the findings it"
                + " holds, with the same ids.",
                "",
                "Without --config every detector runs with its default rule; with it, the detect section of that"
                + " file (see docs/detection.md) chooses the detectors and their rules.",
                ""},
        footer = {"", "Exit status: 0 done (findings or not); 2 bad input: the line that is not JSON, not a valid"
                + " event or earlier than the line before, a file that cannot be read, a bad --config; 1 a ledger"
                + " that cannot be read.",
                "", "Examples:",
                "  vigil detect /tmp/vigil-demo --format table",
                "  vigil detect events.jsonl --config /etc/myapp/vigil.yml > findings.jsonl",
                "  vigil query /tmp/vigil-demo --type 'auth.login.*' | vigil detect -"})
final class DetectCommand implements Callable<Integer> {
    private static final String STDIN = "-";

    enum Format { jsonl, table }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "INPUT",
            description = "A ledger directory, a jdbc:postgresql: URL, a file of JSON lines, or - for standard input.")
    String input;

    @Option(names = "--config", paramLabel = "FILE",
            description = "A Vigil configuration file (.yml, .yaml, .json or .properties) whose detect section"
                    + " configures the detectors.")
    Path config;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "jsonl",
            description = "jsonl (default) or table.")
    Format format;

    @Override
    public Integer call() {
        CommandLine cl = spec.commandLine();
        DetectionReplay replay = configuration(cl).builder().buildReplay();
        PrintStream out = System.out;
        Findings findings = new Findings(replay, format == Format.table ? new TextTable(out,
                List.of("timestamp", "type", "severity", "risk", "actor", "ip", "detector", "events"), Set.of(3, 7),
                "finding", "findings") : null, out);
        String source = input.equals(STDIN) ? "standard input" : input;
        try {
            if (input.equals(STDIN)) {
                EventLines.read(System.in, findings::inspect);
            } else if (Databases.isJdbc(input) || Files.isDirectory(path(cl))) {
                source = LedgerArguments.display(input);
                try (LedgerReader reader = LedgerArguments.openReader(cl, input);
                     Stream<LedgerEntry> entries = reader.entries(reader.start(), reader.size())) {
                    entries.forEach(e -> findings.inspect(e.event()));
                } catch (IOException e) {
                    return LedgerArguments.cannotRead(input, e);
                } catch (UncheckedIOException e) {
                    return LedgerArguments.cannotRead(input, e.getCause());
                }
            } else {
                try (InputStream in = Files.newInputStream(path(cl))) {
                    EventLines.read(in, findings::inspect);
                } catch (IOException e) {
                    out.flush();
                    System.err.println("vigil: cannot read " + input + ": " + describe(e));
                    return 2;
                }
            }
        } catch (EventLines.BadLine e) {
            findings.finish();
            System.err.println("vigil: " + source + " " + e.getMessage());
            return 2;
        }
        findings.finish();
        findings.summarise(System.err, source);
        return 0;
    }

    private DetectionConfig configuration(CommandLine cl) {
        if (config == null) {
            return DetectionConfig.defaults();
        }
        DetectionConfig c;
        try {
            c = DetectionConfig.load(config);
        } catch (ConfigException e) {
            throw new ParameterException(cl, "--config " + e.getMessage());
        }
        if (!c.enabled()) {
            throw new ParameterException(cl, "--config " + config + ": detection is switched off there ("
                    + DetectionConfig.SECTION + ".enabled: false), so there is nothing to run");
        }
        return c;
    }

    private static String describe(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    /** INPUT as an existing path. */
    private Path path(CommandLine cl) {
        Path p;
        try {
            p = Path.of(input);
        } catch (InvalidPathException e) {
            throw new ParameterException(cl, "INPUT '" + input + "' is not a valid path: " + e.getMessage());
        }
        if (!Files.exists(p)) {
            throw new ParameterException(cl, "INPUT " + input + " does not exist; give a ledger directory, a"
                    + " jdbc:postgresql: URL, a file of JSON lines, or - for standard input");
        }
        return p;
    }

    /** The replay's findings, printed as they come and counted for the summary. */
    private static final class Findings {
        private final DetectionReplay replay;
        private final TextTable table;
        private final PrintStream out;
        private final Map<String, Long> perDetectorAndType = new TreeMap<>();
        private long events;
        private long storedFindings;
        private long found;

        /** @param table null for JSON lines */
        Findings(DetectionReplay replay, TextTable table, PrintStream out) {
            this.replay = replay;
            this.table = table;
            this.out = out;
        }

        void inspect(AuditEvent event) {
            events++;
            if (DetectionReplay.isFinding(event)) {
                storedFindings++;
            }
            for (AuditEvent f : replay.inspect(event)) {
                found++;
                String detector = String.valueOf(f.details().get("detector"));
                perDetectorAndType.merge(detector + " " + f.type(), 1L, Long::sum);
                if (table == null) {
                    out.println(EventJson.toCanonicalString(f));
                } else {
                    Object ids = f.details().get("triggeringEventIds");
                    table.add(f.timestamp().toString(), f.type(), f.severity().jsonName(),
                            f.riskScore().isPresent() ? String.format(Locale.ROOT, "%.2f", f.riskScore().getAsDouble())
                                    : "",
                            EventCells.actor(f), EventCells.ip(f), detector,
                            ids instanceof List<?> l ? Integer.toString(l.size()) : "");
                }
            }
        }

        void finish() {
            if (table != null) {
                table.finish();
            }
            out.flush();
        }

        void summarise(PrintStream err, String source) {
            err.printf("vigil detect: %,d event%s read from %s%s%n", events, events == 1 ? "" : "s", source,
                    storedFindings == 0 ? "" : String.format(Locale.ROOT, " (%,d of them finding%s, not shown to the"
                            + " detectors)", storedFindings, storedFindings == 1 ? "" : "s"));
            err.printf("detectors: %s%n", String.join(", ", replay.detectors()));
            err.printf("findings: %,d%n", found);
            perDetectorAndType.forEach((key, n) -> {
                String[] parts = key.split(" ", 2);
                err.printf("  %-24s %-36s %,d%n", parts[0], parts[1], n);
            });
        }
    }
}
