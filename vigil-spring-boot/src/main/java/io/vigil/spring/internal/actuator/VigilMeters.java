package io.vigil.spring.internal.actuator;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.vigil.AuditLog;
import io.vigil.AuditStats;
import io.vigil.spring.internal.ledger.VigilLedger;

import java.util.function.ToDoubleFunction;

/**
 * The meters: {@code vigil.events} by {@code result} (recorded, written, filtered, dropped, failed),
 * {@code vigil.queue.depth}, {@code vigil.queue.capacity}, {@code vigil.ledger.size},
 * {@code vigil.ledger.checkpoint.age} (seconds; NaN before the first checkpoint of this process) and
 * {@code vigil.ledger.write.failures} (failed write attempts, retries included).
 */
public final class VigilMeters implements MeterBinder {
    private final AuditLog log;
    private final VigilLedger ledger;
    private final LedgerStatus status;

    public VigilMeters(AuditLog log, VigilLedger ledger, LedgerStatus status) {
        this.log = log;
        this.ledger = ledger;
        this.status = status;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        counter(registry, "recorded", AuditStats::recorded, "events accepted into the queue");
        counter(registry, "written", AuditStats::written, "events every sink accepted");
        counter(registry, "filtered", AuditStats::filtered, "events the filters left out");
        counter(registry, "dropped", AuditStats::dropped, "events lost because the queue was full or closed");
        counter(registry, "failed", AuditStats::failed, "events a sink could not write after every retry");
        Gauge.builder("vigil.queue.depth", log, l -> l.stats().queueDepth())
                .description("events waiting in the queue").register(registry);
        Gauge.builder("vigil.queue.capacity", log, l -> l.stats().queueCapacity())
                .description("the queue's capacity").register(registry);
        Gauge.builder("vigil.ledger.size", ledger, l -> l.sink().size())
                .description("entries in the ledger").register(registry);
        Gauge.builder("vigil.ledger.checkpoint.age", status, s -> s.checkpointAgeSeconds().orElse(Double.NaN))
                .baseUnit("seconds").description("time since the newest signed checkpoint").register(registry);
        FunctionCounter.builder("vigil.ledger.write.failures", ledger, l -> l.sink().state().failedAttempts())
                .description("failed attempts to write to the ledger, retries included").register(registry);
    }

    private void counter(MeterRegistry registry, String result, ToDoubleFunction<AuditStats> f, String description) {
        FunctionCounter.builder("vigil.events", log, l -> f.applyAsDouble(l.stats()))
                .tag("result", result).description(description).register(registry);
    }
}
