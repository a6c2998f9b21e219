package io.vigil.event;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * Event ids: UUID version 7 (RFC 9562 §5.7), 48 bits of Unix milliseconds then random bits, so ids sort roughly by
 * time. Hand-written because the generators in common libraries serialise callers on a lock for strict
 * monotonicity, which the hot path of {@code record} from many threads cannot afford; ids only need to be unique.
 */
public final class EventIds {
    private EventIds() {
    }

    /** A new id for the given Unix time in milliseconds, with random bits from the calling thread's generator. */
    public static UUID next(long epochMillis) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return of(epochMillis, r.nextLong(), r.nextLong());
    }

    /** A new id whose random bits come from {@code random}, e.g. a seeded generator for a reproducible stream. */
    public static UUID next(long epochMillis, RandomGenerator random) {
        return of(epochMillis, random.nextLong(), random.nextLong());
    }

    private static UUID of(long epochMillis, long randA, long randB) {
        long msb = (epochMillis & 0xFFFF_FFFF_FFFFL) << 16 | 0x7000L | (randA & 0x0FFFL);
        long lsb = (randB & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb);
    }

    /** The millisecond timestamp carried by a version 7 id. */
    public static long epochMillis(UUID id) {
        if (id.version() != 7) {
            throw new IllegalArgumentException("id " + id + " is version " + id.version() + ", not 7");
        }
        return id.getMostSignificantBits() >>> 16;
    }
}
