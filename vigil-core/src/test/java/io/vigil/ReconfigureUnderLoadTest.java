package io.vigil;

import io.vigil.config.SinkConfig;
import io.vigil.config.VigilConfig;
import io.vigil.event.AuditEvent;
import io.vigil.event.Category;
import io.vigil.event.EventCatalog;
import io.vigil.filter.EventFilter;
import io.vigil.redact.RedactionPolicy;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class ReconfigureUnderLoadTest {

    @Test
    void reconfiguringWhileEightThreadsRecordLosesAndDuplicatesNothing() throws Exception {
        TestSinks.Collecting steady = new TestSinks.Collecting();
        TestSinks.Collecting sometimes = new TestSinks.Collecting();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong accepted = new AtomicLong();
        try (AuditLog log = AuditLog.builder().selfAudit(false)
                .pipeline(PipelineOptions.DEFAULT.withBlockTimeout(Duration.ofSeconds(30)).withShutdownHook(false))
                .sink("steady", steady).sink("sometimes", sometimes).build()) {
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                Thread w = new Thread(() -> {
                    long n = 0;
                    while (!stop.get()) {
                        log.record(AuditEvent.builder(n % 2 == 0 ? EventCatalog.AUTH_LOGIN_SUCCESS
                                : EventCatalog.AUTHZ_ACCESS_DENIED).detail("thread", thread).detail("n", n)
                                .detail("password", "hunter2"));
                        n++;
                        accepted.incrementAndGet();
                    }
                });
                w.start();
                workers.add(w);
            }
            VigilConfig base = log.currentConfig();
            for (int round = 0; round < 20; round++) {
                boolean withSecond = round % 3 != 2;
                EventFilter secondFilter = round % 2 == 0 ? EventFilter.ALL
                        : EventFilter.ALL.withCategories(EnumSet.of(Category.AUTHZ));
                List<SinkConfig> sinks = new ArrayList<>();
                sinks.add(new SinkConfig.Custom("steady", EventFilter.ALL));
                if (withSecond) {
                    sinks.add(new SinkConfig.Custom("sometimes", secondFilter));
                }
                log.reconfigure(new VigilConfig(true, EventFilter.ALL, round % 2 == 0,
                        RedactionPolicy.DEFAULT.withEnabled(round % 4 != 3), base.pipeline(), sinks));
                Thread.sleep(5);
            }
            stop.set(true);
            for (Thread w : workers) {
                w.join();
            }
            assertThat(log.flush(Duration.ofSeconds(30))).isTrue();
            List<AuditEvent> got = steady.snapshot();
            assertThat(got).hasSize((int) accepted.get());
            Map<UUID, Integer> seen = new HashMap<>();
            long[] next = new long[8];
            for (AuditEvent e : got) {
                seen.merge(e.id(), 1, Integer::sum);
                int t = ((Number) e.details().get("thread")).intValue();
                assertThat(((Number) e.details().get("n")).longValue()).isEqualTo(next[t]++);
            }
            assertThat(seen.values()).allMatch(c -> c == 1);
            assertThat(log.stats().dropped()).isZero();
            assertThat(log.stats().failed()).isZero();
            // the sometimes-sink never saw an event twice either
            List<AuditEvent> partial = sometimes.snapshot();
            assertThat(partial.stream().map(AuditEvent::id).distinct().count()).isEqualTo(partial.size());
        }
    }
}
