package io.vigil.ledger.internal;

import java.nio.charset.StandardCharsets;

/**
 * Finds the top-level {@code seq}, {@code prevHash} and {@code hash} members of one ledger line without building a
 * tree, and checks the line is well-formed JSON structure (balanced, strings closed, members separated).
 * Hand-written because verification must run at millions of lines a second, where a general parser's allocation
 * dominates; the full event model is still checked by the deep mode of the verifier.
 */
public final class LineScanner {
    private final byte[] buf;
    private final int start;
    private final int end;

    private long seq = -1;
    private int prevHashStart = -1;
    private int prevHashEnd = -1;
    private int hashStart = -1;
    private int hashEnd = -1;
    /** Span of {@code ,"hash":"…"} (or {@code "hash":"…",} when it is the first member) to cut out for C(n). */
    private int hashMemberStart = -1;
    private int hashMemberEnd = -1;
    private String error;
    /** Where each top-level member's name and value are, four offsets a member, when the caller asked for them. */
    private final int[] members;
    private int memberCount;
    /** Scanning a nested object: no ledger members are looked for. */
    private boolean objectOnly;

    private LineScanner(byte[] buf, int start, int end, int[] members) {
        this.buf = buf;
        this.start = start;
        this.end = end;
        this.members = members;
    }

    /** Scans {@code buf[start, end)}, which holds one line without its newline. */
    public static LineScanner scan(byte[] buf, int start, int end) {
        LineScanner s = new LineScanner(buf, start, end, null);
        s.run();
        return s;
    }

    /**
     * As {@link #scan(byte[], int, int)}, and also records where each top-level member is: for member {@code k},
     * {@code members[4k]} and {@code members[4k+1]} bound its name (without quotes), {@code members[4k+2]} and
     * {@code members[4k+3]} its value (a string with its quotes). Members beyond the array's room are not recorded;
     * {@link #memberCount()} says how many were.
     */
    public static LineScanner scan(byte[] buf, int start, int end, int[] members) {
        LineScanner s = new LineScanner(buf, start, end, members);
        s.run();
        return s;
    }

    /**
     * Records the members of the JSON object in {@code buf[start, end)} (a nested one, say) as
     * {@link #scan(byte[], int, int, int[])} does; returns how many, or -1 when it is not a well-formed object.
     */
    public static int members(byte[] buf, int start, int end, int[] members) {
        if (end - start == 2 && buf[start] == '{' && buf[start + 1] == '}') {
            return 0;
        }
        LineScanner s = new LineScanner(buf, start, end, members);
        s.objectOnly = true;
        s.run();
        return s.error == null ? s.memberCount : -1;
    }

    /** How many members {@link #scan(byte[], int, int, int[])} recorded. */
    public int memberCount() {
        return memberCount;
    }

    /** Null when the line is well formed and has the three members; otherwise why not. */
    public String error() {
        return error;
    }

    public long seq() {
        return seq;
    }

    public String prevHash() {
        return new String(buf, prevHashStart, prevHashEnd - prevHashStart, StandardCharsets.US_ASCII);
    }

    public String hash() {
        return new String(buf, hashStart, hashEnd - hashStart, StandardCharsets.US_ASCII);
    }

    /** Copies the stored hash's hex digits into {@code out[0, 64)}. */
    public void copyHashTo(byte[] out) {
        System.arraycopy(buf, hashStart, out, 0, hashEnd - hashStart);
    }

    /** True when the stored hash equals the 64 lowercase hex digits in {@code hex}. */
    public boolean hashEquals(byte[] hex) {
        if (hashEnd - hashStart != hex.length) {
            return false;
        }
        for (int i = 0; i < hex.length; i++) {
            if (buf[hashStart + i] != hex[i]) {
                return false;
            }
        }
        return true;
    }

    /** True when the stored prevHash equals the 64 hex digits in {@code hex}. */
    public boolean prevHashEquals(byte[] hex) {
        if (prevHashEnd - prevHashStart != hex.length) {
            return false;
        }
        for (int i = 0; i < hex.length; i++) {
            if (buf[prevHashStart + i] != hex[i]) {
                return false;
            }
        }
        return true;
    }

    public int hashMemberStart() {
        return hashMemberStart;
    }

    public int hashMemberEnd() {
        return hashMemberEnd;
    }

