package io.vigil.ledger;

import io.vigil.ledger.internal.EntryCodec;
import io.vigil.ledger.internal.LineScanner;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * One stored ledger line (ledger format v1) read for its chaining members, without parsing its event, and the hash
 * its content recomputes to: what checking a single entry offline needs, such as the entry embedded in an inclusion
 * proof.
 *
 * @param seq            the seq the line names
 * @param hash           the {@code hash} member the line carries, as stored (hex)
 * @param recomputedHash {@code hash(seq)} recomputed from the line in plain mode: SHA-256(0x00 ‖ C(seq)), where
 *                       C(seq) is the line without its {@code hash} member. It equals {@link #hash()} for an intact
 *                       entry of a plain-mode ledger; a keyed ledger's entries need their HMAC key instead.
 */
public record StoredLine(long seq, String hash, Hash recomputedHash) {

    public StoredLine {
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(recomputedHash, "recomputedHash");
    }

    /**
     * Reads one stored line, without its newline.
     *
     * @throws IllegalArgumentException when the line is not a well-formed ledger line; the message says why
     */
    public static StoredLine parse(String line) {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        LineScanner s = LineScanner.scan(bytes, 0, bytes.length);
        if (s.error() != null) {
            throw new IllegalArgumentException(s.error());
        }
        // a line is canonical, so cutting its hash member out leaves C(seq) byte for byte
        byte[] h = new EntryCodec(List.of()).hashOfLine(s.seq(), bytes, 0, bytes.length, s.hashMemberStart(),
                s.hashMemberEnd());
        return new StoredLine(s.seq(), s.hash(), Hash.wrap(h));
    }
}
