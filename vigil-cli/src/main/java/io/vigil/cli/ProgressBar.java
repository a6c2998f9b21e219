package io.vigil.cli;

import java.io.PrintStream;

/**
 * A one-line progress bar on stderr. On a terminal it redraws in place; otherwise (CI logs, pipes) it prints a
 * line at every tenth, so logs stay readable.
 */
final class ProgressBar {
    private static final int WIDTH = 30;

    private final PrintStream out;
    private final String label;
    private final long total;
    private final boolean interactive;
    private final boolean bytes;
    private final long startNanos = System.nanoTime();
    private int lastPermille = -1;
    private long lastDrawNanos;
    /** An interactive line was drawn and not yet ended with a newline. */
    private boolean open;

    ProgressBar(PrintStream out, String label, long total) {
        this(out, label, total, false);
    }

    /** A bar counting {@code total} items, or bytes (shown in MiB) when {@code bytes}. */
    ProgressBar(PrintStream out, String label, long total, boolean bytes) {
        this.out = out;
        this.label = label;
        this.total = Math.max(1, total);
        this.interactive = System.console() != null;
        this.bytes = bytes;
    }

    /** Reports progress; safe to call from several threads, and a value lower than one already shown is ignored. */
    synchronized void update(long done) {
        int permille = (int) Math.min(1000, done * 1000 / total);
        if (permille < lastPermille) {
            return;
        }
        long now = System.nanoTime();
        if (interactive) {
            if (permille != lastPermille && (now - lastDrawNanos > 50_000_000L || done >= total)) {
                draw(done, permille, now);
            }
        } else if (permille / 100 != lastPermille / 100 || (done >= total && lastPermille < 1000)) {
            draw(done, permille, now);
        }
    }

    private void draw(long done, int permille, long now) {
        lastPermille = permille;
        lastDrawNanos = now;
        int filled = permille * WIDTH / 1000;
        double seconds = (now - startNanos) / 1e9;
        String bar = "#".repeat(filled) + " ".repeat(WIDTH - filled);
        String count = bytes
                ? String.format("%,.1f/%,.1f MiB", done / 1048576.0, total / 1048576.0)
                : String.format("%,d/%,d", done, total);
        String line = String.format("%s [%s] %5.1f%% %s  %.1fs", label, bar, permille / 10.0, count, seconds);
        if (interactive) {
            out.print("\r" + line);
            open = true;
            if (done >= total) {
                out.println();
                open = false;
            }
        } else {
            out.println(line);
        }
        out.flush();
    }

    /** Ends a redrawn line that did not reach 100% (the work stopped early), so later messages start afresh. */
    synchronized void end() {
        if (open) {
            out.println();
            out.flush();
            open = false;
        }
    }
}