    private void run() {
        int i = start;
        if (i >= end || buf[i] != '{') {
            error = "not a JSON object";
            return;
        }
        i++;
        int depth = 1;
        boolean expectKey = true;
        int memberStart = i; // where the current top-level member (with its leading comma) starts
        while (i < end) {
            byte b = buf[i];
            if (depth == 1 && expectKey) {
                if (b != '"') {
                    if (b == '}' && i == start + 1) {
                        error = "empty object";
                    } else {
                        error = "expected a member name at byte " + (i - start);
                    }
                    return;
                }
                int keyStart = i + 1;
                i = skipString(i);
                if (i < 0) {
                    return;
                }
                int keyEnd = i - 1;
                if (i >= end || buf[i] != ':') {
                    error = "expected ':' at byte " + (i - start);
                    return;
                }
                i++;
                int valueStart = i;
                i = skipValue(i);
                if (i < 0) {
                    return;
                }
                if (members != null && 4 * memberCount + 3 < members.length) {
                    int at = 4 * memberCount++;
                    members[at] = keyStart;
                    members[at + 1] = keyEnd;
                    members[at + 2] = valueStart;
                    members[at + 3] = i;
                }
                if (!objectOnly) {
                    record(keyStart, keyEnd, valueStart, i, memberStart);
                }
                if (i < end && buf[i] == ',') {
                    memberStart = i;
                    i++;
                    continue;
                }
                if (i < end && buf[i] == '}') {
                    if (i != end - 1) {
                        error = "bytes after the end of the object at byte " + (i + 1 - start);
                        return;
                    }
                    if (!objectOnly) {
                        finish();
                    }
                    return;
                }
                error = "expected ',' or '}' at byte " + (i - start);
                return;
            }
            error = "malformed object";
            return;
        }
        error = "the line ends before the object does (torn write?)";
    }

    private void finish() {
        if (seq < 0) {
            error = "no seq";
        } else if (prevHashStart < 0) {
            error = "no prevHash";
        } else if (hashStart < 0) {
            error = "no hash";
        }
    }

    private void record(int keyStart, int keyEnd, int valueStart, int valueEnd, int memberStart) {
        int len = keyEnd - keyStart;
        if (len == 3 && buf[keyStart] == 's' && buf[keyStart + 1] == 'e' && buf[keyStart + 2] == 'q') {
            long v = 0;
            if (valueEnd == valueStart || valueEnd - valueStart > 18) {
                error = "seq is not a whole number";
                return;
            }
            for (int k = valueStart; k < valueEnd; k++) {
                byte d = buf[k];
                if (d < '0' || d > '9' || (k == valueStart && d == '0' && valueEnd - valueStart > 1)) {
                    error = "seq is not a canonical whole number";
                    return;
                }
                v = v * 10 + (d - '0');
            }
            seq = v;
        } else if (len == 8 && matches(keyStart, "prevHash")) {
            if (!isHexString(valueStart, valueEnd)) {
                error = "prevHash is not 64 lowercase hex digits";
                return;
            }
            prevHashStart = valueStart + 1;
            prevHashEnd = valueEnd - 1;
        } else if (len == 4 && matches(keyStart, "hash")) {
            if (!isHexString(valueStart, valueEnd)) {
                error = "hash is not 64 lowercase hex digits";
                return;
            }
            hashStart = valueStart + 1;
            hashEnd = valueEnd - 1;
            if (buf[memberStart] == ',') {
                hashMemberStart = memberStart;
                hashMemberEnd = valueEnd;
            } else {
                // first member: cut it with the comma that follows
                hashMemberStart = memberStart;
                hashMemberEnd = valueEnd < end && buf[valueEnd] == ',' ? valueEnd + 1 : valueEnd;
            }
        }
    }

    private boolean matches(int at, String s) {
        for (int k = 0; k < s.length(); k++) {
            if (buf[at + k] != s.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private boolean isHexString(int valueStart, int valueEnd) {
        return valueEnd - valueStart == 66 && buf[valueStart] == '"' && buf[valueEnd - 1] == '"'
                && Swar.isLowerHex(buf, valueStart + 1, valueEnd - 1);
    }

    /** Returns the index after the closing quote of the string starting at {@code i}, or -1 with an error. */
    private int skipString(int i) {
        // Hot loop: strings are most of a line. Control characters need no check here: every byte of the line is
        // hashed, and the deep mode parses the event fully.
        final byte[] b = buf;
        final int e = end;
        i++;
        while (i < e) {
            i = Swar.indexOfQuoteOrBackslash(b, i, e);
            if (i >= e) {
                break;
            }
            if (b[i] == '"') {
                return i + 1;
            }
            i += 2;
        }
        error = "the line ends inside a string (torn write?)";
        return -1;
    }

    /** Returns the index after the value starting at {@code i}, or -1 with an error. */
    private int skipValue(int i) {
        final byte[] b = buf;
        final int e = end;
        if (i >= e) {
            error = "the line ends before a value (torn write?)";
            return -1;
        }
        byte first = b[i];
        if (first == '"') {
            return skipString(i);
        }
        if (first == '{' || first == '[') {
            int depth = 0;
            while (i < e) {
                byte c = b[i];
                if (c == '"') {
                    i = skipString(i);
                    if (i < 0) {
                        return -1;
                    }
                    continue;
                }
                if (c == '{' || c == '[') {
                    depth++;
                } else if (c == '}' || c == ']') {
                    if (--depth == 0) {
                        return i + 1;
                    }
                }
                i++;
            }
            error = "the line ends inside a nested value (torn write?)";
            return -1;
        }
        int j = i;
        while (j < e) {
            byte c = b[j];
            if (c == ',' || c == '}') {
                break;
            }
            if (!((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E'
                    || (c >= 'a' && c <= 'z'))) {
                error = "unexpected byte in a value at byte " + (j - start);
                return -1;
            }
            j++;
        }
        if (j == i) {
            error = "empty value at byte " + (i - start);
            return -1;
        }
        return j;
    }
}
