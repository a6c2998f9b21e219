package io.vigil.ledger.internal.verify;

import io.vigil.json.EventJson;
import io.vigil.ledger.internal.EntryCodec;
import io.vigil.ledger.internal.LineScanner;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The per-entry rules of ledger format v1, for every store: fed the stored lines in seq order, it checks that each is
 * a well-formed ledger line, claims the seq that belongs there, links to the hash before it and recomputes to its own
 * hash, and stops at the first that does not, with the one message each kind of fault has wherever the lines come
 * from. Single-use: one check per pass over a run of lines.
 *
 * <p>No allocation per entry beyond the digest: the hex of the last hash and of this one are two arrays swapped after
 * each line.
 */
public final class ChainCheck {
    private final EntryCodec codec;
    private final long checkFrom;
    private final Optional<String> startLink;
    private boolean parseEvents;
    private byte[] prev = new byte[64];
    private byte[] hex = new byte[64];
    private boolean havePrev;
    private boolean linkKnown;
    private String firstPrevHash;
    private long next;
    private long checked;
    private byte[] leaf;
    private long badSeq = -1;
    private String reason;

    private ChainCheck(EntryCodec codec, long firstSeq, long checkFrom, Optional<String> startLink) {
        this.codec = codec;
        this.next = firstSeq;
        this.checkFrom = Math.max(firstSeq, checkFrom);
        this.startLink = startLink;
    }

    /**
     * A check of the lines from {@code firstSeq} on, the first of which must link to {@code prevHashHex}.
     *
     * @param linkName how messages name that hash when it is not simply the hash of the seq before (the genesis
     *                 value, a hash recorded by a retention cut)
     */
    public static ChainCheck linkedTo(EntryCodec codec, long firstSeq, String prevHashHex, Optional<String> linkName) {
        ChainCheck c = new ChainCheck(codec, firstSeq, firstSeq, linkName);
        byte[] link = prevHashHex.getBytes(StandardCharsets.US_ASCII);
        if (link.length != 64) {
            throw new IllegalArgumentException("a hash is 64 hex digits, was " + prevHashHex);
        }
        System.arraycopy(link, 0, c.prev, 0, 64);
        c.havePrev = firstSeq > 0;
        c.linkKnown = true;
        return c;
    }

    /**
     * A check of the lines from {@code firstSeq} on when the hash before them is not known yet (a segment checked on
     * its own thread): the first checked entry's {@code prevHash} is kept, for the caller to link with
     * {@link #brokenLink}. Lines before {@code checkFrom} are proven already (by a trusted checkpoint) and walked for
     * their seq order only.
     */
    public static ChainCheck unlinked(EntryCodec codec, long firstSeq, long checkFrom) {
        return new ChainCheck(codec, firstSeq, checkFrom, Optional.empty());
    }

    /** Also parses every checked line into the event model (slower; finds entries a reader of the model rejects). */
    public ChainCheck parseEvents(boolean value) {
        parseEvents = value;
        return this;
    }

    /**
     * Checks the line in {@code buf[start, end)} (without its newline) as the entry at {@link #nextSeq()}.
     *
     * @return true when it holds; false at the first fault, after which {@link #badSeq()} and {@link #reason()} say
     *         which seq and why, and no more lines may be fed
     */
    public boolean accept(byte[] buf, int start, int end) {
        if (badSeq >= 0) {
            throw new IllegalStateException("the chain check already failed at seq " + badSeq);
        }
        long seq = next;
        leaf = null;
        LineScanner s = LineScanner.scan(buf, start, end);
        if (s.error() != null) {
            return fail(seq, malformed(seq, s.error()));
        }
        if (s.seq() != seq) {
            if (s.seq() == seq - 1 && havePrev && !s.hashEquals(prev)) {
                // two different entries claim the same seq: the earlier of them may be the forgery
                return fail(seq - 1, claimedTwice(seq - 1));
            }
            return fail(seq, outOfPlace(seq, s.seq()));
        }
        if (seq < checkFrom) {
            s.copyHashTo(prev);
            havePrev = true;
            next++;
            return true;
        }
        if (!linkKnown) {
            firstPrevHash = s.prevHash();
            linkKnown = true;
        } else if (!s.prevHashEquals(prev)) {
            return fail(seq, brokenLink(seq, seq == checkFrom ? startLink : Optional.empty()));
        }
        byte[] h = codec.hashOfLine(seq, buf, start, end, s.hashMemberStart(), s.hashMemberEnd());
        EntryCodec.hexInto(h, hex);
        if (!s.hashEquals(hex)) {
            return fail(seq, contentChanged(seq));
        }
        if (parseEvents) {
            try {
                EventJson.parseLine(new String(buf, start, end - start, StandardCharsets.UTF_8),
                        EntryCodec.LEDGER_MEMBERS);
            } catch (RuntimeException e) {
                return fail(seq, notAnEvent(seq, e.getMessage()));
            }
        }
        byte[] swap = prev;
        prev = hex;
        hex = swap;
        havePrev = true;
        leaf = h;
        checked++;
        next++;
        return true;
    }

