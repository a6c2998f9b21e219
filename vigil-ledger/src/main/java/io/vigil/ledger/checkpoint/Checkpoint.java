package io.vigil.ledger.checkpoint;

import io.vigil.ledger.Hash;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A C2SP {@code tlog-checkpoint} body: which log (origin), how many entries (size) and the RFC 6962 Merkle root over
 * them, plus optional opaque extension lines. Unsigned; see {@link SignedCheckpoint}.
 *
 * <p>Body: the origin, the size in decimal without leading zeros, the base64 root hash, then the extension lines;
 * every line ends in a newline and none is empty. {@link #body()} and {@link #parseBody(String)} are exact inverses.
 *
 * @param origin     the log's identity, e.g. {@code example.com/audit}; non-empty, one line
 * @param size       the number of entries, at least 0
 * @param root       the Merkle tree root at that size
 * @param extensions extension lines, each non-empty and one line (the spec discourages them: monitors cannot audit
 *                   them)
 */
public record Checkpoint(String origin, long size, Hash root, List<String> extensions) {
    /**
     * @throws IllegalArgumentException if a field could not be written as a checkpoint body
     */
    public Checkpoint {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(root, "root");
        if (origin.isEmpty()) {
            throw new IllegalArgumentException("a checkpoint origin must not be empty");
        }
        String problem = NoteText.charProblem(origin, false);
        if (problem != null) {
            throw new IllegalArgumentException("the checkpoint origin " + problem);
        }
        if (size < 0) {
            throw new IllegalArgumentException("a checkpoint size must not be negative: " + size);
        }
        extensions = List.copyOf(extensions);
        for (int i = 0; i < extensions.size(); i++) {
            String e = extensions.get(i);
            if (e.isEmpty()) {
                throw new IllegalArgumentException("checkpoint extension line " + (i + 1) + " is empty");
            }
            problem = NoteText.charProblem(e, false);
            if (problem != null) {
                throw new IllegalArgumentException("checkpoint extension line " + (i + 1) + " " + problem);
            }
        }
    }

    /** A checkpoint without extension lines. */
    public Checkpoint(String origin, long size, Hash root) {
        this(origin, size, root, List.of());
    }

    /** The note text: origin, size, base64 root and extension lines, each followed by a newline. */
    public String body() {
        StringBuilder sb = new StringBuilder(origin.length() + 70);
        sb.append(origin).append('\n').append(size).append('\n').append(root.base64()).append('\n');
        for (String e : extensions) {
            sb.append(e).append('\n');
        }
        return sb.toString();
    }

    /**
     * Parses a checkpoint body strictly: at least three lines, each ending in a newline and none empty; a size in
     * canonical decimal ("0" or no leading zero) that fits a {@code long}; a root in canonical base64 of 32 bytes.
     *
     * @throws NoteFormatException saying which line is wrong and why
     */
    public static Checkpoint parseBody(String body) {
        Objects.requireNonNull(body, "body");
        if (!body.endsWith("\n")) {
            throw new NoteFormatException("malformed checkpoint: the body must end in a newline");
        }
        String chars = NoteText.charProblem(body, true);
        if (chars != null) {
            throw new NoteFormatException("malformed checkpoint: it " + chars);
        }
        String[] lines = body.substring(0, body.length() - 1).split("\n", -1);
        if (lines.length < 3) {
            throw new NoteFormatException("malformed checkpoint: it needs at least 3 lines (origin, tree size, "
                    + "root hash), found " + lines.length);
        }
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isEmpty()) {
                throw new NoteFormatException("malformed checkpoint: line " + (i + 1) + " is empty");
            }
        }
        long size = parseSize(lines[1]);
        byte[] root = NoteText.decodeCanonicalBase64(lines[2]);
        if (root == null) {
            throw new NoteFormatException("malformed checkpoint: line 3: the root hash " + NoteText.quote(lines[2])
                    + " is not canonical base64");
        }
        if (root.length != Hash.LENGTH) {
            throw new NoteFormatException("malformed checkpoint: line 3: the root hash is " + root.length
                    + " bytes, not " + Hash.LENGTH);
        }
        List<String> extensions = new ArrayList<>(List.of(lines).subList(3, lines.length));
        return new Checkpoint(lines[0], size, Hash.wrap(root), extensions);
    }

    private static long parseSize(String s) {
        String at = "malformed checkpoint: line 2: the tree size " + NoteText.quote(s) + " ";
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new NoteFormatException(at + "is not a decimal number");
            }
        }
        if (s.length() > 1 && s.charAt(0) == '0') {
            throw new NoteFormatException(at + "has a leading zero");
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new NoteFormatException(at + "is larger than " + Long.MAX_VALUE, e);
        }
    }

    /** One line for logs and messages: {@code origin@size root=<hex>}. */
    @Override
    public String toString() {
        return origin + "@" + size + " root=" + root.hex() + (extensions.isEmpty() ? "" : " +" + extensions.size()
                + " extension line(s)");
    }
}
