package io.vigil.ledger.internal.read;

import io.vigil.json.EventJson;
import io.vigil.ledger.LedgerEntry;
import io.vigil.ledger.internal.EntryCodec;
import io.vigil.ledger.internal.LineScanner;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** A stored ledger line made into a {@link LedgerEntry}, for every store's reader. */
public final class EntryLines {
    private EntryLines() {
    }

    /**
     * The entry a stored line holds, which must be the one at {@code seq}.
     *
     * @throws IOException when the line is not a well-formed ledger line of that seq or not a valid event
     */
    public static LedgerEntry parse(String line, long seq) throws IOException {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        LineScanner s = LineScanner.scan(bytes, 0, bytes.length);
        if (s.error() != null) {
            throw new IOException("the entry at seq " + seq + " is not a well-formed ledger line: " + s.error());
        }
        if (s.seq() != seq) {
            throw new IOException("seq " + seq + " is missing or out of place: the line where it belongs holds seq "
                    + s.seq());
        }
        try {
            return new LedgerEntry(seq, EventJson.parseLine(line, EntryCodec.LEDGER_MEMBERS).event(), s.hash(), line);
        } catch (RuntimeException e) {
            throw new IOException("the entry at seq " + seq + " is not a valid event: " + e.getMessage(), e);
        }
    }

    /** The seq a stored line names, read without parsing the event. */
    static long seqOf(String line) throws IOException {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        LineScanner s = LineScanner.scan(bytes, 0, bytes.length);
        if (s.error() != null) {
            throw new IOException("a ledger line is not well formed (" + s.error() + "): " + abbreviated(line));
        }
        return s.seq();
    }

    private static String abbreviated(String line) {
        return line.length() <= 80 ? line : line.substring(0, 80) + "...";
    }
}