    private boolean fail(long seq, String why) {
        badSeq = seq;
        reason = why;
        return false;
    }

    /** The seq the next line must claim. */
    public long nextSeq() {
        return next;
    }

    /** Lines checked in full (those walked for seq order only not counted). */
    public long checked() {
        return checked;
    }

    /** The leaf hash of the line just accepted, or null when it was only walked (before {@code checkFrom}). */
    public byte[] leaf() {
        return leaf;
    }

    /** The hex of the hash of the last line accepted (64 ASCII bytes; overwritten by the next line). */
    public byte[] hashHex() {
        return prev;
    }

    /**
     * The hex of the hash the line just accepted links to (64 ASCII bytes; overwritten by the next line); meaningful
     * once the link was known, that is always for {@link #linkedTo} checks.
     */
    public byte[] prevHashHex() {
        return hex;
    }

    /** For {@link #unlinked} checks: the {@code prevHash} of the first checked entry, for the caller to link. */
    public Optional<String> firstPrevHash() {
        return Optional.ofNullable(firstPrevHash);
    }

    /** The first bad seq, or -1 while every line held. */
    public long badSeq() {
        return badSeq;
    }

    /** Why {@link #badSeq()} is bad. */
    public Optional<String> reason() {
        return Optional.ofNullable(reason);
    }

    // ---- the one wording of each fault ------------------------------------------------------------------------------

    /** The line stored as entry {@code seq} cannot be read as a ledger line. */
    public static String malformed(long seq, String error) {
        return "the entry at seq " + seq + " is not a well-formed ledger line: " + error;
    }

    /** Two different entries claim {@code seq}. */
    public static String claimedTwice(long seq) {
        return "two different entries claim seq " + seq + ": an entry was inserted";
    }

    /** Where {@code expected} belongs, the next entry claims {@code found}. */
    public static String outOfPlace(long expected, long found) {
        return found > expected
                ? "seq " + expected + " is missing or out of place: the next entry holds seq " + found
                        + " (entries removed or reordered)"
                : "seq " + found + " appears again where seq " + expected + " belongs (an entry was inserted or"
                        + " replayed)";
    }

    /**
     * The {@code prevHash} of {@code seq} is not the hash it must link to.
     *
     * @param linkName how that hash is named when it is not simply "the hash of seq {@code seq - 1}"
     */
    public static String brokenLink(long seq, Optional<String> linkName) {
        return "the prevHash of seq " + seq + " does not match " + linkName.orElse("the hash of seq " + (seq - 1))
                + ": an entry before it was removed, inserted or changed";
    }

    /** How the genesis value is named in {@link #brokenLink}. */
    public static Optional<String> genesisLink(long seq) {
        return seq == 0 ? Optional.of("the genesis value of the origin") : Optional.empty();
    }

    /** How the hash a retention cut recorded for seq {@code seq - 1} is named in {@link #brokenLink}. */
    public static Optional<String> cutLink(long seq) {
        return Optional.of("the hash of seq " + (seq - 1) + " recorded when the ledger was pruned");
    }

    /** The recomputed hash of {@code seq} is not its stored one. */
    public static String contentChanged(long seq) {
        return "the content of seq " + seq + " does not match its hash: the entry was changed";
    }

    /** The entry at {@code seq} is not an event of the model. */
    public static String notAnEvent(long seq, String why) {
        return "the entry at seq " + seq + " is not a valid event: " + why;
    }
}
