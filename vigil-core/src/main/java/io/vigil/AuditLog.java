package io.vigil;

import io.vigil.config.ConfigWatcher;
import io.vigil.config.SinkConfig;
import io.vigil.config.VigilConfig;
import io.vigil.event.Actor;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventCatalog;
import io.vigil.event.EventIds;
import io.vigil.event.EventType;
import io.vigil.filter.EventFilter;
import io.vigil.helper.AdminEvents;
import io.vigil.helper.AuthEvents;
import io.vigil.helper.AuthzEvents;
import io.vigil.helper.ChannelEvents;
import io.vigil.helper.ConfigEvents;
import io.vigil.helper.DataEvents;
import io.vigil.helper.EventHelpers;
import io.vigil.helper.RateLimitEvents;
import io.vigil.helper.SecurityEvents;
import io.vigil.helper.SessionEvents;
import io.vigil.internal.Pipeline;
import io.vigil.internal.Redactor;
import io.vigil.internal.SinkBinder;
import io.vigil.internal.SinkBinding;
import io.vigil.internal.time.Sleeper;
import io.vigil.internal.time.Ticker;
import io.vigil.redact.RedactionPolicy;
import io.vigil.sink.AuditSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The audit log: the one entry point applications use. {@code record} validates an event, stamps id, time and the
 * current {@link AuditContext}, applies the log's filter and hands the event to a bounded queue; it returns at once
 * with a receipt. One writer thread redacts events and writes them in batches to every sink whose filter admits
 * them.
 *
 * <pre>{@code
 * try (AuditLog audit = AuditLog.builder().sink("file", Sinks.jsonlFile(FileSinkOptions.defaults(path))).build()) {
 *     audit.record(AuditEvent.builder(EventCatalog.AUTH_LOGIN_FAILURE).actor(Actor.user("alice").withIp("10.0.0.7")));
 * }
 * }</pre>
 *
 * <p>Receipts complete on the writer thread: chain heavy work with the {@code *Async} methods of
 * {@link CompletableFuture}, and never wait on this log from inside a receipt callback.
 *
 * <p>Thread-safe. Configuration (filters, redaction, request-id switch, sinks, enabled) can be replaced at runtime
 * with {@link #reconfigure}; no event is lost or written twice while that happens.
 */
public final class AuditLog implements EventRecorder, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);

    /** The configuration in force and the redactor built from it. */
    private record State(VigilConfig config, Redactor redactor) {
    }

    private final Clock clock;
    private final Optional<String> service;
    private final boolean selfAudit;
    private final Map<String, AuditSink> customSinks;
    private final Pipeline pipeline;
    private final Thread shutdownHook;
    private final Object reconfigureLock = new Object();
    private final EventHelpers helpers;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final List<ConfigWatcher> watchers = new CopyOnWriteArrayList<>();
    private volatile State state;

    private AuditLog(Builder b, VigilConfig config, List<SinkBinding> bindings) {
        this.clock = b.clock;
        this.service = Optional.ofNullable(b.service);
        this.selfAudit = b.selfAudit;
        this.customSinks = Map.copyOf(b.customSinks);
        this.state = new State(config, new Redactor(config.redaction(), config.includeRequestIds()));
        this.pipeline = new Pipeline(config.pipeline(), bindings, "vigil-writer", b.ticker, b.sleeper);
        this.helpers = new EventHelpers(this);
        if (config.pipeline().shutdownHook()) {
            shutdownHook = new Thread(() -> close(), "vigil-shutdown");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        } else {
            shutdownHook = null;
        }
    }

    /** A builder with defaults: enabled, every event kept, default redaction and pipeline, no sinks yet. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public CompletableFuture<AuditReceipt> record(AuditEvent.Builder builder) {
        State s = state;
        AuditEvent.Builder event = builder.copy(); // the caller's builder stays as it was, so it can be reused
        Instant now = null;
        if (event.timestamp().isEmpty()) {
            now = clock.instant();
            event.timestamp(now);
        }
        if (event.id().isEmpty()) {
            event.id(EventIds.next((now != null ? now : clock.instant()).toEpochMilli()));
        }
        if (service.isPresent() && event.service().isEmpty()) {
            event.service(service.get());
        }
        AuditContext ctx = AuditContext.current();
        if (ctx != AuditContext.EMPTY) {
            ctx.applyTo(event);
        }
        return submit(event.build(), s);
    }

    /**
     * Records an already built event, keeping its id and timestamp; unset correlation fields are filled from the
     * current {@link AuditContext}.
     */
    public CompletableFuture<AuditReceipt> record(AuditEvent event) {
        Objects.requireNonNull(event, "event");
        AuditContext ctx = AuditContext.current();
        boolean needsService = service.isPresent() && event.service().isEmpty();
        if (ctx != AuditContext.EMPTY || needsService) {
            AuditEvent.Builder b = event.toBuilder();
            if (needsService) {
                b.service(service.get());
            }
            if (ctx != AuditContext.EMPTY) {
                ctx.applyTo(b);
            }
            event = b.build();
        }
        return submit(event, state);
    }

    private CompletableFuture<AuditReceipt> submit(AuditEvent e, State s) {
        if (!s.config().enabled() || !s.config().filter().test(e)) {
            pipeline.countFiltered();
            return CompletableFuture.completedFuture(new AuditReceipt(e.id(), AuditReceipt.Status.FILTERED,
                    OptionalLong.empty(), Optional.empty()));
        }
        return pipeline.submit(e, s.redactor());
    }

    /** Authentication events: logins, logouts, tokens, passwords, MFA, API keys, devices. */
    public AuthEvents auth() {
        return helpers.auth();
    }

    /** Authorization events: access decisions, permissions, roles. */
    public AuthzEvents authz() {
        return helpers.authz();
    }

    /** Administrative changes: settings, users, channels, elevated execution. */
    public AdminEvents admin() {
        return helpers.admin();
    }

    /**
     * Events about the application's configuration: loads, changes, reloads, rejections. Named apart from
     * {@link #currentConfig()} and {@link Builder#config}, which are this log's own configuration.
     */
    public ConfigEvents configEvents() {
        return helpers.configEvents();
    }

    /** Throttling: limited requests and channels, authentication backoff. */
    public RateLimitEvents rateLimit() {
        return helpers.rateLimit();
    }

    /** Channel lifecycle: connects, disconnects, additions, removals, errors. */
    public ChannelEvents channel() {
        return helpers.channel();
    }

    /** Session lifecycle: start, renew, end, timeout. */
    public SessionEvents session() {
        return helpers.session();
    }

    /** Access to sensitive data: reads, writes, deletes, exports, shares. */
    public DataEvents data() {
        return helpers.data();
    }

    /** Detections: anomalies, brute force, suspicious activity, attacks. */
    public SecurityEvents security() {
        return helpers.security();
    }

    /** The configuration in force. */
    public VigilConfig currentConfig() {
        return state.config();
    }

    /** Counters since the log was built. */
    public AuditStats stats() {
        return pipeline.stats();
    }

    /**
     * Replaces the configuration. Sinks whose declaration is unchanged stay open (a changed filter alone keeps the
     * sink); new sinks are opened before anything is switched, so a sink that cannot open leaves the old
     * configuration in force. Events queued before the call are written to the old sinks first (the call waits for
     * that, at most the shutdown timeout). Pipeline options (queue, batch, overflow, retry) are fixed when the log is built; a change to them is
     * logged and ignored.
     *
     * @throws AuditException when a new sink cannot be opened or a custom sink is not registered
     */
    public void reconfigure(VigilConfig next) {
        Objects.requireNonNull(next, "config");
        synchronized (reconfigureLock) {
            if (closing.get()) {
                throw new AuditException("the audit log is closed; it cannot be reconfigured");
            }
            State before = state;
            if (!next.pipeline().equals(before.config().pipeline())) {
                LOG.warn("audit pipeline options changed in configuration; they take effect when the log is next built");
            }
            List<SinkBinding> bindings = SinkBinder.bind(next, pipeline.sinks(), customSinks, clock);
            Map<String, Object> change = Map.of("enabled", next.enabled(),
                    "sinks", next.sinks().stream().map(SinkConfig::name).toList());
            // Record the change where it will be kept: under the old configuration when that one audits (so
            // switching auditing off is itself audited), otherwise under the new one.
            boolean recordedBefore = selfAudit && before.config().enabled();
            if (recordedBefore) {
                recordSelf(EventCatalog.AUDIT_CONFIG_CHANGED, change);
            }
            // What was recorded under the old configuration goes to the old sinks (switching a sink or the whole
            // log off must not swallow what is still queued for it).
            if (!pipeline.flush(before.config().pipeline().shutdownTimeout())) {
                LOG.warn("audit queue did not drain before reconfiguration; events still queued go to the new sinks");
            }
            state = new State(next, new Redactor(next.redaction(), next.includeRequestIds()));
            pipeline.replaceSinks(bindings);
            LOG.info("audit configuration changed: enabled={}, sinks={}", next.enabled(), change.get("sinks"));
            if (selfAudit && !recordedBefore) {
                recordSelf(EventCatalog.AUDIT_CONFIG_CHANGED, change);
            }
        }
    }

    /**
     * Applies the configuration file whenever its content changes to a valid configuration; an invalid file is
     * logged and the configuration in force kept. Close the returned watcher to stop.
     */
    public ConfigWatcher watchConfig(Path configFile, Duration pollInterval) {
        ConfigWatcher w = ConfigWatcher.start(configFile, pollInterval, this::reconfigure);
        watchers.add(w);
        return w;
    }

    /**
     * Waits until every event recorded before this call has been handed to the sinks and the sinks flushed.
     *
     * @return false when the timeout passed first
     */
    public boolean flush(Duration timeout) {
        return pipeline.flush(timeout);
    }

    /** Stops accepting events and drains the queue into the sinks, waiting at most the configured shutdown timeout. */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        for (ConfigWatcher w : watchers) {
            w.close();
        }
        if (selfAudit) {
            recordSelf(EventCatalog.AUDIT_STOPPED, Map.of("recorded", pipeline.stats().recorded()));
        }
        boolean drained;
        synchronized (reconfigureLock) { // no reconfiguration half-way through closing
            drained = pipeline.close(state.config().pipeline().shutdownTimeout());
        }
        // Sinks the application supplied but no longer declared were left open by the writer; close them now.
        Set<AuditSink> closedByWriter = Collections.newSetFromMap(new IdentityHashMap<>());
        for (SinkBinding b : pipeline.sinks()) {
            closedByWriter.add(b.sink());
        }
        for (Map.Entry<String, AuditSink> e : customSinks.entrySet()) {
            if (!closedByWriter.contains(e.getValue())) {
                try {
                    e.getValue().close();
                } catch (Exception ex) {
                    LOG.error("audit sink '{}' failed to close cleanly: {}", e.getKey(), ex.toString(), ex);
                }
            }
        }
        if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the JVM is exiting; the hook will find the log closed
            }
        }
        AuditStats s = pipeline.stats();
        if (!drained || s.failed() > 0 || s.dropped() > 0) {
            LOG.warn("audit log closed: recorded={} written={} failed={} dropped={} filtered={}", s.recorded(),
                    s.written(), s.failed(), s.dropped(), s.filtered());
        } else {
            LOG.debug("audit log closed: recorded={} written={}", s.recorded(), s.written());
        }
    }

    private void recordSelf(EventType type, Map<String, Object> details) {
        try {
            record(AuditEvent.builder(type).actor(Actor.system()).details(details));
        } catch (RuntimeException e) {
            LOG.warn("could not record the audit system's own event {}: {}", type, e.toString());
        }
    }

    /**
     * Builds an {@link AuditLog}; validates everything in {@link #build()}, which also opens the sinks, so a log
     * that builds can write.
     */
    public static final class Builder {
        private boolean enabled = true;
        private EventFilter filter = EventFilter.ALL;
        private boolean includeRequestIds = true;
        private RedactionPolicy redaction = RedactionPolicy.DEFAULT;
        private PipelineOptions pipeline = PipelineOptions.DEFAULT;
        private final List<SinkConfig> sinkConfigs = new ArrayList<>();
        private final Map<String, AuditSink> customSinks = new LinkedHashMap<>();
        private Clock clock = Clock.systemUTC();
        private Ticker ticker = Ticker.system();
        private Sleeper sleeper = Sleeper.system();
        private String service;
        private boolean selfAudit = true;

        private Builder() {
        }

        /**
         * Takes every setting from a configuration, replacing what was set before. Sinks registered with
         * {@link #sink} are kept: a custom sink the configuration declares gets its filter from there, and one it
         * does not declare receives every event.
         */
        public Builder config(VigilConfig config) {
            Objects.requireNonNull(config, "config");
            enabled = config.enabled();
            filter = config.filter();
            includeRequestIds = config.includeRequestIds();
            redaction = config.redaction();
            pipeline = config.pipeline();
            sinkConfigs.clear();
            sinkConfigs.addAll(config.sinks());
            return this;
        }

        /** Registers a sink that receives every event the log keeps. */
        public Builder sink(String name, AuditSink sink) {
            return sink(name, sink, EventFilter.ALL);
        }

        /**
         * Registers a sink with its own filter. If the configuration already declares a custom sink of this name,
         * this supplies its instance; otherwise the sink is added.
         */
        public Builder sink(String name, AuditSink sink, EventFilter filter) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(sink, "sink");
            Objects.requireNonNull(filter, "filter");
            if (customSinks.putIfAbsent(name, sink) != null) {
                throw new IllegalArgumentException("a sink named '" + name + "' is already registered");
            }
            boolean declared = sinkConfigs.stream().anyMatch(s -> s.name().equals(name));
            if (!declared) {
                sinkConfigs.add(new SinkConfig.Custom(name, filter));
            }
            return this;
        }

        public Builder enabled(boolean v) { enabled = v; return this; }
        public Builder filter(EventFilter v) { filter = Objects.requireNonNull(v, "filter"); return this; }
        public Builder includeRequestIds(boolean v) { includeRequestIds = v; return this; }
        public Builder redaction(RedactionPolicy v) { redaction = Objects.requireNonNull(v, "redaction"); return this; }
        public Builder pipeline(PipelineOptions v) { pipeline = Objects.requireNonNull(v, "pipeline"); return this; }
        /** The clock for ids, timestamps and daily rotation; tests inject a fixed or stepping clock. */
        public Builder clock(Clock v) { clock = Objects.requireNonNull(v, "clock"); return this; }
        /** The pipeline's measure of waits (deadlines, rate limits); tests move it by hand. */
        Builder ticker(Ticker v) { ticker = Objects.requireNonNull(v, "ticker"); return this; }
        /** How the pipeline waits (retry backoff, polling); tests record the waits instead of sleeping. */
        Builder sleeper(Sleeper v) { sleeper = Objects.requireNonNull(v, "sleeper"); return this; }
        /** The service name stamped on events that do not name one. */
        public Builder service(String v) { service = Objects.requireNonNull(v, "service"); return this; }
        /** Whether the log records its own start, stop and configuration changes ({@code audit.*}); default true. */
        public Builder selfAudit(boolean v) { selfAudit = v; return this; }

        /**
         * Validates the settings, opens the sinks and starts the writer thread.
         *
         * @throws AuditException when a sink cannot be opened (the message names the path) or none is configured
         */
        public AuditLog build() {
            // A sink registered in code but not declared by a configuration given later still receives events.
            for (String name : customSinks.keySet()) {
                if (sinkConfigs.stream().noneMatch(s -> s.name().equals(name))) {
                    sinkConfigs.add(new SinkConfig.Custom(name, EventFilter.ALL));
                }
            }
            VigilConfig config = new VigilConfig(enabled, filter, includeRequestIds, redaction, pipeline, sinkConfigs);
            for (SinkConfig sc : config.sinks()) {
                if (sc instanceof SinkConfig.Custom && !customSinks.containsKey(sc.name())) {
                    throw new AuditException("sink '" + sc.name() + "' is declared custom but no sink of that name was "
                            + "registered (AuditLog.builder().sink(\"" + sc.name() + "\", ...))");
                }
            }
            List<SinkBinding> bindings = SinkBinder.bind(config, List.of(), customSinks, clock);
            AuditLog log = new AuditLog(this, config, bindings);
            if (selfAudit && config.enabled()) {
                log.recordSelf(EventCatalog.AUDIT_STARTED, Map.of("sinks", config.sinks().stream().map(SinkConfig::name).toList()));
            }
            return log;
        }
    }
}
