package io.vigil.cli;

import io.vigil.event.AuditEvent;
import io.vigil.json.CanonicalJsonException;
import io.vigil.json.EventJson;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Events as JSON lines: one event of the v1 model per line (a ledger's lines, with {@code seq}, {@code prevHash} and
 * {@code hash}, are accepted too, so {@code vigil query} output can be read back), in time order. Each line is checked
 * as it is read; the first bad one stops the reading with its line number and what is wrong.
 */
final class EventLines {
    /** The ledger's members beside the event's, as {@code vigil query} prints them. */
    private static final Set<String> LEDGER_MEMBERS = Set.of("seq", "prevHash", "hash");

    private EventLines() {
    }

    /** A line that is not an event, or not in time order, or could not be read. */
    static final class BadLine extends Exception {
        private static final long serialVersionUID = 1L;

        BadLine(long line, String why, Throwable cause) {
            super("line " + line + ": " + why, cause);
        }
    }

    /**
     * Reads every line of {@code in} (UTF-8) and hands each event to {@code each}, in order.
     *
     * @return how many events were read
     * @throws BadLine at the first line that is not a valid event, is earlier than the line before, is not UTF-8 or
     *                 cannot be read
     */
    static long read(InputStream in, Consumer<AuditEvent> each) throws BadLine {
        // Lines are split as bytes and decoded one by one, so that bytes that are not UTF-8 are reported on their own
        // line; a decoding reader fails ahead of the line it is asked for.
        BufferedInputStream bytes = new BufferedInputStream(in, 1 << 16);
        ByteArrayOutputStream lineBytes = new ByteArrayOutputStream(1024);
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        long line = 0;
        Instant previous = null;
        while (true) {
            lineBytes.reset();
            int b;
            try {
                while ((b = bytes.read()) != -1 && b != '\n') {
                    lineBytes.write(b);
                }
            } catch (IOException e) {
                throw new BadLine(line + 1, "cannot read: " + e.getMessage(), e);
            }
            if (b == -1 && lineBytes.size() == 0) {
                return line;
            }
            line++;
            byte[] raw = lineBytes.toByteArray();
            int length = raw.length > 0 && raw[raw.length - 1] == '\r' ? raw.length - 1 : raw.length;
            String text;
            try {
                text = utf8.decode(ByteBuffer.wrap(raw, 0, length)).toString();
            } catch (CharacterCodingException e) {
                throw new BadLine(line, "not UTF-8 text", e);
            }
            if (text.isBlank()) {
                throw new BadLine(line, "empty; each line must hold one event", null);
            }
            AuditEvent event;
            try {
                event = EventJson.parseLine(text, LEDGER_MEMBERS).event();
            } catch (IllegalArgumentException e) {
                boolean json = !(e.getCause() instanceof CanonicalJsonException);
                throw new BadLine(line, (json ? "not an event of the v1 model: " : "not JSON: ") + e.getMessage(), e);
            }
            if (previous != null && event.timestamp().isBefore(previous)) {
                throw new BadLine(line, "timestamp " + event.timestamp() + " is earlier than the line before's, "
                        + previous + "; the events must be in time order (detection windows are measured on them)",
                        null);
            }
            previous = event.timestamp();
            each.accept(event);
        }
    }
}
