package io.vigil.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * An aligned text table, as {@code --format table} prints it: a header, a rule, the rows, and a count. Column widths
 * are taken from the first rows (up to {@value #SAMPLE}), which are held back until then; later rows are printed at
 * once with those widths (a longer value just pushes its row). Numbers are aligned right, the last column is not
 * padded.
 */
final class TextTable {
    private static final int SAMPLE = 1000;
    private final PrintStream out;
    private final String[] header;
    private final Set<Integer> rightAligned;
    private final String one;
    private final String many;
    private final List<String[]> held = new ArrayList<>();
    private int[] widths;
    private long rows;

    /**
     * @param rightAligned the indexes of the columns of numbers
     * @param one          what a row is, for the count ({@code entry})
     * @param many         what several rows are ({@code entries})
     */
    TextTable(PrintStream out, List<String> header, Set<Integer> rightAligned, String one, String many) {
        this.out = out;
        this.header = header.toArray(String[]::new);
        this.rightAligned = Set.copyOf(rightAligned);
        this.one = one;
        this.many = many;
    }

    void add(String... row) {
        if (row.length != header.length) {
            throw new IllegalArgumentException(row.length + " cells for " + header.length + " columns");
        }
        rows++;
        if (widths == null) {
            held.add(row);
            if (held.size() >= SAMPLE) {
                flushHeld();
            }
        } else {
            print(row);
        }
    }

    private void flushHeld() {
        widths = new int[header.length];
        for (int i = 0; i < header.length; i++) {
            widths[i] = header[i].length();
        }
        for (String[] r : held) {
            for (int i = 0; i < r.length; i++) {
                widths[i] = Math.max(widths[i], r[i].length());
            }
        }
        print(header);
        StringBuilder rule = new StringBuilder();
        for (int i = 0; i < widths.length; i++) {
            rule.append(i == 0 ? "" : "  ").append("-".repeat(widths[i]));
        }
        out.println(rule);
        held.forEach(this::print);
        held.clear();
    }

    private void print(String[] row) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < row.length; i++) {
            if (i > 0) {
                sb.append("  ");
            }
            String pad = " ".repeat(Math.max(0, widths[i] - row[i].length()));
            if (rightAligned.contains(i)) {
                sb.append(pad).append(row[i]);
            } else if (i == row.length - 1) {
                sb.append(row[i]);
            } else {
                sb.append(row[i]).append(pad);
            }
        }
        out.println(sb.toString().stripTrailing());
    }

    /** Prints the rows still held, and the count. */
    void finish() {
        if (widths == null) {
            flushHeld();
        }
        out.printf("(%,d %s)%n", rows, rows == 1 ? one : many);
    }
}
