package io.vigil.kafka.internal;

import java.io.IOException;

/** Another sequencer took the partition over: this one must stop writing to it. */
final class FencedException extends IOException {
    FencedException(String message) {
        super(message);
    }
}
