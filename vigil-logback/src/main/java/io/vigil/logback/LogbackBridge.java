package io.vigil.logback;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggerContextListener;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.spi.AppenderAttachable;
import io.vigil.EventRecorder;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The bridge attached to a Logback {@link LoggerContext}: the entry point that connects Logback to an
 * {@link EventRecorder} (usually the application's {@code AuditLog}), and the handle that disconnects it again.
 *
 * <pre>{@code
 * LoggerContext logback = (LoggerContext) LoggerFactory.getILoggerFactory();
 * try (LogbackBridge bridge = LogbackBridge.attach(logback, auditLog)) {
 *     ...   // log.atInfo().addMarker(AUDIT).addKeyValue("type", "auth.login.failure")... is now audited
 * }
 * }</pre>
 *
 * <p>When the context's configuration ({@code logback.xml}) already declares {@link VigilAppender}s, those are bound
 * to the recorder (with their own markers) and nothing is added; otherwise one appender is added to the root logger.
 * Closing the bridge removes what it added, and unbinds what it found.
 *
 * <p>A reset of the context (a reconfiguration: Spring Boot's logging initialisation, {@code scan="true"}) detaches
 * and stops every appender and turbo filter; the appender and filter the bridge added are put back right away, so
 * audit events are not silently lost after a reload.
 */
public final class LogbackBridge implements AutoCloseable {
    private final LoggerContext context;
    private final List<VigilAppender> appenders;
    private final boolean added;
    private final TurboFilter addedFilter;
    private final LoggerContextListener reattach;
    private boolean closed;

    private LogbackBridge(LoggerContext context, List<VigilAppender> appenders, boolean added,
                          TurboFilter addedFilter) {
        this.context = context;
        this.appenders = List.copyOf(appenders);
        this.added = added;
        this.addedFilter = addedFilter;
        this.reattach = added || addedFilter != null ? new ReattachOnReset() : null;
        if (reattach != null) {
            context.addListener(reattach);
        }
    }

    /** Attaches with {@link BridgeOptions#DEFAULTS}: markers AUDIT and SECURITY, accepted at any level. */
    public static LogbackBridge attach(LoggerContext context, EventRecorder recorder) {
        return attach(context, recorder, BridgeOptions.DEFAULTS);
    }

    /**
     * Connects the context's marked log events to the recorder: binds the {@link VigilAppender}s its configuration
     * declares, or adds one to the root logger when there is none; with {@link BridgeOptions#acceptAtAnyLevel()},
     * also adds an {@link AuditMarkerTurboFilter} unless the context has one.
     */
    public static LogbackBridge attach(LoggerContext context, EventRecorder recorder, BridgeOptions options) {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(recorder, "recorder");
        Objects.requireNonNull(options, "options");
        List<VigilAppender> declared = declaredAppenders(context);
        TurboFilter filter = null;
        if (options.acceptAtAnyLevel() && context.getTurboFilterList().stream()
                .noneMatch(f -> f instanceof AuditMarkerTurboFilter)) {
            AuditMarkerTurboFilter f = new AuditMarkerTurboFilter();
            f.setName("VIGIL_AUDIT_MARKERS");
            f.setContext(context);
            f.setMarkerNames(options.markers());
            f.start();
            context.addTurboFilter(f);
            filter = f;
        }
        if (!declared.isEmpty()) {
            for (VigilAppender a : declared) {
                a.bind(recorder);
            }
            return new LogbackBridge(context, declared, false, filter);
        }
        VigilAppender appender = new VigilAppender();
        appender.setContext(context);
        appender.setMarkerNames(options.markers());
        appender.start();
        appender.bind(recorder);
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
        return new LogbackBridge(context, List.of(appender), true, filter);
    }

    /**
     * Binds every {@link VigilAppender} the context's configuration declares to the recorder; events they buffered
     * until now are recorded first. For applications that declare the appender in {@code logback.xml} and create
     * their recorder later.
     *
     * @return how many appenders were bound (0 when the configuration declares none)
     */
    public static int bind(LoggerContext context, EventRecorder recorder) {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(recorder, "recorder");
        List<VigilAppender> declared = declaredAppenders(context);
        for (VigilAppender a : declared) {
            a.bind(recorder);
        }
        return declared.size();
    }

    /** The appenders this bridge feeds the recorder from. */
    public List<VigilAppender> appenders() {
        return appenders;
    }

    /** The appenders' counters, summed. */
    public BridgeCounters counters() {
        BridgeCounters sum = BridgeCounters.ZERO;
        for (VigilAppender a : appenders) {
            sum = sum.plus(a.counters());
        }
        return sum;
    }

    /** Removes the appender and filter the bridge added, or unbinds the declared appenders it bound. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (reattach != null) {
            context.removeListener(reattach);
        }
        if (addedFilter != null) {
            context.getTurboFilterList().remove(addedFilter);
            addedFilter.stop();
        }
        for (VigilAppender a : appenders) {
            if (added) {
                context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(a);
                a.stop();
            } else {
                a.unbind();
            }
        }
    }

    /** Puts back what the bridge added after the context was reset; runs on the thread that resets. */
    private final class ReattachOnReset implements LoggerContextListener {
        @Override
        public boolean isResetResistant() {
            return true;
        }

        @Override
        public void onReset(LoggerContext resetContext) {
            synchronized (LogbackBridge.this) {
                if (closed) {
                    return;
                }
                if (addedFilter != null && !resetContext.getTurboFilterList().contains(addedFilter)) {
                    addedFilter.start();
                    resetContext.addTurboFilter(addedFilter);
                }
                if (added) {
                    Logger root = resetContext.getLogger(Logger.ROOT_LOGGER_NAME);
                    for (VigilAppender a : appenders) {
                        if (!a.isStarted()) {
                            a.start();
                        }
                        if (!root.isAttached(a)) {
                            root.addAppender(a);
                        }
                    }
                }
            }
        }

        @Override
        public void onStart(LoggerContext c) {
        }

        @Override
        public void onStop(LoggerContext c) {
        }

        @Override
        public void onLevelChange(Logger logger, Level level) {
        }
    }

    /** Every VigilAppender attached to a logger of the context, also inside wrapping appenders (once each). */
    private static List<VigilAppender> declaredAppenders(LoggerContext context) {
        Set<Appender<ILoggingEvent>> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<VigilAppender> out = new ArrayList<>();
        for (Logger logger : context.getLoggerList()) {
            collect(logger.iteratorForAppenders(), seen, out);
        }
        return out;
    }

    private static void collect(Iterator<Appender<ILoggingEvent>> it, Set<Appender<ILoggingEvent>> seen,
                                List<VigilAppender> out) {
        while (it.hasNext()) {
            Appender<ILoggingEvent> a = it.next();
            if (!seen.add(a)) {
                continue;
            }
            if (a instanceof VigilAppender v) {
                out.add(v);
            } else if (a instanceof AppenderAttachable<?> wrapper) {
                @SuppressWarnings("unchecked")
                AppenderAttachable<ILoggingEvent> w = (AppenderAttachable<ILoggingEvent>) wrapper;
                collect(w.iteratorForAppenders(), seen, out);
            }
        }
    }
}
