package io.vigil.detect.internal;

import io.vigil.event.IpRange;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The text format of an address block list: one address or CIDR block per line ({@code 203.0.113.7},
 * {@code 198.51.100.0/24}, {@code 2001:db8::/32}, {@code ::ffff:192.0.2.0/120}), whitespace around it ignored,
 * {@code #} starting a comment to the end of the line, blank lines allowed. A line that is none of these fails the
 * whole list with {@code source:line: why}, so that a typo is found rather than silently matching nothing.
 */
public final class IpBlockListFormat {

    private static final char BYTE_ORDER_MARK = '\uFEFF';
    /** Longest part of a bad line quoted in an error; the line number finds the rest. */
    private static final int MAX_QUOTED = 80;

    private IpBlockListFormat() {
    }

    /**
     * Reads a list file's bytes as UTF-8 (bytes that are not are replaced, which only a comment can survive).
     *
     * @param source names the list in error messages, e.g. the file's path
     * @throws IllegalArgumentException on the first line that is not an address or block
     */
    public static IpBlocks read(byte[] content, String source) {
        String text = new String(content, StandardCharsets.UTF_8);
        if (!text.isEmpty() && text.charAt(0) == BYTE_ORDER_MARK) {
            text = text.substring(1); // editors on some systems start UTF-8 files with one
        }
        return read(text.lines().toList(), source);
    }

    /**
     * Reads lines of the format.
     *
     * @param source names the list in error messages
     * @throws IllegalArgumentException on the first line that is not an address or block
     */
    public static IpBlocks read(List<String> lines, String source) {
        List<IpRange> blocks = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int hash = line.indexOf('#');
            String entry = (hash < 0 ? line : line.substring(0, hash)).strip();
            if (entry.isEmpty()) {
                continue;
            }
            int number = i + 1;
            String quoted = entry.length() <= MAX_QUOTED ? entry : entry.substring(0, MAX_QUOTED) + "...";
            blocks.add(IpRange.parse(entry).orElseThrow(() -> new IllegalArgumentException(source + ":" + number
                    + ": '" + quoted + "' is not an IP address or CIDR block (address/bits, at most /32 for IPv4 and"
                    + " /128 for IPv6)")));
        }
        return new IpBlocks(blocks);
    }
}
