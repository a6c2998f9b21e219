package io.vigil.spring.internal.security;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Whether a failure event reached Vigil while an authentication event publisher was publishing a failure: listeners
 * run synchronously on the publishing thread, so a failure published for the exception is seen before the
 * publisher returns. What is not seen was not published.
 */
final class FailureSightings {
    private static final ThreadLocal<Deque<Watch>> WATCHES = ThreadLocal.withInitial(ArrayDeque::new);

    private FailureSightings() {
    }

    /** Starts watching for a failure event carrying {@code exception}; close the watch to learn the answer. */
    static Watch watch(Object exception) {
        Watch w = new Watch(exception);
        WATCHES.get().push(w);
        return w;
    }

    /** A failure event for {@code exception} was delivered on this thread. */
    static void seen(Object exception) {
        Deque<Watch> watches = WATCHES.get();
        if (watches.isEmpty()) {
            WATCHES.remove();
            return;
        }
        for (Watch w : watches) {
            if (w.exception == exception) {
                w.seen = true;
            }
        }
    }

    /** One publication being watched. */
    static final class Watch implements AutoCloseable {
        private final Object exception;
        private boolean seen;

        private Watch(Object exception) {
            this.exception = exception;
        }

        boolean seen() {
            return seen;
        }

        @Override
        public void close() {
            Deque<Watch> watches = WATCHES.get();
            watches.remove(this);
            if (watches.isEmpty()) {
                WATCHES.remove();
            }
        }
    }
}
