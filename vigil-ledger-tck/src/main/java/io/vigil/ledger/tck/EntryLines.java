package io.vigil.ledger.tck;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Reads and edits the top-level members of one ledger line (a JSON object on one line) as text, and recomputes
 * ledger format v1 hashes. Deliberately independent of the main code's codec and scanner: the tests use it to
 * check the store's output and to play the attacker, so a bug shared with the code under test cannot hide.
 *
 * <p>Edits touch only the bytes of the member concerned; every other byte of the line stays as it was.
 */
public final class EntryLines {
    private static final HexFormat HEX = HexFormat.of();

    private EntryLines() {
    }

    /**
     * One top-level member: {@code line.substring(start, end)} is {@code "name":value}, {@code valueStart} where the
     * value begins.
     */
    public record Member(String name, int start, int valueStart, int end) {
        public String value(String line) {
            return line.substring(valueStart, end);
        }
    }

    /** The top-level members of {@code line}, in order. */
    public static List<Member> members(String line) {
        if (line.length() < 2 || line.charAt(0) != '{' || line.charAt(line.length() - 1) != '}') {
            throw new IllegalArgumentException("not a one-line JSON object: " + abbreviate(line));
        }
        List<Member> out = new ArrayList<>();
        if (line.length() == 2) {
            return out;
        }
        int i = 1;
        while (true) {
            if (line.charAt(i) != '"') {
                throw new IllegalArgumentException("expected a member name at " + i + ": " + abbreviate(line));
            }
            int nameEnd = skipString(line, i);
            String name = line.substring(i + 1, nameEnd - 1);
            if (line.charAt(nameEnd) != ':') {
                throw new IllegalArgumentException("expected ':' at " + nameEnd + ": " + abbreviate(line));
            }
            int valueEnd = skipValue(line, nameEnd + 1);
            out.add(new Member(name, i, nameEnd + 1, valueEnd));
            char c = line.charAt(valueEnd);
            if (c == '}' && valueEnd == line.length() - 1) {
                return out;
            }
            if (c != ',') {
                throw new IllegalArgumentException("expected ',' or '}' at " + valueEnd + ": " + abbreviate(line));
            }
            i = valueEnd + 1;
        }
    }

    /** The member called {@code name}; fails when there is none. */
    public static Member member(String line, String name) {
        for (Member m : members(line)) {
            if (m.name().equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("no top-level member '" + name + "' in " + abbreviate(line));
    }

    /** The raw JSON value of member {@code name}. */
    public static String value(String line, String name) {
        return member(line, name).value(line);
    }

    /** The value of a string member without its quotes (ledger strings tested here need no unescaping). */
    public static String string(String line, String name) {
        String v = value(line, name);
        if (v.length() < 2 || v.charAt(0) != '"') {
            throw new IllegalArgumentException("member '" + name + "' is not a string: " + v);
        }
        return v.substring(1, v.length() - 1);
    }

    public static long seq(String line) {
        return Long.parseLong(value(line, "seq"));
    }

    public static String hash(String line) {
        return string(line, "hash");
    }

    public static String prevHash(String line) {
        return string(line, "prevHash");
    }

    /** {@code line} with member {@code name}'s value replaced by the raw JSON {@code newValue}. */
    public static String withValue(String line, String name, String newValue) {
        Member m = member(line, name);
        return line.substring(0, m.valueStart()) + newValue + line.substring(m.end());
    }

    /** {@code line} without member {@code name} (and the comma that separated it). */
    public static String without(String line, String name) {
        List<Member> ms = members(line);
        for (int i = 0; i < ms.size(); i++) {
            Member m = ms.get(i);
            if (!m.name().equals(name)) {
                continue;
            }
            if (i > 0) {
                return line.substring(0, ms.get(i - 1).end()) + line.substring(m.end());
            }
            if (ms.size() > 1) {
                return line.substring(0, m.start()) + line.substring(ms.get(1).start());
            }
            return "{}";
        }
        throw new IllegalArgumentException("no top-level member '" + name + "' in " + abbreviate(line));
    }

    /**
     * hash(n) of a stored line per ledger format v1: hex SHA-256(0x00 ‖ C(n)), where C(n) is the line without its
     * {@code hash} member.
     */
    public static String computeHash(String line) {
        return sha256Hex(new byte[] {0}, without(line, "hash").getBytes(StandardCharsets.UTF_8));
    }

    /** {@code line} with its {@code hash} member set to what its content hashes to: what a forger does. */
    public static String rehash(String line) {
        return withValue(line, "hash", quote(computeHash(line)));
    }

    /** prevHash(0) per ledger format v1: hex SHA-256 of the origin's UTF-8 bytes. */
    public static String genesis(String origin) {
        return sha256Hex(origin.getBytes(StandardCharsets.UTF_8));
    }

    public static String quote(String s) {
        return '"' + s + '"';
    }

    static String sha256Hex(byte[]... parts) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            for (byte[] p : parts) {
                d.update(p);
            }
            return HEX.formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int skipString(String s, int i) {
        i++;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\\') {
                i += 2;
            } else if (c == '"') {
                return i + 1;
            } else {
                i++;
            }
        }
        throw new IllegalArgumentException("unterminated string: " + abbreviate(s));
    }

    private static int skipValue(String s, int i) {
        char c = s.charAt(i);
        if (c == '"') {
            return skipString(s, i);
        }
        if (c == '{' || c == '[') {
            int depth = 0;
            while (i < s.length()) {
                char d = s.charAt(i);
                if (d == '"') {
                    i = skipString(s, i);
                    continue;
                }
                if (d == '{' || d == '[') {
                    depth++;
                } else if (d == '}' || d == ']') {
                    if (--depth == 0) {
                        return i + 1;
                    }
                }
                i++;
            }
            throw new IllegalArgumentException("unterminated value: " + abbreviate(s));
        }
        int j = i;
        while (j < s.length() && s.charAt(j) != ',' && s.charAt(j) != '}') {
            j++;
        }
        return j;
    }

    private static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 117) + "...";
    }
}
