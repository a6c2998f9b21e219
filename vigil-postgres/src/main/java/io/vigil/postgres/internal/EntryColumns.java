package io.vigil.postgres.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.json.CanonicalJson;
import io.vigil.ledger.internal.LineScanner;
import io.vigil.ledger.internal.Swar;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What each derived column of a row must hold, read from its entry (the canonical line) where the line's scan found
 * its members, and compared with the column in the binary form {@code COPY} writes it out in. Used by verification,
 * which reads hundreds of thousands of rows a second, so text is compared as bytes where the entry has no escape;
 * {@link Columns} says how an event becomes the columns when written.
 */
public final class EntryColumns {
    /** Decodes the rare values that hold escapes; the common ones are compared as bytes. */
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] EMPTY_OBJECT = {1, '{', '}'};
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
    private static final int ID = Columns.DERIVED.indexOf("id");
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
    public Optional<String> firstDifference(BinaryRow row, int first) {
        for (int i = 0; i < valueStart.length; i++) {
            int f = first + i;
            if (!same(i, row, f)) {
                return Optional.of(Columns.DERIVED.get(i) + " column (" + shorten(display(i, row, f)) + ")");
            }
        }
        return Optional.empty();
    }

    private boolean same(int i, BinaryRow row, int f) {
        int vs = valueStart[i];
        int ve = valueEnd[i];
        if (i == DETAILS) {
            return !row.isNull(f) && sameDetails(row, f, vs, ve);
        }
        if (i == FLAGS) {
            if (row.isNull(f)) {
                return false;
            }
            List<String> stored = row.textArray(f);
            if (vs < 0 || ve - vs == 2) { // absent or []
                return stored.isEmpty();
            }
            return stored.equals(decode(vs, ve, String[].class).map(List::of).orElse(null));
        }
        if (vs < 0 || row.isNull(f)) {
            return vs < 0 && row.isNull(f);
        }
        if (i == RISK) {
            try {
                return Double.compare(row.doubleValue(f), Double.parseDouble(ascii(vs, ve))) == 0;
            } catch (NumberFormatException e) {
                return false;
            }
        }
        if (line[vs] != '"') {
            return false; // a column's value is always a string in an entry
        }
        boolean plain = Swar.indexOfQuoteOrBackslash(line, vs + 1, ve - 1) == ve - 1;
        if (i == ID) {
            return plain && sameUuid(row, f, vs + 1, ve - 1);
        }
        if (i == TIMESTAMP) {
            return plain && row.longValue(f) == pgMicros(vs + 1, ve - 1);
        }
        if (plain) {
            return row.bytesEqual(f, line, vs + 1, ve - 1);
        }
        return decode(vs, ve, String.class).map(v -> v.equals(row.string(f))).orElse(false);
    }

    private String ascii(int from, int to) {
        return new String(line, from, to - from, StandardCharsets.ISO_8859_1);
    }

    /** Whether the 16 bytes of a uuid field are the 8-4-4-4-12 lowercase hex of {@code line[from, to)}. */
    private boolean sameUuid(BinaryRow row, int f, int from, int to) {
        if (row.length(f) != 16 || to - from != 36) {
            return false;
        }
        byte[] b = row.array();
        int at = row.offset(f);
        int k = from;
        for (int n = 0; n < 16; n++) {
            if (k - from == 8 || k - from == 13 || k - from == 18 || k - from == 23) {
                if (line[k++] != '-') {
                    return false;
                }
            }
            int hi = lowerHex(line[k]);
            int lo = lowerHex(line[k + 1]);
            if (hi < 0 || lo < 0 || (byte) (hi << 4 | lo) != b[at + n]) {
                return false;
            }
            k += 2;
        }
        return true;
    }

    private static int lowerHex(byte c) {
        return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    }

    /**
     * The instant a line's "2026-03-02T08:00:02.248Z" names, as timestamptz stores it: microseconds since
     * 2000-01-01 UTC; {@link Long#MIN_VALUE}, which no column holds, when it is not in that form.
     */
    private long pgMicros(int from, int to) {
        if (to - from != 24 || line[from + 10] != 'T' || line[from + 19] != '.' || line[from + 23] != 'Z') {
            return Long.MIN_VALUE;
        }
        try {
            long days = LocalDate.of(digits(from, 4), digits(from + 5, 2), digits(from + 8, 2)).toEpochDay();
            long seconds = days * 86_400L + digits(from + 11, 2) * 3_600L + digits(from + 14, 2) * 60L
                    + digits(from + 17, 2);
            return (seconds - CopyBinary.POSTGRES_EPOCH_SECONDS) * 1_000_000L + digits(from + 20, 3) * 1_000L;
        } catch (DateTimeException | NumberFormatException e) {
            return Long.MIN_VALUE;
        }
    }

    private int digits(int from, int n) {
        int v = 0;
        for (int k = from; k < from + n; k++) {
            int d = line[k] - '0';
            if (d < 0 || d > 9) {
                throw new NumberFormatException();
            }
            v = v * 10 + d;
        }
        return v;
    }

    private <T> Optional<T> decode(int vs, int ve, Class<T> type) {
        try {
            return Optional.ofNullable(JSON.readValue(line, vs, ve - vs, type));
        } catch (IOException e) {
            return Optional.empty(); // not a value an entry writes: it cannot match a column
        }
    }

    /** jsonb in binary form is a version byte (1) and the text; its text is not canonical, so it is made so. */
    private boolean sameDetails(BinaryRow row, int f, int vs, int ve) {
        if (row.bytesEqual(f, EMPTY_OBJECT, 0, 3)) { // {} is what an event without details has
            return vs < 0 || (ve - vs == 2 && line[vs] == '{' && line[vs + 1] == '}');
        }
        if (vs < 0 || row.length(f) < 1 || row.array()[row.offset(f)] != 1) {
            return false;
        }
        if (sameWithoutBlanks(row.array(), row.offset(f) + 1, row.offset(f) + row.length(f), vs, ve)) {
            return true;
        }
        try {
            byte[] canonical = CanonicalJson.canonicalize(Arrays.copyOfRange(row.array(), row.offset(f) + 1,
                    row.offset(f) + row.length(f)));
            return Arrays.equals(canonical, 0, canonical.length, line, vs, ve);
        } catch (RuntimeException e) {
            return false; // not JSON PostgreSQL wrote: not what the entry says
        }
    }

    /**
     * Whether jsonb's text {@code b[from, to)}, without the blank it writes after each ':' and ',' outside strings, is
     * the line's {@code [vs, ve)} byte for byte: then both are the same JSON value, and the line's is canonical. Most
     * details pass here (jsonb orders keys by length first, so several keys often do not), which spares making the
     * stored text canonical.
     */
    private boolean sameWithoutBlanks(byte[] b, int from, int to, int vs, int ve) {
        int k = vs;
        boolean inString = false;
        for (int i = from; i < to; i++) {
            byte c = b[i];
            if (inString) {
                if (c == '\\') {
                    if (k >= ve || line[k++] != c || i + 1 >= to) {
                        return false;
                    }
                    c = b[++i];
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == ' ' && i > from && (b[i - 1] == ':' || b[i - 1] == ',')) {
                continue;
            }
            if (k >= ve || line[k++] != c) {
                return false;
            }
        }
        return k == ve;
    }

    /** The stored value of field {@code f}, readable, for the report. */
    private static String display(int i, BinaryRow row, int f) {
        if (row.isNull(f)) {
            return "null";
        }
        try {
            if (i == ID && row.length(f) == 16) {
                ByteBuffer b = ByteBuffer.wrap(row.array(), row.offset(f), 16);
                return new UUID(b.getLong(), b.getLong()).toString();
            }
            if (i == TIMESTAMP) {
                return Instant.ofEpochSecond(CopyBinary.POSTGRES_EPOCH_SECONDS).plusNanos(row.longValue(f) * 1_000).toString();
            }
            if (i == RISK) {
                return Double.toString(row.doubleValue(f));
            }
            if (i == FLAGS) {
                return row.textArray(f).toString();
            }
            if (i == DETAILS && row.length(f) > 0) {
                return new String(row.array(), row.offset(f) + 1, row.length(f) - 1, StandardCharsets.UTF_8);
            }
        } catch (RuntimeException e) {
            return "unreadable: " + e.getMessage();
        }
        return row.string(f);
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
