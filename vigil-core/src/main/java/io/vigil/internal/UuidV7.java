package io.vigil.internal;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * UUID version 7 (RFC 9562 §5.7): 48 bits of Unix milliseconds, then random bits. Hand-written because the
 * generators in common libraries serialise callers on a lock for strict monotonicity, which the hot path of
 * {@code record} from many threads cannot afford; ids only need to be unique and roughly time-ordered.
 */
public final class UuidV7 {
    private UuidV7() {
    }

    /** A new id for the given Unix time in milliseconds. */
    public static UUID next(long epochMillis) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return of(epochMillis, r.nextLong(), r.nextLong());
    }

    /** The id with these random bits (for deterministic streams such as the demo). */
    public static UUID of(long epochMillis, long randA, long randB) {
        long msb = (epochMillis & 0xFFFF_FFFF_FFFFL) << 16 | 0x7000L | (randA & 0x0FFFL);
        long lsb = (randB & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb);
    }

    /** The millisecond timestamp of a version 7 id. */
    public static long epochMillis(UUID id) {
        return id.getMostSignificantBits() >>> 16;
    }
}
