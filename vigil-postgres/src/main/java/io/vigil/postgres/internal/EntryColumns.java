package io.vigil.postgres.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.json.CanonicalJson;
import io.vigil.ledger.internal.LineScanner;
import io.vigil.ledger.internal.Swar;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What each derived column of a row must hold, read from its entry (the canonical line) where the line's scan found
 * its members, and compared with the column as {@code COPY} writes it out. Used by verification, which reads hundreds
 * of thousands of rows a second, so values are compared as bytes where neither side is escaped; {@link Columns} says
 * how an event becomes the columns when written. The comparison needs the session settings in {@link #SESSION}.
 */
public final class EntryColumns {
    /** Output settings the comparison relies on: timestamps in ISO form in UTC, doubles in their shortest exact form. */
    public static final List<String> SESSION = List.of("SET LOCAL TimeZone = 'UTC'", "SET LOCAL DateStyle = 'ISO, MDY'",
            "SET LOCAL extra_float_digits = 1");

    /** Decodes the rare values that hold escapes; the common ones are compared as bytes. */
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ACTOR = -2;
    private static final int TARGET = -3;
    private static final Names TOP = new Names(new String[][] {{"id", "id"}, {"timestamp", "timestamp"},
            {"category", "category"}, {"type", "type"}, {"action", "action"}, {"outcome", "outcome"},
            {"severity", "severity"}, {"tenant", "tenant"}, {"service", "service"}, {"sessionId", "session_id"},
            {"requestId", "request_id"}, {"traceId", "trace_id"}, {"reason", "reason"}, {"error", "error"},
            {"riskScore", "risk_score"}, {"anomalyFlags", "anomaly_flags"}, {"details", "details"}},
            new String[] {"actor", "target"}, new int[] {ACTOR, TARGET});
    private static final Names ACTOR_MEMBERS = new Names(new String[][] {{"type", "actor_type"}, {"id", "actor_id"},
            {"name", "actor_name"}, {"ip", "actor_ip"}, {"userAgent", "actor_user_agent"}}, new String[0], new int[0]);
    private static final Names TARGET_MEMBERS = new Names(new String[][] {{"type", "resource_type"},
            {"id", "resource_id"}, {"name", "resource_name"}}, new String[0], new int[0]);
    private static final int TIMESTAMP = Columns.DERIVED.indexOf("timestamp");
    private static final int RISK = Columns.DERIVED.indexOf("risk_score");
    private static final int FLAGS = Columns.DERIVED.indexOf("anomaly_flags");
    private static final int DETAILS = Columns.DERIVED.indexOf("details");

    private final int[] top = new int[4 * 64];
    private final int[] nested = new int[4 * 16];
    private final int[] valueStart = new int[Columns.DERIVED.size()];
    private final int[] valueEnd = new int[Columns.DERIVED.size()];
    private byte[] line = new byte[0];

    /**
     * Scans the ledger line {@code line[from, to)} (see {@link LineScanner}) and notes where each column's value is
     * in it. The line's bytes must stay as they are until the row is compared.
     */
    public LineScanner scan(byte[] line, int from, int to) {
        LineScanner s = LineScanner.scan(line, from, to, top);
        this.line = line;
        Arrays.fill(valueStart, -1);
        if (s.error() != null) {
            return s;
        }
        for (int k = 0; k < s.memberCount(); k++) {
            int at = 4 * k;
            int column = TOP.column(line, top[at], top[at + 1]);
            if (column >= 0) {
                valueStart[column] = top[at + 2];
                valueEnd[column] = top[at + 3];
            } else if (column == ACTOR || column == TARGET) {
                Names names = column == ACTOR ? ACTOR_MEMBERS : TARGET_MEMBERS;
                int n = LineScanner.members(line, top[at + 2], top[at + 3], nested);
                for (int m = 0; m < n; m++) {
                    int c = names.column(line, nested[4 * m], nested[4 * m + 1]);
                    if (c >= 0) {
                        valueStart[c] = nested[4 * m + 2];
                        valueEnd[c] = nested[4 * m + 3];
                    }
                }
            }
        }
        return s;
    }

    /**
     * The first derived column of {@code row} (fields from {@code first} on, in {@link Columns#DERIVED} order) that
     * differs from what the entry scanned last says, with the stored value; empty when all match.
     */
    public Optional<String> firstDifference(CopyRow row, int first) {
        for (int i = 0; i < valueStart.length; i++) {
            int f = first + i;
            if (!same(i, row, f)) {
                String got = row.string(f);
                return Optional.of(Columns.DERIVED.get(i) + " column (" + (got == null ? "null" : shorten(got)) + ")");
            }
        }
        return Optional.empty();
    }

    private boolean same(int i, CopyRow row, int f) {
        int vs = valueStart[i];
        int ve = valueEnd[i];
        if (i == DETAILS) {
            return !row.isNull(f) && sameDetails(row, f, vs, ve);
        }
        if (i == FLAGS) {
            if (row.isNull(f)) {
                return false;
            }
            if (vs < 0 || ve - vs == 2) { // absent or []
                return row.bytesEqual(f, EMPTY_ARRAY, 0, 2);
            }
            return arrayElements(row.string(f)).equals(decode(vs, ve, String[].class).map(List::of).orElse(null));
        }
        if (vs < 0 || row.isNull(f)) {
            return vs < 0 && row.isNull(f);
        }
        if (i == RISK) {
            return sameNumber(row.string(f), new String(line, vs, ve - vs, StandardCharsets.US_ASCII));
        }
        if (line[vs] != '"') {
            return false; // a column's value is always a string in an entry
        }
        boolean plain = Swar.indexOfQuoteOrBackslash(line, vs + 1, ve - 1) == ve - 1;
        if (i == TIMESTAMP) {
            return plain && outputForm(new String(line, vs + 1, ve - vs - 2, StandardCharsets.US_ASCII))
                    .equals(row.string(f));
        }
        if (plain && row.bytesEqual(f, line, vs + 1, ve - 1)) {
            return true;
        }
        return !plain && decode(vs, ve, String.class).map(v -> v.equals(row.string(f))).orElse(false);
    }

    private static final byte[] EMPTY_ARRAY = {'{', '}'};

    private <T> Optional<T> decode(int vs, int ve, Class<T> type) {
        try {
            return Optional.ofNullable(JSON.readValue(line, vs, ve - vs, type));
        } catch (IOException e) {
            return Optional.empty(); // not a value an entry writes: it cannot match a column
        }
    }

    private static boolean sameNumber(String stored, String json) {
        try {
            return Double.compare(Double.parseDouble(stored), Double.parseDouble(json)) == 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private boolean sameDetails(CopyRow row, int f, int vs, int ve) {
        if (row.bytesEqual(f, EMPTY_ARRAY, 0, 2)) { // {} is what an event without details has
            return vs < 0 || (ve - vs == 2 && line[vs] == '{' && line[vs + 1] == '}');
        }
        if (vs < 0) {
            return false;
        }
        try {
            byte[] canonical = CanonicalJson.canonicalize(row.bytes(f));
            return Arrays.equals(canonical, 0, canonical.length, line, vs, ve);
        } catch (RuntimeException e) {
            return false; // not JSON PostgreSQL wrote: not what the entry says
        }
    }

    /** "2026-03-02T08:00:02.240Z", as a ledger line writes it, in timestamptz's ISO output in UTC: "2026-03-02 08:00:02.24+00". */
    static String outputForm(String iso) {
        if (iso.length() < 20 || iso.charAt(10) != 'T' || !iso.endsWith("Z")) {
            return iso; // not the line's form: it cannot equal the column, and the difference is reported
        }
        int end = iso.length() - 1;
        int dot = iso.indexOf('.', 19);
        if (dot >= 0) {
            while (end > dot + 1 && iso.charAt(end - 1) == '0') {
                end--;
            }
            if (end == dot + 1) {
                end = dot;
            }
        }
        return iso.substring(0, 10) + ' ' + iso.substring(11, end) + "+00";
    }

    /** The elements of a one-dimensional {@code text[]} in PostgreSQL's output form ({@code {a,"b c"}}). */
    static List<String> arrayElements(String literal) {
        List<String> out = new ArrayList<>();
        if (literal.length() < 2 || literal.charAt(0) != '{' || literal.charAt(literal.length() - 1) != '}') {
            out.add(literal); // not an array PostgreSQL wrote: it will not match
            return out;
        }
        int end = literal.length() - 1;
        int i = 1;
        StringBuilder sb = new StringBuilder();
        while (i < end) {
            sb.setLength(0);
            if (literal.charAt(i) == '"') {
                i++;
                while (i < end && literal.charAt(i) != '"') {
                    char c = literal.charAt(i++);
                    if (c == '\\' && i < end) {
                        c = literal.charAt(i++);
                    }
                    sb.append(c);
                }
                i++; // closing quote
            } else {
                while (i < end && literal.charAt(i) != ',') {
                    sb.append(literal.charAt(i++));
                }
                if (sb.toString().equals("NULL")) {
                    out.add(null); // an SQL null element, which no entry has
                    i++;
                    continue;
                }
            }
            out.add(sb.toString());
            i++; // the comma
        }
        return out;
    }

    private static String shorten(String s) {
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }

    /** Member names and the columns they fill, found by length first, then byte by byte. */
    private static final class Names {
        private final byte[][][] byLength = new byte[32][][];
        private final int[][] columnsByLength = new int[32][];

        Names(String[][] derived, String[] others, int[] otherCodes) {
            List<String> names = new ArrayList<>();
            List<Integer> codes = new ArrayList<>();
            for (String[] d : derived) {
                int column = Columns.DERIVED.indexOf(d[1]);
                if (column < 0) {
                    throw new IllegalStateException("no column " + d[1]);
                }
                names.add(d[0]);
                codes.add(column);
            }
            for (int k = 0; k < others.length; k++) {
                names.add(others[k]);
                codes.add(otherCodes[k]);
            }
            for (int k = 0; k < names.size(); k++) {
                byte[] name = names.get(k).getBytes(StandardCharsets.US_ASCII);
                int len = name.length;
                byte[][] was = byLength[len] == null ? new byte[0][] : byLength[len];
                int[] wasCodes = columnsByLength[len] == null ? new int[0] : columnsByLength[len];
                byLength[len] = Arrays.copyOf(was, was.length + 1);
                byLength[len][was.length] = name;
                columnsByLength[len] = Arrays.copyOf(wasCodes, wasCodes.length + 1);
                columnsByLength[len][wasCodes.length] = codes.get(k);
            }
        }

        /** The column of the member named {@code b[from, to)}, or -1 for a member that fills none. */
        int column(byte[] b, int from, int to) {
            int len = to - from;
            if (len >= byLength.length || byLength[len] == null) {
                return -1;
            }
            byte[][] candidates = byLength[len];
            for (int k = 0; k < candidates.length; k++) {
                if (Arrays.equals(candidates[k], 0, len, b, from, to)) {
                    return columnsByLength[len][k];
                }
            }
            return -1;
        }
    }
}
