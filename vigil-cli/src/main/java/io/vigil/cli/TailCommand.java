package io.vigil.cli;

import io.vigil.ledger.LedgerEntry;
import io.vigil.ledger.LedgerReader;
import io.vigil.sink.EntryPosition;
import io.vigil.sink.EventFormat;
import io.vigil.sink.EventFormats;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.Stream;

/** {@code vigil tail}: the newest entries of a ledger, and optionally every new one as it is appended. */
@Command(name = "tail",
        mixinStandardHelpOptions = true, versionProvider = VigilCommand.Version.class,
        description = {"Print the last entries of a ledger (a directory or a PostgreSQL database) as JSON lines (with"
                + " seq, prevHash and hash), and with -f keep printing new entries as they are appended, until"
                + " interrupted (Ctrl-C).",
                "",
                "Reads the ledger without writing or locking it, so it is safe to run next to the application that"
                + " writes it. Only complete entries are printed; -f asks for new ones every 200 ms.",
                ""},
        footer = {"", "Examples:", "  vigil tail /var/lib/vigil/ledger -n 20",
                "  vigil tail /var/lib/vigil/ledger -f -n 0 \\",
                "      | jq -c 'select(.outcome != \"success\")'"})
final class TailCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "LEDGER",
            description = LedgerArguments.DESCRIPTION)
    String ledger;

    @Option(names = {"-n", "--lines"}, paramLabel = "N", defaultValue = "10",
            description = "How many of the last entries to print first (default: ${DEFAULT-VALUE}; 0 for none).")
    int lines;

    @Option(names = {"-f", "--follow"}, description = "Keep printing entries as they are appended.")
    boolean follow;

    /** What each entry is printed as. */
    enum Format { jsonl, ocsf, ecs, cef }

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "jsonl",
            description = "jsonl (default, the stored entries) or a SIEM's schema, one event a line: ocsf (OCSF 1.8.0), "
                    + "ecs (ECS 9.4.0) or cef; each carries the entry's seq and hash.")
    Format format;

    @Option(names = "--poll-ms", paramLabel = "MS", defaultValue = "200", hidden = true,
            description = "How often -f looks for new entries, in milliseconds.")
    long pollMillis;

    @Override
    public Integer call() throws Exception {
        if (lines < 0) {
            throw new ParameterException(spec.commandLine(), "-n must be 0 or more, was " + lines);
        }
        if (pollMillis < 1) {
            throw new ParameterException(spec.commandLine(), "--poll-ms must be at least 1");
        }
        try (LedgerReader reader = LedgerArguments.openReader(spec.commandLine(), ledger)) {
            PrintStream out = System.out;
            // jsonl prints the stored line itself, with its seq and hashes; the built-in jsonl format has neither
            Optional<EventFormat> siem = format == Format.jsonl ? Optional.empty()
                    : EventFormats.named(format.name());
            Function<LedgerEntry, String> line = siem.isEmpty() ? LedgerEntry::line
                    : e -> siem.get().format(e.event(), Optional.of(new EntryPosition(e.seq(), e.hash())));
            Follower follower = new Follower(reader, System.err, line);
            follower.printLast(out, lines);
            out.flush();
            if (follow) {
                followUntilStopped(follower, out);
            }
            return 0;
        } catch (IOException e) {
            return LedgerArguments.cannotRead(ledger, e);
        }
    }

    private void followUntilStopped(Follower follower, PrintStream out) throws IOException {
        // Ctrl-C runs shutdown hooks: ask the loop to stop and give it a moment to finish the line it is printing.
        CountDownLatch finished = new CountDownLatch(1);
        boolean[] stop = {false};
        Thread hook = new Thread(() -> {
            synchronized (stop) {
                stop[0] = true;
            }
            try {
                finished.await(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "vigil-tail-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            follower.follow(out, () -> {
                synchronized (stop) {
                    return stop[0];
                }
            }, pollMillis);
        } finally {
            out.flush();
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: nothing to remove
            }
        }
    }

    /**
     * Prints a ledger's newest entries and then follows it: each poll asks the reader for its size and prints the
     * entries completed since. The same for every store: a file ledger's reader counts only complete lines, a
     * database's only committed rows.
     */
    static final class Follower {
        private final LedgerReader reader;
        private final PrintStream diagnostics;
        private final Function<LedgerEntry, String> line;
        private long next;

        /** Prints the stored entries as they are. */
        Follower(LedgerReader reader, PrintStream diagnostics) {
            this(reader, diagnostics, LedgerEntry::line);
        }

        Follower(LedgerReader reader, PrintStream diagnostics, Function<LedgerEntry, String> line) {
            this.reader = reader;
            this.diagnostics = diagnostics;
            this.line = line;
        }

        /** Prints the last {@code n} entries and remembers where the ledger ends now. */
        void printLast(PrintStream out, int n) throws IOException {
            long size = reader.size();
            next = Math.max(reader.start(), size - n);
            print(out, size);
        }

        /** Prints new entries as they are appended until {@code stop} says so or the thread is interrupted. */
        void follow(PrintStream out, BooleanSupplier stop, long pollMillis) throws IOException {
            try {
                while (!stop.getAsBoolean() && !Thread.currentThread().isInterrupted()) {
                    long size = reader.size();
                    if (size < next) {
                        diagnostics.println("vigil: the ledger now has " + size + " entries, fewer than the " + next
                                + " already printed; continuing from there");
                        next = size;
                    }
                    if (size > next) {
                        print(out, size);
                        out.flush();
                    }
                    try {
                        Thread.sleep(pollMillis);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            } finally {
                out.flush();
            }
        }

        private void print(PrintStream out, long size) throws IOException {
            try (Stream<LedgerEntry> entries = reader.entries(next, size)) {
                entries.forEach(e -> out.println(line.apply(e)));
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            next = size;
        }
    }
}
