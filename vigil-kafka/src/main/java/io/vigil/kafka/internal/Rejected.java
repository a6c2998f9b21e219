package io.vigil.kafka.internal;

import java.util.Objects;

/**
 * A line of a record that the sequencer could not read as a Vigil event: kept as a dead letter, never appended,
 * never dropped. The record's other lines, if events, are appended as usual.
 *
 * @param offset the record's offset in the partition
 * @param line   the line's index in the record, from 0 (a record of one event has only line 0)
 * @param key    the record's key, possibly empty
 * @param value  the line as sent (the whole value when the record was not read as lines), possibly empty
 * @param reason why it is no event
 */
record Rejected(long offset, int line, byte[] key, byte[] value, String reason) {
    Rejected {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(reason, "reason");
    }
}
