package io.vigil.kafka.internal;

/** Why a sequencer stopped on its own: a ledger it cannot open, records Kafka no longer has, … */
public final class SequencerFailure extends RuntimeException {
    public SequencerFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
