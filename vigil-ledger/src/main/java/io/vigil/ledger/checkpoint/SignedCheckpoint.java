package io.vigil.ledger.checkpoint;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A checkpoint together with the signed note whose text is its body. The pairing is checked on construction, so a
 * {@code SignedCheckpoint} always describes exactly what its signatures cover; whether they are valid is
 * {@link #verify(VerifierKey)}'s job.
 *
 * @param checkpoint the parsed body
 * @param note       the signed note; its text is {@code checkpoint.body()}
 */
public record SignedCheckpoint(Checkpoint checkpoint, SignedNote note) {
    /**
     * @throws IllegalArgumentException if the note's text is not the checkpoint's body
     */
    public SignedCheckpoint {
        Objects.requireNonNull(checkpoint, "checkpoint");
        Objects.requireNonNull(note, "note");
        if (!note.text().equals(checkpoint.body())) {
            throw new IllegalArgumentException("the note text is not the body of checkpoint " + checkpoint);
        }
    }

    /** Signs {@code checkpoint} with {@code key}. */
    public static SignedCheckpoint sign(Checkpoint checkpoint, SigningKey key) {
        return new SignedCheckpoint(checkpoint, SignedNote.sign(checkpoint.body(), key));
    }

    /**
     * Parses an encoded signed checkpoint (a signed note whose text is a checkpoint body). Signatures are not
     * verified; call {@link #verify(VerifierKey)}.
     *
     * @throws NoteFormatException if the note or its body is malformed
     */
    public static SignedCheckpoint parse(String note) {
        SignedNote n = SignedNote.parse(note);
        return new SignedCheckpoint(Checkpoint.parseBody(n.text()), n);
    }

    /** The encoded signed note. */
    public String encode() {
        return note.encode();
    }

    /**
     * Checks that {@code key} signed this checkpoint: at least one signature carries the key's name and ID, and all
     * such signatures are valid. Signatures by other keys (cosigners, rotated keys) are ignored.
     *
     * @throws CheckpointException naming the key and the checkpoint when there is no signature by the key or a
     *                             signature by it is invalid
     */
    public void verify(VerifierKey key) throws CheckpointException {
        Objects.requireNonNull(key, "key");
        String keyName = key.name() + "+" + key.keyIdHex();
        List<NoteSignature> byKey = new ArrayList<>();
        List<String> others = new ArrayList<>();
        for (NoteSignature s : note.signatures()) {
            if (s.isBy(key)) {
                byKey.add(s);
            } else {
                others.add(s.name() + "+" + s.keyIdHex());
            }
        }
        if (byKey.isEmpty()) {
            throw new CheckpointException("checkpoint " + checkpoint + " is not signed by key " + keyName
                    + "; it carries signatures by " + String.join(", ", others)
                    + (others.stream().anyMatch(o -> o.startsWith(key.name() + "+"))
                            ? " (the same name with another key ID: a different or rotated key)" : ""));
        }
        if (!note.verifiedBy(key)) {
            throw new CheckpointException("checkpoint " + checkpoint + " has an invalid signature by key " + keyName
                    + ": the body or the signature was altered, or it was signed by a different key with the same"
                    + " name and ID");
        }
    }

    @Override
    public String toString() {
        return "SignedCheckpoint[" + checkpoint + ", " + note.signatures().size() + " signature(s)]";
    }
}
