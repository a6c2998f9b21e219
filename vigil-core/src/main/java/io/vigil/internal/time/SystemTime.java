package io.vigil.internal.time;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** The machine's own time: {@link System#nanoTime()}, {@link TimeUnit#sleep} and {@link LockSupport}. */
enum SystemTime implements Ticker, Sleeper {
    INSTANCE;

    @Override
    public long read() {
        return System.nanoTime();
    }

    @Override
    public void sleep(long nanos) throws InterruptedException {
        TimeUnit.NANOSECONDS.sleep(nanos);
    }

    @Override
    public void park(long nanos) {
        LockSupport.parkNanos(nanos);
    }
}
