package io.vigil.spring.internal.ledger;

import io.vigil.ledger.checkpoint.SignedCheckpoint;
import io.vigil.ledger.checkpoint.Witness;
import io.vigil.ledger.checkpoint.WitnessRejectedException;
import io.vigil.ledger.merkle.ConsistencyProof;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Learns when the store signs a checkpoint, for the metric of the newest checkpoint's age: the store hands every new
 * checkpoint to its witness, and checkpoints carry no time of their own. It keeps the newest one in memory only and
 * refuses nothing, so it adds no protection a real witness gives; a configured witness still gets every checkpoint.
 */
public final class CheckpointTracker implements Witness {
    private final Clock clock;
    private final Optional<Witness> next;
    private final AtomicReference<SignedCheckpoint> latest = new AtomicReference<>();
    private final AtomicReference<Instant> at = new AtomicReference<>();

    public CheckpointTracker(Clock clock, Optional<Witness> next) {
        this.clock = clock;
        this.next = next;
    }

    @Override
    public Optional<SignedCheckpoint> latest() throws IOException {
        if (next.isPresent()) {
            return next.get().latest();
        }
        return Optional.ofNullable(latest.get());
    }

    @Override
    public void submit(SignedCheckpoint checkpoint, Optional<ConsistencyProof> fromLatest)
            throws IOException, WitnessRejectedException {
        if (next.isPresent()) {
            next.get().submit(checkpoint, fromLatest);
        }
        latest.set(checkpoint);
        at.set(clock.instant());
    }

    /** When the newest checkpoint was signed in this process, if one was. */
    public Optional<Instant> lastCheckpointAt() {
        return Optional.ofNullable(at.get());
    }

    /** The size the newest checkpoint signed in this process covers. */
    public Optional<Long> lastCheckpointSize() {
        SignedCheckpoint c = latest.get();
        return c == null ? Optional.empty() : Optional.of(c.checkpoint().size());
    }
}
