package io.vigil.kafka.internal;

/**
 * Where the lines of a record's value lie, as the Kafka sink writes them: one event a line, separated by {@code '\n'}
 * (canonical JSON and the SIEM formats never hold a raw newline); a final newline ends the last line rather than
 * starting an empty one, and an empty value is one empty line.
 */
public final class RecordLines {
    private RecordLines() {
    }

    /** The lines' bounds: line {@code i} is the bytes from {@code bounds[2i]} up to {@code bounds[2i + 1]}. */
    public static int[] bounds(byte[] value) {
        int count = 1;
        for (byte b : value) {
            if (b == '\n') {
                count++;
            }
        }
        if (value.length > 0 && value[value.length - 1] == '\n') {
            count--;
        }
        int[] bounds = new int[2 * count];
        int start = 0;
        for (int i = 0; i < count; i++) {
            int end = start;
            while (end < value.length && value[end] != '\n') {
                end++;
            }
            bounds[2 * i] = start;
            bounds[2 * i + 1] = end;
            start = end + 1;
        }
        return bounds;
    }
}
