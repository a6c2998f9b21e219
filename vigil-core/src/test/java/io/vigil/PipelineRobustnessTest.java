package io.vigil;

import io.vigil.config.ConfigLoader;
import io.vigil.config.SinkConfig;
import io.vigil.config.VigilConfig;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventCatalog;
import io.vigil.filter.EventFilter;
import io.vigil.sink.Sinks;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The edges where pipelines usually lose events: closing under load, failing handlers, reconfiguration. */
class PipelineRobustnessTest {

    private static PipelineOptions options() {
        return PipelineOptions.DEFAULT.withShutdownHook(false)
                .withRetry(new RetryPolicy(2, Duration.ofMillis(1), Duration.ofMillis(2)));
    }

    @RepeatedTest(20)
    void closingWhileThreadsRecordAnswersEveryReceipt() throws Exception {
        TestSinks.Collecting sink = new TestSinks.Collecting();
        AuditLog log = AuditLog.builder().selfAudit(false).pipeline(options()).sink("c", sink).build();
        ConcurrentLinkedQueue<CompletableFuture<AuditReceipt>> receipts = new ConcurrentLinkedQueue<>();
        CountDownLatch started = new CountDownLatch(6);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
            Thread th = new Thread(() -> {
                started.countDown();
                for (int i = 0; i < 5_000; i++) {
                    receipts.add(log.record(AuditEvent.builder(EventCatalog.DATA_READ).detail("i", i)));
                }
            });
            th.start();
            threads.add(th);
        }
        started.await();
        log.close();
        for (Thread th : threads) {
            th.join();
        }
        long written = 0;
        for (CompletableFuture<AuditReceipt> r : receipts) {
            assertThat(r.handle((ok, failure) -> true)).as("every receipt is answered")
                    .succeedsWithin(Duration.ofSeconds(10));
        }
        for (CompletableFuture<AuditReceipt> r : receipts) {
            if (!r.isCompletedExceptionally()) {
                written++;
            }
        }
        AuditStats s = log.stats();
        assertThat(sink.snapshot()).hasSize((int) written);
        assertThat(s.written() + s.dropped() + s.failed()).isEqualTo(receipts.size());
    }

    @Test
    void aHandlerThrowingAnErrorFailsItsEventsButNotTheWriter() throws Exception {
        int[] calls = {0};
        List<String> seen = new ArrayList<>();
        try (AuditLog log = AuditLog.builder().selfAudit(false).pipeline(options())
                .sink("h", Sinks.handler(e -> {
                    if (calls[0]++ == 0) {
                        throw new AssertionError("boom");
                    }
                    seen.add(e.requestId().orElseThrow());
                })).build()) {
            CompletableFuture<AuditReceipt> first = log.record(AuditEvent.builder(EventCatalog.DATA_READ).requestId("a"));
            assertThat(first).failsWithin(Duration.ofSeconds(10));
            AuditReceipt second = log.record(AuditEvent.builder(EventCatalog.DATA_READ).requestId("b"))
                    .get(10, TimeUnit.SECONDS);
            assertThat(second.status()).isEqualTo(AuditReceipt.Status.WRITTEN);
            assertThat(log.stats().failed()).isEqualTo(1);
        }
        assertThat(seen).containsExactly("b");
    }

    @Test
    void aCustomSinkRemovedAndDeclaredAgainKeepsWorking() throws Exception {
        TestSinks.Collecting keep = new TestSinks.Collecting();
        TestSinks.Collecting toggled = new TestSinks.Collecting();
        try (AuditLog log = AuditLog.builder().selfAudit(false).pipeline(options())
                .sink("keep", keep).sink("toggled", toggled).build()) {
            VigilConfig both = log.currentConfig();
            VigilConfig one = new VigilConfig(true, EventFilter.ALL, true, both.redaction(), both.pipeline(),
                    List.of(new SinkConfig.Custom("keep", EventFilter.ALL)));
            log.reconfigure(one);
            log.record(AuditEvent.builder(EventCatalog.DATA_READ)).get(10, TimeUnit.SECONDS);
            log.reconfigure(both);
            assertThat(log.record(AuditEvent.builder(EventCatalog.DATA_READ)).get(10, TimeUnit.SECONDS).status())
                    .isEqualTo(AuditReceipt.Status.WRITTEN);
        }
        assertThat(keep.snapshot()).hasSize(2);
        assertThat(toggled.snapshot()).hasSize(1);
    }

    @Test
    void recordingOneBuilderTwiceGivesTwoEvents() throws Exception {
        TestSinks.Collecting sink = new TestSinks.Collecting();
        try (AuditLog log = AuditLog.builder().selfAudit(false).pipeline(options()).sink("c", sink).build()) {
            AuditEvent.Builder b = AuditEvent.builder(EventCatalog.AUTH_LOGOUT);
            try (AuditContext.Scope s = AuditContext.builder().requestId("r1").build().open()) {
                log.record(b).get();
            }
            try (AuditContext.Scope s = AuditContext.builder().requestId("r2").build().open()) {
                log.record(b).get();
            }
        }
        List<AuditEvent> got = sink.snapshot();
        assertThat(got.get(0).id()).isNotEqualTo(got.get(1).id());
        assertThat(got).extracting(e -> e.requestId().orElseThrow()).containsExactly("r1", "r2");
    }

    @Test
    void switchingAuditingOffIsItselfAudited(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("audit.jsonl");
        String on = "enabled: true\nfilePath: " + file + "\n";
        try (AuditLog log = AuditLog.builder().config(ConfigLoader.parseYaml(on, "on")).build()) {
            log.reconfigure(ConfigLoader.parseYaml("enabled: false\nfilePath: " + file + "\n", "off"));
        }
        assertThat(Files.readString(file)).contains("audit.started").contains("audit.config.changed")
                .contains("\"enabled\":false");
    }

    @Test
    void twoFileSinksOnOneFileAreRejected(@TempDir Path dir) {
        String yaml = "enabled: true\nsinks:\n  - {type: file, name: a, path: " + dir.resolve("x.jsonl")
                + "}\n  - {type: file, name: b, path: " + dir.resolve("./x.jsonl") + "}\n";
        VigilConfig config = ConfigLoader.parseYaml(yaml, "t");
        assertThatThrownBy(() -> AuditLog.builder().config(config).build()).isInstanceOf(AuditException.class)
                .hasMessageContaining("same file");
    }

    @Test
    void aClosedLogCannotBeReconfigured() {
        AuditLog log = AuditLog.builder().selfAudit(false).pipeline(options())
                .sink("c", new TestSinks.Collecting()).build();
        VigilConfig c = log.currentConfig();
        log.close();
        assertThatThrownBy(() -> log.reconfigure(c)).isInstanceOf(AuditException.class).hasMessageContaining("closed");
    }

    @Test
    void aRegisteredSinkSurvivesALaterConfig(@TempDir Path dir) throws Exception {
        TestSinks.Collecting sink = new TestSinks.Collecting();
        try (AuditLog log = AuditLog.builder().selfAudit(false).sink("mine", sink)
                .config(ConfigLoader.parseYaml("enabled: true\nfilePath: " + dir.resolve("a.jsonl") + "\n", "t"))
                .pipeline(options()).build()) {
            log.record(AuditEvent.builder(EventCatalog.DATA_READ)).get(10, TimeUnit.SECONDS);
        }
        assertThat(sink.snapshot()).hasSize(1);
        assertThat(Files.readAllLines(dir.resolve("a.jsonl"))).hasSize(1);
    }
}
