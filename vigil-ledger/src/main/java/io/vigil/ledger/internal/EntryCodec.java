package io.vigil.ledger.internal;

import io.vigil.event.AuditEvent;
import io.vigil.json.CanonicalBuffer;
import io.vigil.json.EventJson;
import io.vigil.json.ExtraMembers;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Set;

/**
 * Ledger format v1 for one entry: {@code C(n)} is the canonical JSON of the event with {@code seq} and
 * {@code prevHash}; {@code hash(n)} is hex SHA-256(0x00 ‖ C(n)) (the RFC 6962 leaf hash), or in keyed mode
 * HMAC-SHA256(K_epoch, 0x00 ‖ C(n)); the stored line is C(n) with {@code hash} added in canonical position. Not
 * thread-safe (digests and buffers are reused).
 */
public final class EntryCodec {
    /** The members ledger format v1 adds to an event's object: what a parser of stored lines must allow. */
    public static final Set<String> LEDGER_MEMBERS = Set.of("seq", "prevHash", "hash");
    /** The members C(n) adds to the event, in canonical order; their values go in this order too. */
    private static final ExtraMembers CHAIN_MEMBERS = ExtraMembers.of("prevHash", "seq");
    /**
     * Every member a stored line adds, in canonical order: the slots of a template
     * ({@link #writeTemplate}); {@code hash} sorts first, so its slot is where {@link #encode} splices it in.
     */
    private static final ExtraMembers TEMPLATE_SLOTS = ExtraMembers.of("hash", "prevHash", "seq");

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HASH_MEMBER = ",\"hash\":\"".getBytes(StandardCharsets.US_ASCII);

    /** One HMAC key and the first seq it covers. */
    public record KeyEpoch(int epoch, long firstSeq, byte[] key) {
    }

    private final MessageDigest sha256;
    private final List<KeyEpoch> epochs;
    private final Mac[] macs;
    private final CanonicalBuffer scratch = new CanonicalBuffer(1024);

    /** A codec for plain mode ({@code epochs} empty) or keyed mode. */
    public EntryCodec(List<KeyEpoch> epochs) {
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
        this.epochs = List.copyOf(epochs);
        this.macs = new Mac[epochs.size()];
        for (int i = 0; i < epochs.size(); i++) {
            try {
                macs[i] = Mac.getInstance("HmacSHA256");
                macs[i].init(new SecretKeySpec(epochs.get(i).key(), "HmacSHA256"));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is unavailable", e);
            }
        }
    }

