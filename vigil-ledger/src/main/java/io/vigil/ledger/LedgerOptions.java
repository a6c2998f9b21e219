package io.vigil.ledger;

import io.vigil.ledger.checkpoint.SigningKey;
import io.vigil.ledger.checkpoint.Witness;
import io.vigil.redact.HmacKey;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How a file ledger is written.
 *
 * @param origin             the log's name, e.g. {@code example.com/audit/gateway}; fixed at creation
 * @param signingKey         the Ed25519 key that signs checkpoints; without one no checkpoints are written
 * @param hmacKeys           keyed mode: HMAC keys by epoch (epoch {@code i} starts at the seq recorded in the
 *                           metadata); empty for plain mode; fixed at creation except for adding epochs
 * @param durability         when appends are forced to the device
 * @param checkpointEvery    sign a checkpoint after this many new entries
 * @param checkpointInterval ... or when this much time passed since the last one (checked on append), and on close
 * @param segmentBytes       start a new segment file when the current one would grow past this
 * @param witness            where each new checkpoint is also sent, with a consistency proof from the witness's last
 * @param clock              time source for checkpoint intervals
 */
public record LedgerOptions(String origin, Optional<SigningKey> signingKey, List<HmacKey> hmacKeys,
                            Durability durability, long checkpointEvery, Duration checkpointInterval,
                            long segmentBytes, Optional<Witness> witness, Clock clock) {

    public LedgerOptions {
        Objects.requireNonNull(origin, "origin");
        if (origin.isBlank() || origin.contains("\n") || origin.length() > 256) {
            throw new IllegalArgumentException("origin must be one non-blank line of at most 256 characters");
        }
        Objects.requireNonNull(signingKey, "signingKey");
        hmacKeys = List.copyOf(hmacKeys); // an HmacKey is long enough by construction
        Objects.requireNonNull(durability, "durability");
        if (checkpointEvery < 1) {
            throw new IllegalArgumentException("checkpointEvery must be at least 1, was " + checkpointEvery);
        }
        Objects.requireNonNull(checkpointInterval, "checkpointInterval");
        if (segmentBytes < 4096) {
            throw new IllegalArgumentException("segmentBytes must be at least 4096, was " + segmentBytes);
        }
        Objects.requireNonNull(witness, "witness");
        Objects.requireNonNull(clock, "clock");
    }

    /** Plain mode, no signing key, force every batch, checkpoint every 10 000 entries or 60 s, 64 MiB segments. */
    public static LedgerOptions defaults(String origin) {
        return new LedgerOptions(origin, Optional.empty(), List.of(), Durability.EVERY_BATCH, 10_000,
                Duration.ofSeconds(60), 64L * 1024 * 1024, Optional.empty(), Clock.systemUTC());
    }

    public LedgerOptions withSigningKey(SigningKey key) {
        return new LedgerOptions(origin, Optional.of(key), hmacKeys, durability, checkpointEvery, checkpointInterval,
                segmentBytes, witness, clock);
    }

    public LedgerOptions withHmacKeys(List<HmacKey> keys) {
        return new LedgerOptions(origin, signingKey, keys, durability, checkpointEvery, checkpointInterval,
                segmentBytes, witness, clock);
    }

    public LedgerOptions withDurability(Durability value) {
        return new LedgerOptions(origin, signingKey, hmacKeys, value, checkpointEvery, checkpointInterval,
                segmentBytes, witness, clock);
    }

    public LedgerOptions withCheckpoints(long every, Duration interval) {
        return new LedgerOptions(origin, signingKey, hmacKeys, durability, every, interval, segmentBytes, witness,
                clock);
    }

    public LedgerOptions withSegmentBytes(long value) {
        return new LedgerOptions(origin, signingKey, hmacKeys, durability, checkpointEvery, checkpointInterval,
                value, witness, clock);
    }

    public LedgerOptions withWitness(Witness value) {
        return new LedgerOptions(origin, signingKey, hmacKeys, durability, checkpointEvery, checkpointInterval,
                segmentBytes, Optional.of(value), clock);
    }

    public LedgerOptions withClock(Clock value) {
        return new LedgerOptions(origin, signingKey, hmacKeys, durability, checkpointEvery, checkpointInterval,
                segmentBytes, witness, value);
    }

    /**
     * Whether a store that has {@code newEntries} entries beyond its last checkpoint, signed at {@code last}, should
     * sign one now: with a signing key, after {@link #checkpointEvery()} entries or {@link #checkpointInterval()}.
     */
    public boolean checkpointDue(long newEntries, Instant last) {
        if (signingKey.isEmpty() || newEntries <= 0) {
            return false;
        }
        return newEntries >= checkpointEvery || !clock.instant().isBefore(last.plus(checkpointInterval));
    }
}
