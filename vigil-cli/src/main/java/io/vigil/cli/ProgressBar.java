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
    private final long startNanos = System.nanoTime();
    private int lastPermille = -1;
    private long lastDrawNanos;

    ProgressBar(PrintStream out, String label, long total) {
        this.out = out;
        this.label = label;
        this.total = Math.max(1, total);
        this.interactive = System.console() != null;
    }

    void update(long done) {
        int permille = (int) Math.min(1000, done * 1000 / total);
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
        String line = String.format("%s [%s] %5.1f%% %,d/%,d  %.1fs", label, bar, permille / 10.0, done, total, seconds);
        if (interactive) {
            out.print("\r" + line);
            if (done >= total) {
                out.println();
            }
        } else {
            out.println(line);
        }
        out.flush();
    }
}
