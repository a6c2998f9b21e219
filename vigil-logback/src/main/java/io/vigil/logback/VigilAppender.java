package io.vigil.logback;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import io.vigil.AuditContext;
import io.vigil.EventRecorder;
import io.vigil.logback.internal.ErrorReporter;
import io.vigil.logback.internal.EventMapper;
import io.vigil.logback.internal.MappedEvent;
import io.vigil.logback.internal.MarkerMatch;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * A Logback appender that turns every log event carrying an audit marker ({@code AUDIT} or {@code SECURITY} unless
 * configured otherwise, or a marker referencing one) into an audit event, whatever its level. See {@link AuditKeys}
 * for the keys it reads; other events pass by untouched.
 *
 * <p>Attach it with {@link LogbackBridge#attach}, or declare it in {@code logback.xml} and bind it to a recorder
 * with {@link LogbackBridge#bind} once there is one; until then events wait in a bounded buffer
 * ({@code bufferCapacity}, 1,000 by default) and are recorded, in their original context, when it is bound.
 *
 * <p>It never throws into a logging call and never blocks one beyond what {@link EventRecorder#record} does (which
 * returns at once). Failures are counted ({@link #counters()}) and reported through Logback's status manager, rate
 * limited, never through a logger. Events of Vigil's own loggers ({@code io.vigil.*}, except the example
 * applications under {@code io.vigil.example}) are ignored, and so is anything logged while the appender itself is
 * recording, so the audit path can never loop back into itself.
 */
public class VigilAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {
    /** The name given to the appender unless configured otherwise. */
    public static final String DEFAULT_NAME = "VIGIL";
    /** Events kept until a recorder is bound, unless configured otherwise. */
    public static final int DEFAULT_BUFFER_CAPACITY = 1_000;

    private static final long ERROR_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** Set while this thread is inside {@link EventRecorder#record}, so nothing it logs is recorded in turn. */
    private static final ThreadLocal<Boolean> RECORDING = new ThreadLocal<>();

    private final EventMapper mapper = new EventMapper();
    private final ErrorReporter errors = new ErrorReporter(this, ERROR_INTERVAL_NANOS, System::nanoTime);
    private final LongAdder mapped = new LongAdder();
    private final LongAdder unmapped = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder ignored = new LongAdder();
    private final AtomicBoolean overflowReported = new AtomicBoolean();
    private volatile MarkerMatch markers = MarkerMatch.of(BridgeOptions.DEFAULTS.markers());
    private volatile EventRecorder recorder;
    private int bufferCapacity = DEFAULT_BUFFER_CAPACITY;
    private volatile ArrayBlockingQueue<MappedEvent> buffer = new ArrayBlockingQueue<>(DEFAULT_BUFFER_CAPACITY);

    public VigilAppender() {
        setName(DEFAULT_NAME);
    }

    /** The marker names, comma separated, as in {@code <markers>AUDIT,SECURITY,PRIVACY</markers>}. */
    public void setMarkers(String commaSeparated) {
        markers = MarkerMatch.parse(Objects.requireNonNull(commaSeparated, "markers"));
    }

    /** The marker names. */
    public void setMarkerNames(List<String> names) {
        markers = MarkerMatch.of(names);
    }

    /** The marker names in force. */
    public List<String> markerNames() {
        return markers.names();
    }

    /** How many events to keep until a recorder is bound; takes effect when the appender starts. */
    public void setBufferCapacity(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("bufferCapacity must be at least 1, was " + capacity);
        }
        bufferCapacity = capacity;
    }

    @Override
    public void start() {
        // Nothing is buffered before the first start, nor after a stop (which empties the buffer).
        if (buffer.isEmpty() && buffer.remainingCapacity() != bufferCapacity) {
            buffer = new ArrayBlockingQueue<>(bufferCapacity);
        }
        super.start();
    }

    /**
     * Records events from now on through the recorder, first those waiting in the buffer. Replaces a recorder
     * bound before.
     */
    public void bind(EventRecorder recorder) {
        this.recorder = Objects.requireNonNull(recorder, "recorder");
        drain(recorder);
    }

    /** Stops recording: events wait in the buffer again, as before the first {@link #bind}. */
    public void unbind() {
        recorder = null;
    }

    /** True while a recorder is bound. */
    public boolean isBound() {
        return recorder != null;
    }

    /** What the appender did with marked events since it was created. */
    public BridgeCounters counters() {
        return new BridgeCounters(mapped.sum(), unmapped.sum(), failed.sum(), dropped.sum(), ignored.sum(),
                buffer.size());
    }

    @Override
    public void stop() {
        super.stop();
        int left = 0;
        while (buffer.poll() != null) {
            left++;
        }
        if (left > 0) {
            dropped.add(left);
            addWarn(left + " audit events logged before any EventRecorder was bound were never recorded; bind the"
                    + " appender (LogbackBridge.bind) before it stops");
        }
    }

    @Override
    protected void append(ILoggingEvent event) {
        if (!markers.matches(event.getMarkerList())) {
            return;
        }
        if (RECORDING.get() != null || isVigilLogger(event.getLoggerName())) {
            ignored.increment();
            return;
        }
        MappedEvent m;
        try {
            m = mapper.map(event);
        } catch (RuntimeException e) {
            failed.increment();
            errors.error("Vigil could not map a log event of logger " + event.getLoggerName()
                    + " to an audit event: " + e, e);
            return;
        }
        EventRecorder r = recorder;
        if (r != null) {
            record(r, m, false);
            return;
        }
        if (!buffer.offer(m)) {
            dropped.increment();
            if (overflowReported.compareAndSet(false, true)) {
                int capacity = buffer.remainingCapacity() + buffer.size();
                addWarn("no EventRecorder is bound yet and the buffer of " + capacity + " audit events is full;"
                        + " further events are dropped (and counted) until LogbackBridge.bind is called");
            }
            return;
        }
        // A bind that ran between the read of recorder and the offer has drained already; drain again.
        r = recorder;
        if (r != null) {
            drain(r);
        }
    }

    private void drain(EventRecorder r) {
        MappedEvent m;
        while ((m = buffer.poll()) != null) {
            record(r, m, true);
        }
    }

    private void record(EventRecorder r, MappedEvent m, boolean elsewhere) {
        RECORDING.set(Boolean.TRUE);
        // A buffered event is recorded on whichever thread binds: give it back the context it was logged in.
        AuditContext.Scope scope = elsewhere ? m.context().open() : null;
        try {
            r.record(m.event());
            (m.unmapped() ? unmapped : mapped).increment();
        } catch (RuntimeException e) {
            failed.increment();
            errors.error("Vigil could not record an audit event of type " + m.type() + " from the log: " + e, e);
        } finally {
            if (scope != null) {
                scope.close();
            }
            RECORDING.remove();
        }
    }

    /** Vigil's own classes; the example applications are applications and may log audit events like any other. */
    private static boolean isVigilLogger(String name) {
        return name != null && (name.equals("io.vigil") || name.startsWith("io.vigil."))
                && !name.startsWith("io.vigil.example");
    }
}