    /** {@code prevHash(0)}: hex SHA-256 of the origin's UTF-8 bytes. */
    public static String genesis(String origin) {
        try {
            return hex(MessageDigest.getInstance("SHA-256").digest(origin.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }

    private byte[] lastHex;

    /** hash(n) of the last {@link #encode}d entry as lowercase hex (the next entry's prevHash). */
    public String lastHashHex() {
        return new String(lastHex, StandardCharsets.ISO_8859_1);
    }

    /** True in keyed mode. */
    public boolean keyed() {
        return macs.length > 0;
    }

    /**
     * Appends the line of {@code event} at {@code seq} (with its newline) to {@code out} and returns hash(n).
     */
    public byte[] encode(AuditEvent event, long seq, String prevHash, CanonicalBuffer out) {
        scratch.reset();
        int at = EventJson.writeCanonical(event, CHAIN_MEMBERS, new Object[] {prevHash, seq}, scratch, "hash");
        return hashAndSplice(seq, at, out);
    }

    /**
     * Hashes C(n) in {@link #scratch} and appends the line: C(n) with {@code ,"hash":"<hex>"} spliced in at
     * {@code at}, its canonical position (an event always has members before "hash"), and a newline.
     */
    private byte[] hashAndSplice(long seq, int at, CanonicalBuffer out) {
        byte[] c = scratch.array();
        byte[] hash = hashOf(seq, c, 0, scratch.length());
        out.appendBytes(c, 0, at);
        out.appendBytes(HASH_MEMBER, 0, HASH_MEMBER.length);
        lastHex = hexBytes(hash);
        out.appendBytes(lastHex, 0, 64);
        out.appendAscii('"');
        out.appendBytes(c, at, scratch.length() - at);
        out.appendAscii('\n');
        return hash;
    }

    private static final byte[] PREV_HASH_MEMBER = ",\"prevHash\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SEQ_MEMBER = ",\"seq\":".getBytes(StandardCharsets.US_ASCII);
    /** JSON numbers are exact up to 2^53; a ledger never gets there, but a seq beyond must not be written rounded. */
    private static final long MAX_SEQ = 1L << 53;

    /**
     * Writes the template of an entry: the event alone, with {@code slots[at..at+2]} receiving where {@code hash},
     * {@code prevHash} and {@code seq} belong (offsets in {@code out}). The event does not depend on the chain, so a
     * batch's templates can be written ahead, on another thread, and made into lines by {@link #encodeTemplate}.
     */
    public static void writeTemplate(AuditEvent event, CanonicalBuffer out, int[] slots, int at) {
        EventJson.writeWithSlots(event, TEMPLATE_SLOTS, out, slots, at);
    }

    /**
     * As {@link #encode}, from a template that {@link #writeTemplate} wrote into
     * {@code t[start, end)} with {@code slots} (offsets in {@code t}); {@code prevHex} holds the 64 hex digits of
     * prevHash. Gives the same bytes and hash as {@code encode}, without serializing the event again.
     */
    public byte[] encodeTemplate(byte[] t, int start, int end, int[] slots, int slotsAt, long seq, byte[] prevHex,
                                 CanonicalBuffer out) {
        if (seq < 0 || seq > MAX_SEQ) {
            throw new IllegalStateException("seq " + seq + " is beyond what ledger format v1 can write exactly");
        }
        int hashSlot = slots[slotsAt];
        int prevSlot = slots[slotsAt + 1];
        int seqSlot = slots[slotsAt + 2];
        scratch.reset();
        scratch.appendBytes(t, start, prevSlot - start);
        scratch.appendBytes(PREV_HASH_MEMBER, 0, PREV_HASH_MEMBER.length);
        scratch.appendBytes(prevHex, 0, 64);
        scratch.appendAscii('"');
        scratch.appendBytes(t, prevSlot, seqSlot - prevSlot);
        scratch.appendBytes(SEQ_MEMBER, 0, SEQ_MEMBER.length);
        scratch.appendLong(seq);
        scratch.appendBytes(t, seqSlot, end - seqSlot);
        return hashAndSplice(seq, hashSlot - start, out); // the hash slot precedes prevHash: nothing inserted before
    }

    /** The hex digits of the last encoded entry's hash (64 ASCII bytes; the array is replaced, not reused). */
    public byte[] lastHashHexBytes() {
        return lastHex;
    }

    /** hash(n) of the canonical bytes {@code c[off, off+len)} of the entry at {@code seq}. */
    public byte[] hashOf(long seq, byte[] c, int off, int len) {
        if (macs.length == 0) {
            sha256.update((byte) 0);
            sha256.update(c, off, len);
            return sha256.digest();
        }
        Mac mac = macs[epochIndex(seq)];
        mac.update((byte) 0);
        mac.update(c, off, len);
        return mac.doFinal();
    }

    /**
     * hash(n) recomputed from a stored line: the line's bytes without its hash member are C(n), because the line is
     * canonical and removing one member from a canonical object leaves the canonical object without it.
     */
    public byte[] hashOfLine(long seq, byte[] line, int start, int end, int cutStart, int cutEnd) {
        if (macs.length == 0) {
            sha256.update((byte) 0);
            sha256.update(line, start, cutStart - start);
            sha256.update(line, cutEnd, end - cutEnd);
            return sha256.digest();
        }
        Mac mac = macs[epochIndex(seq)];
        mac.update((byte) 0);
        mac.update(line, start, cutStart - start);
        mac.update(line, cutEnd, end - cutEnd);
        return mac.doFinal();
    }

    private int epochIndex(long seq) {
        int idx = -1;
        for (int i = 0; i < epochs.size(); i++) {
            if (epochs.get(i).firstSeq() <= seq) {
                idx = i;
            }
        }
        if (idx < 0) {
            throw new IllegalStateException("no HMAC key epoch covers seq " + seq);
        }
        return idx;
    }

    /** Lowercase hex of the bytes. */
    public static String hex(byte[] b) {
        return new String(hexBytes(b), StandardCharsets.US_ASCII);
    }

    /** Writes the lowercase hex of {@code b} into {@code out[0, 2 * b.length)}. */
    public static void hexInto(byte[] b, byte[] out) {
        for (int i = 0; i < b.length; i++) {
            out[2 * i] = HEX[(b[i] >> 4) & 0xf];
            out[2 * i + 1] = HEX[b[i] & 0xf];
        }
    }

    /** Lowercase hex of the bytes, as ASCII bytes. */
    public static byte[] hexBytes(byte[] b) {
        byte[] out = new byte[b.length * 2];
        for (int i = 0; i < b.length; i++) {
            out[2 * i] = HEX[(b[i] >> 4) & 0xf];
            out[2 * i + 1] = HEX[b[i] & 0xf];
        }
        return out;
    }
}
