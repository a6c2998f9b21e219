package io.vigil.kafka.internal;

import java.util.Objects;

/**
 * A record the sequencer could not read as a Vigil event: kept as a dead letter, never appended, never dropped.
 *
 * @param offset its offset in the partition
 * @param key    its key, possibly empty
 * @param value  its value as sent, possibly empty
 * @param reason why it is no event
 */
record Rejected(long offset, byte[] key, byte[] value, String reason) {
    Rejected {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(reason, "reason");
    }
}
