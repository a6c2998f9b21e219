package io.vigil.siem.internal.syslog;

import io.vigil.event.AuditEvent;
import io.vigil.internal.RateLimitedLog;
import io.vigil.internal.time.Ticker;
import io.vigil.siem.SyslogSink;
import io.vigil.siem.SyslogStats;
import io.vigil.sink.EntryPosition;
import io.vigil.sink.EventFormat;
import io.vigil.sink.SyslogOptions;
import io.vigil.sink.SyslogTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The syslog sink: {@link #write} encodes a batch as RFC 5424 messages and appends it to the {@link Spool}; the
 * sender thread sends the spool in order and acknowledges what is delivered.
 *
 * <p>Over TCP and TLS nothing acknowledges a message, and a write into a connection the receiver has just closed
 * still succeeds locally. So each connection has a reader that notices the receiver's EOF or reset, nothing more is
 * written once it has, and a message counts as delivered only when the connection has outlived its write by
 * {@link #SETTLE}; when the connection dies, sending resumes from the first message not counted. What remains: a
 * receiver that restarts within {@link #SETTLE} of reading a message gets it again; one that vanishes without
 * closing (a crashed host), or hangs without reading for longer than {@link #SETTLE} and is then killed, loses what
 * sat in the socket buffers; one that drops what it has read loses that.
 */
public final class SpoolingSyslogSink implements SyslogSink {
    private static final Logger LOG = LoggerFactory.getLogger(SpoolingSyslogSink.class);
    /** How long a connection must outlive a write before its messages count as delivered. */
    static final Duration SETTLE = Duration.ofMillis(500);
    /** How long close() keeps sending to a connected receiver before it gives up (what is left stays spooled). */
    static final Duration CLOSE_DRAIN = Duration.ofSeconds(5);
    private static final long PERSIST_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final int SEND_CHUNK = 512;
    private static final long MAX_SEGMENT = 64L * 1024 * 1024;

    private final SyslogOptions options;
    private final Rfc5424 encoder;
    private final int maxMessage;
    private final Spool spool;
    private final SSLContext tls;
    private final Ticker ticker;
    private final RateLimitedLog unreachableLog;
    private final RateLimitedLog truncatedLog;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final Thread sender;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private final AtomicLong failureCount = new AtomicLong();
    private volatile boolean closing;
    private volatile boolean connected;
    private volatile long drainDeadline;

    private SpoolingSyslogSink(SyslogOptions options, EventFormat format, Ticker ticker) throws IOException {
        this.options = options;
        this.ticker = ticker;
        this.encoder = new Rfc5424(options.facility(), options.hostname().orElseGet(SpoolingSyslogSink::localHost),
                options.appName(), Long.toString(ProcessHandle.current().pid()), options.enterpriseNumber(), format);
        this.maxMessage = Connection.maxMessage(options);
        this.tls = options.transport() == SyslogTransport.TLS ? Connection.tlsContext(options) : null;
        long segment = Math.max(64 * 1024, Math.min(MAX_SEGMENT, options.spoolMaxBytes() / 8));
        this.spool = new Spool(options.spoolDir(), options.spoolMaxBytes(), segment);
        this.unreachableLog = new RateLimitedLog(LOG, Duration.ofMinutes(1), 3, ticker);
        this.truncatedLog = new RateLimitedLog(LOG, Duration.ofMinutes(1), 3, ticker);
        this.sender = new Thread(this::run, "vigil-syslog-sender-" + options.host() + ":" + options.port());
        sender.setDaemon(true);
    }

    /** Opens the spool and starts the sender. */
    public static SpoolingSyslogSink open(SyslogOptions options, EventFormat format) throws IOException {
        return open(options, format, Ticker.system());
    }

    static SpoolingSyslogSink open(SyslogOptions options, EventFormat format, Ticker ticker) throws IOException {
        SpoolingSyslogSink sink = new SpoolingSyslogSink(options, format, ticker);
        sink.sender.start();
        return sink;
    }

    private static String localHost() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return Rfc5424.NIL;
        }
    }

    @Override
    public List<EntryPosition> write(List<AuditEvent> batch) throws IOException {
        if (closing) {
            throw new IOException("syslog sink to " + where() + " is closed");
        }
        List<byte[]> messages = new ArrayList<>(batch.size());
        for (AuditEvent e : batch) {
            Rfc5424.Message m = encoder.encode(e, Optional.empty(), maxMessage);
            if (m.truncated()) {
                truncatedLog.warn("{} syslog message(s) cut to {} bytes; for example event {} (type {}), whose body "
                        + "had {} bytes", maxMessage, e.id(), e.type(), m.originalLength());
            }
            messages.add(m.bytes());
        }
        spool.append(messages);
        signal();
        return List.of();
    }

    /**
     * Returns at once: a written batch is already durable in the spool, and waiting here for a receiver that may be
     * down would stall the pipeline. The sender is woken.
     */
    @Override
    public void flush() {
        signal();
    }

    @Override
    public SyslogStats stats() {
        return new SyslogStats(sent.get(), spool.pendingBytes(), reconnects.get(), failureCount.get(), connected);
    }

    /**
     * Keeps sending for up to {@link #CLOSE_DRAIN} while the receiver is connected, then stops the sender and
     * persists how far delivery got; what is left is sent by the next sink opened on the spool.
     */
    @Override
    public void close() throws IOException {
        if (closing) {
            return;
        }
        drainDeadline = ticker.read() + CLOSE_DRAIN.toNanos();
        closing = true;
        signal();
        join(CLOSE_DRAIN.toMillis() + 250);
        if (sender.isAlive()) {
            // blocked in a write to a receiver that stopped reading: closing the connection ends the write (an
            // interrupt would not, and would close the spool's files under the sender)
            Connection c = conn;
            if (c != null) {
                c.close();
            }
            // or in a connection attempt, which ends within the connect timeout, twice for a TLS handshake
            join(2 * options.connectTimeout().toMillis() + 1_000);
        }
        if (sender.isAlive()) {
            LOG.warn("syslog sender to {} did not stop in time; unsent messages stay spooled", where());
            return;
        }
        spool.close();
    }

    private void join(long millis) {
        try {
            sender.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String where() {
        return options.host() + ":" + options.port() + " (" + options.transport() + ")";
    }

    private void signal() {
        lock.lock();
        try {
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void await(long nanos) {
        if (nanos <= 0) {
            return;
        }
        lock.lock();
        try {
            wake.awaitNanos(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    // ---- the sender thread ----

    /** Volatile so that close() can close it under a sender blocked in a write. */
    private volatile Connection conn;
    private boolean everConnected;
    /** Spool offsets after messages written on the connection, with when, not yet counted as delivered. */
    private final ArrayDeque<long[]> inFlight = new ArrayDeque<>();
    private long sendPos;
    private int failures;
    private long nextAttempt;
    private long lastPersist;

    private void run() {
        sendPos = spool.acked();
        try {
            while (true) {
                long now = ticker.read();
                if (conn != null && !conn.alive()) {
                    lost(new IOException("the receiver closed the connection"));
                }
                confirm(now);
                persist(now, false);
                if (closing && (conn == null || spool.pendingBytes() == 0 || now - drainDeadline >= 0)) {
                    break;
                }
                if (sendPos == spool.end()) {
                    flushConnection();
                    // wake when the oldest message in flight has settled, to count it before anything else happens
                    long settled = inFlight.isEmpty() ? Long.MAX_VALUE
                            : inFlight.peekFirst()[1] + SETTLE.toNanos() - now;
                    await(Math.max(1, Math.min(PERSIST_EVERY_NANOS, settled)));
                    continue;
                }
                if (conn == null && !connect(now)) {
                    continue;
                }
                sendSome();
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("syslog sender to {} stopped; events stay spooled until the sink is reopened: {}", where(),
                    e.toString());
        } finally {
            confirm(ticker.read());
            closeConnection();
            try {
                persist(0, true);
            } catch (IOException e) {
                LOG.warn("syslog spool position could not be saved; some messages will be sent again: {}",
                        e.toString());
            }
        }
    }

    private boolean connect(long now) {
        if (now - nextAttempt < 0) {
            await(nextAttempt - now);
            return false;
        }
        if (closing) {
            // no new connection while closing: what is spooled waits for the next sink
            return false;
        }
        try {
            conn = Connection.open(options, tls, this::signal);
            if (everConnected) {
                reconnects.incrementAndGet();
            }
            everConnected = true;
            connected = true;
            if (failures > 0) {
                LOG.info("syslog receiver {} reachable again after {} failed attempt(s); sending {} spooled bytes",
                        where(), failures, spool.pendingBytes());
            }
            return true;
        } catch (IOException | RuntimeException e) {
            failed(e);
            return false;
        }
    }

    private void sendSome() {
        List<Long> ends = new ArrayList<>(SEND_CHUNK);
        try {
            long end = spool.end();
            while (sendPos < end && ends.size() < SEND_CHUNK && conn.alive()) {
                Spool.Entry e = spool.read(sendPos);
                conn.send(e.message());
                sendPos = e.next();
                ends.add(sendPos);
            }
            conn.flush();
        } catch (IOException | RuntimeException e) {
            lost(e);
            return;
        }
        sent.addAndGet(ends.size());
        long at = ticker.read();
        if (conn.stream()) {
            for (long end : ends) {
                inFlight.addLast(new long[] {end, at});
            }
        } else if (!ends.isEmpty()) {
            spool.acknowledge(ends.get(ends.size() - 1));
        }
    }

    /** Counts as delivered what the live connection has outlived by {@link #SETTLE}. */
    private void confirm(long now) {
        if (conn == null || !conn.alive()) {
            return;
        }
        long settle = SETTLE.toNanos();
        long last = -1;
        while (!inFlight.isEmpty() && now - inFlight.peekFirst()[1] >= settle) {
            last = inFlight.pollFirst()[0];
        }
        if (last >= 0) {
            spool.acknowledge(last);
            failures = 0;
        }
    }

    private void flushConnection() {
        if (conn != null) {
            try {
                conn.flush();
            } catch (IOException e) {
                lost(e);
            }
        }
    }

    private void persist(long now, boolean force) throws IOException {
        if (force || now - lastPersist >= PERSIST_EVERY_NANOS) {
            spool.persist();
            lastPersist = now;
        }
    }

    /** The connection failed: close it, and send again from the first message not counted as delivered. */
    private void lost(Exception cause) {
        closeConnection();
        inFlight.clear();
        sendPos = spool.acked();
        failed(cause);
    }

    private void failed(Exception cause) {
        failures++;
        failureCount.incrementAndGet();
        long wait = backoff(failures);
        nextAttempt = ticker.read() + wait;
        unreachableLog.warn("{} syslog connection failure(s); receiver {} attempt {}, {} bytes spooled, next "
                        + "attempt in {} ms: {}", where(), failures, spool.pendingBytes(),
                TimeUnit.NANOSECONDS.toMillis(wait), cause.toString());
    }

    /**
     * Doubling from backoffMin to backoffMax, each wait drawn at random from the upper half of its step (never below
     * backoffMin), so that senders cut off together do not come back together.
     */
    private long backoff(int attempt) {
        long min = options.backoffMin().toNanos();
        long max = options.backoffMax().toNanos();
        long base = attempt >= 62 ? max : Math.min(max, min << Math.min(attempt - 1, 40));
        if (base <= 0 || base > max) {
            base = max;
        }
        long half = base / 2;
        return Math.max(min, half + ThreadLocalRandom.current().nextLong(half + 1));
    }

    private void closeConnection() {
        if (conn != null) {
            try {
                conn.close();
            } catch (IOException ignored) {
                // it is being dropped anyway
            }
            conn = null;
        }
        connected = false;
    }

    @Override
    public String toString() {
        return "SyslogSink[" + where() + "]";
    }
}
