package io.vigil.ledger.checkpoint;

import java.util.Base64;

/** Character-level rules shared by notes, checkpoint bodies and key strings (C2SP signed-note, "Format"). */
final class NoteText {
    /** Separates the note text from the signature lines: em dash U+2014, then a space. */
    static final String SIGNATURE_PREFIX = "\u2014 ";

    private NoteText() {
    }

    /**
     * Why {@code name} is not a valid key name, or {@code null} if it is. The spec forbids empty names, Unicode spaces
     * and '+'; '+' separates the fields of key strings and a space separates name from signature in a note. Control
     * characters are refused too because a note may not contain them, so a key with one could never sign.
     */
    static String nameProblem(String name) {
        if (name == null || name.isEmpty()) {
            return "a key name must not be empty";
        }
        String chars = charProblem(name, false);
        if (chars != null) {
            return "key name " + chars;
        }
        for (int i = 0; i < name.length(); ) {
            int cp = name.codePointAt(i);
            if (cp == '+') {
                return "a key name must not contain '+'";
            }
            if (isUnicodeSpace(cp)) {
                return String.format("a key name must not contain spaces (U+%04X at index %d)", cp, i);
            }
            i += Character.charCount(cp);
        }
        return null;
    }

    /**
     * Go's unicode.IsSpace, which the reference implementation uses for names: the White_Space property. Java splits
     * that between isWhitespace (no no-break spaces) and isSpaceChar (no tab, no NEL), so both are consulted.
     */
    private static boolean isUnicodeSpace(int cp) {
        return Character.isWhitespace(cp) || Character.isSpaceChar(cp) || cp == 0x85;
    }

    /**
     * Why {@code s} cannot appear in a note, or {@code null}: notes must be valid UTF-8 (so no unpaired surrogates in a
     * Java string) without ASCII control characters other than newline (and none at all when {@code allowNewline} is
     * false). The position is reported as a 1-based line number so that a reader can find it.
     */
    static String charProblem(String s, boolean allowNewline) {
        int line = 1;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\n') {
                if (!allowNewline) {
                    return "must not contain a newline";
                }
                line++;
            } else if (c < 0x20) {
                return String.format("contains control character U+%04X%s", (int) c, where(allowNewline, line));
            } else if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return "contains an unpaired surrogate (not valid UTF-8)" + where(allowNewline, line);
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return "contains an unpaired surrogate (not valid UTF-8)" + where(allowNewline, line);
            }
        }
        return null;
    }

    private static String where(boolean multiline, int line) {
        return multiline ? " on line " + line : "";
    }

    /**
     * {@code s} in single quotes for an error message, cut to 64 characters: input may be hostile and huge, and a
     * message that repeats all of it would flood the logs.
     */
    static String quote(String s) {
        if (s.codePointCount(0, s.length()) <= 64) {
            return "'" + s + "'";
        }
        return "'" + s.substring(0, s.offsetByCodePoints(0, 64)) + "\u2026' (" + s.length() + " characters)";
    }

    /**
     * Decodes standard padded base64 and insists the text is the canonical encoding of the result. Java's decoder
     * accepts missing padding and non-zero trailing bits; refusing them makes every value have exactly one spelling,
     * so parse followed by encode reproduces the input byte for byte (what a signature covers).
     *
     * @return the bytes, or {@code null} if {@code s} is not canonical base64
     */
    static byte[] decodeCanonicalBase64(String s) {
        byte[] b;
        try {
            b = Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
        return Base64.getEncoder().encodeToString(b).equals(s) ? b : null;
    }
}
