package io.vigil.ledger.checkpoint;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A C2SP {@code signed-note}: a text and one or more signatures over it. Immutable.
 *
 * <p>Encoding: the text (ending in a newline), a blank line, then one line per signature: em dash (U+2014), space, key
 * name, space, base64(4-byte big-endian key ID || signature), newline. The text may contain blank lines; the last
 * blank line of the note separates it from the signatures. Each signature covers the UTF-8 bytes of the text,
 * including its final newline.
 */
public final class SignedNote {
    /**
     * Most signatures accepted in a parsed note. The spec asks verifiers to bound the count and to accept at least 16;
     * 100 matches the Go reference implementation.
     */
    public static final int MAX_SIGNATURES = 100;

    private final String text;
    private final List<NoteSignature> signatures;

    private SignedNote(String text, List<NoteSignature> signatures) {
        this.text = text;
        this.signatures = List.copyOf(signatures);
    }

    /**
     * Signs {@code text} with each of {@code keys}, in order.
     *
     * @param text the note text: non-empty, ending in a newline, valid Unicode without control characters other
     *             than newline
     * @throws IllegalArgumentException if the text cannot be a note text, no key is given, or two keys share a name
     *                                  and key ID
     */
    public static SignedNote sign(String text, SigningKey... keys) {
        String problem = textProblem(Objects.requireNonNull(text, "text"));
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        if (keys.length == 0) {
            throw new IllegalArgumentException("a signed note needs at least one signature; no key given");
        }
        byte[] message = text.getBytes(StandardCharsets.UTF_8);
        List<NoteSignature> sigs = new ArrayList<>(keys.length);
        Set<String> seen = new HashSet<>();
        for (SigningKey key : keys) {
            if (!seen.add(key.name() + "+" + key.verifierKey().keyIdHex())) {
                throw new IllegalArgumentException("key " + key + " given twice");
            }
            sigs.add(new NoteSignature(key.name(), key.keyId(), key.sign(message)));
        }
        return new SignedNote(text, sigs);
    }

    private static String textProblem(String text) {
        if (text.isEmpty() || !text.endsWith("\n")) {
            return "a note text must end in a newline";
        }
        String chars = NoteText.charProblem(text, true);
        return chars == null ? null : "the note text " + chars;
    }

    /**
     * Parses an encoded note, strictly per the spec (the signatures are not verified here).
     *
     * @throws NoteFormatException saying what is wrong and on which line
     */
    public static SignedNote parse(String note) {
        Objects.requireNonNull(note, "note");
        String chars = NoteText.charProblem(note, true);
        if (chars != null) {
            throw new NoteFormatException("malformed note: it " + chars);
        }
        int split = note.lastIndexOf("\n\n");
        if (split < 0) {
            throw new NoteFormatException(
                    "malformed note: no blank line separates the text from the signature lines");
        }
        String text = note.substring(0, split + 1);
        String block = note.substring(split + 2);
        int lineNo = (int) text.chars().filter(c -> c == '\n').count() + 2;
        if (block.isEmpty()) {
            throw new NoteFormatException("malformed note: no signature lines after the blank line on line "
                    + (lineNo - 1));
        }
        if (!block.endsWith("\n")) {
            throw new NoteFormatException("malformed note: the last line (line "
                    + (lineNo + block.chars().filter(c -> c == '\n').count()) + ") does not end in a newline");
        }
        List<NoteSignature> sigs = new ArrayList<>();
        for (int start = 0; start < block.length(); lineNo++) {
            int end = block.indexOf('\n', start);
            if (sigs.size() == MAX_SIGNATURES) {
                throw new NoteFormatException("malformed note: more than " + MAX_SIGNATURES + " signatures");
            }
            sigs.add(parseSignatureLine(block.substring(start, end), lineNo));
            start = end + 1;
        }
        return new SignedNote(text, sigs);
    }

    private static NoteSignature parseSignatureLine(String line, int lineNo) {
        String at = "malformed note: line " + lineNo + ": ";
        if (!line.startsWith(NoteText.SIGNATURE_PREFIX)) {
            throw new NoteFormatException(at + "a signature line must start with an em dash (U+2014) and a space");
        }
        String rest = line.substring(NoteText.SIGNATURE_PREFIX.length());
        int space = rest.indexOf(' ');
        if (space < 0) {
            throw new NoteFormatException(at + "a signature line is '\u2014 <key name> <base64 signature>'; "
                    + "no space after the key name");
        }
        String name = rest.substring(0, space);
        String problem = NoteText.nameProblem(name);
        if (problem != null) {
            throw new NoteFormatException(at + problem);
        }
        String b64 = rest.substring(space + 1);
        if (b64.indexOf(' ') >= 0) {
            throw new NoteFormatException(at + "more than one space after the em dash; a signature line is '\u2014 "
                    + "<key name> <base64 signature>' and key names cannot contain spaces");
        }
        byte[] b = NoteText.decodeCanonicalBase64(b64);
        if (b == null) {
            throw new NoteFormatException(at + "the signature by " + name + " is not canonical base64");
        }
        if (b.length < 5) {
            throw new NoteFormatException(at + "the signature by " + name + " is " + b.length
                    + " bytes; it must hold a 4-byte key ID and a signature");
        }
        int keyId = ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
        return new NoteSignature(name, keyId, Arrays.copyOfRange(b, 4, b.length));
    }

    /** The encoded note: text, blank line, signature lines. */
    public String encode() {
        StringBuilder sb = new StringBuilder(text).append('\n');
        for (NoteSignature s : signatures) {
            sb.append(s.line());
        }
        return sb.toString();
    }

    /**
     * Whether {@code key} vouches for this note: at least one signature carries the key's name and key ID, and every
     * such signature verifies. Signatures by other keys are ignored, as the spec requires; a bad signature by the key
     * fails the whole note, as the spec recommends.
     */
    public boolean verifiedBy(VerifierKey key) {
        byte[] message = text.getBytes(StandardCharsets.UTF_8);
        boolean any = false;
        for (NoteSignature s : signatures) {
            if (s.isBy(key)) {
                if (!key.verify(message, s.sig())) {
                    return false;
                }
                any = true;
            }
        }
        return any;
    }

    /** The signed text, ending in a newline. */
    public String text() {
        return text;
    }

    /** The signatures, in note order (unverified). */
    public List<NoteSignature> signatures() {
        return signatures;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignedNote n && text.equals(n.text) && signatures.equals(n.signatures);
    }

    @Override
    public int hashCode() {
        return 31 * text.hashCode() + signatures.hashCode();
    }

    @Override
    public String toString() {
        return encode();
    }
}
