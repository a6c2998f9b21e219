package io.vigil.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** {@code vigil tail}: the newest entries of a ledger, and optionally every new one as it is appended. */
@Command(name = "tail",
        mixinStandardHelpOptions = true, versionProvider = VigilCommand.Version.class,
        description = {"Print the last entries of a file ledger as JSON lines (with seq, prevHash and hash), and with"
                + " -f keep printing new entries as they are appended, until interrupted (Ctrl-C).",
                "",
                "Reads the segment files directly, without opening the ledger for writing or locking it, so it is"
                + " safe to run next to the application that writes the ledger. Only complete entries are printed.",
                ""},
        footer = {"", "Examples:", "  vigil tail /var/lib/vigil/ledger -n 20",
                "  vigil tail /var/lib/vigil/ledger -f -n 0 \\",
                "      | jq -c 'select(.outcome != \"success\")'"})
final class TailCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "The ledger directory.")
    String ledger;

    @Option(names = {"-n", "--lines"}, paramLabel = "N", defaultValue = "10",
            description = "How many of the last entries to print first (default: ${DEFAULT-VALUE}; 0 for none).")
    int lines;

    @Option(names = {"-f", "--follow"}, description = "Keep printing entries as they are appended.")
    boolean follow;

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
        LedgerFiles files = LedgerFiles.fromArgument(spec.commandLine(), ledger);
        PrintStream out = System.out;
        Follower follower = new Follower(files, System.err);
        follower.printLast(out, lines);
        out.flush();
        if (!follow) {
            return 0;
        }
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
        return 0;
    }

    /**
     * Prints a ledger's newest lines and then follows it. After the last lines are printed the follower stands at
     * the end of the newest segment's last complete line; each poll prints the lines completed since, and when the
     * writer has started a new segment (which it does only after finishing the previous one) it moves on to it.
     */
    static final class Follower {
        private final LedgerFiles files;
        private final PrintStream diagnostics;
        private LedgerFiles.Segment current;
        private long offset;

        Follower(LedgerFiles files, PrintStream diagnostics) {
            this.files = files;
            this.diagnostics = diagnostics;
        }

        /** Prints the last {@code n} lines and remembers where the ledger ends now. */
        void printLast(PrintStream out, int n) throws IOException {
            List<LedgerFiles.Segment> segs = files.segments();
            if (segs.isEmpty()) {
                return;
            }
            LedgerFiles.Tail tail = LedgerFiles.lastLines(segs, n);
            current = segs.get(segs.size() - 1);
            offset = tail.end(); // what is appended after this is printed by follow()
            for (String line : tail.lines()) {
                out.println(line);
            }
        }

        /** Prints new lines as they are appended until {@code stop} says so or the thread is interrupted. */
        void follow(PrintStream out, BooleanSupplier stop, long pollMillis) throws IOException {
            LedgerFiles.LineCursor cursor = null;
            try {
                while (!stop.getAsBoolean() && !Thread.currentThread().isInterrupted()) {
                    if (current == null) {
                        List<LedgerFiles.Segment> segs = files.segments();
                        if (!segs.isEmpty()) {
                            current = segs.get(0);
                            offset = 0;
                        }
                    }
                    if (current != null) {
                        if (cursor == null) {
                            cursor = new LedgerFiles.LineCursor(current.path(), offset);
                        }
                        long fileSize = cursor.size();
                        if (fileSize < cursor.readEnd()) {
                            // cut back, e.g. by the writer's recovery removing an unfinished entry: forget what was
                            // read beyond the new end, it may be rewritten with other bytes
                            diagnostics.println("vigil: " + current.path() + " shrank to " + fileSize + " bytes (the"
                                    + " writer cut an unfinished entry while recovering); continuing from there");
                            cursor.reset(Math.min(fileSize, cursor.offset()));
                        }
                        boolean printed = drain(cursor, out);
                        LedgerFiles.Segment next = nextSegment();
                        if (next != null) {
                            drain(cursor, out); // the old segment is complete once a newer one exists
                            cursor.close();
                            current = next;
                            offset = 0;
                            cursor = new LedgerFiles.LineCursor(current.path(), 0);
                            continue;
                        }
                        offset = cursor.offset();
                        if (printed) {
                            out.flush();
                        }
                    }
                    try {
                        Thread.sleep(pollMillis);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            } finally {
                if (cursor != null) {
                    cursor.close();
                }
                out.flush();
            }
        }

        private static boolean drain(LedgerFiles.LineCursor cursor, PrintStream out) throws IOException {
            boolean any = false;
            String line;
            while ((line = cursor.next()) != null) {
                out.println(line);
                any = true;
            }
            return any;
        }

        private LedgerFiles.Segment nextSegment() throws IOException {
            for (LedgerFiles.Segment s : files.segments()) {
                if (s.firstSeq() > current.firstSeq()) {
                    return s;
                }
            }
            return null;
        }
    }
}
