package io.vigil.siem;

import io.vigil.event.Actor;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventCatalog;
import io.vigil.siem.internal.syslog.SyslogRecord;
import io.vigil.sink.EventFormat;
import io.vigil.sink.EventFormats;
import io.vigil.sink.SyslogOptions;
import io.vigil.sink.SyslogTransport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The syslog sink against a real rsyslogd: every event arrives once, as one record, intact and in order. */
class SyslogSinkRsyslogTest {
    private static final List<String> FORMATS = List.of("jsonl", "ocsf", "ecs", "cef");

    @TempDir
    Path tmp;

    @BeforeAll
    static void rsyslogPresent() {
        assumeTrue(Files.isExecutable(Rsyslog.BINARY), "rsyslogd is not installed");
    }

    /** Text that breaks naive framing and escaping: line breaks, quotes, brackets, pipes, equals, backslashes. */
    static AuditEvent event(int i) {
        String nasty = "Zoë \"q\" [b] x|y a=b c\\d 日本 😀 \n<13>1 2026-01-01T00:00:00Z evil x - - - injected\r\n]";
        return AuditEvent.builder(EventCatalog.AUTH_LOGIN_FAILURE)
                .id(new UUID(0x5157L, i))
                .timestamp(Instant.parse("2026-03-14T09:26:53.589Z").plusMillis(i))
                .tenant("acme \"eu\" [1] \\ 日本")
                .actor(Actor.user("u-" + i).withName(nasty + " #" + i))
                .reason("reason " + i + ": " + nasty)
                .detail("note", "n=" + i + " | " + nasty)
                .build();
    }

    static List<AuditEvent> events(int from, int count) {
        List<AuditEvent> out = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            out.add(event(i));
        }
        return out;
    }

    private SyslogOptions options(Rsyslog r, SyslogTransport transport, String spool) {
        SyslogOptions o = SyslogOptions.defaults("127.0.0.1", r.port(), tmp.resolve(spool))
                .withTransport(transport).withHostname("test-host")
                .withBackoff(Duration.ofMillis(20), Duration.ofMillis(200))
                .withConnectTimeout(Duration.ofSeconds(2));
        return transport == SyslogTransport.TLS ? o.withTrustFile(r.certificate()) : o;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("waiting for " + what).isNegative();
            Thread.sleep(20);
        }
    }

    private static void awaitRecords(Rsyslog r, int count) throws InterruptedException {
        await(count + " records", () -> {
            try {
                return r.records().size() >= count;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Parses every record and checks it is exactly {@code expected}, in order, each once and intact. */
    private static void assertReceived(Rsyslog r, List<AuditEvent> expected, EventFormat format) throws IOException {
        List<byte[]> raw = r.records();
        assertThat(raw).as("records received").hasSize(expected.size());
        for (int i = 0; i < raw.size(); i++) {
            SyslogRecord rec = SyslogRecord.parse(raw.get(i));
            AuditEvent e = expected.get(i);
            assertThat(rec.params()).as("record %d", i).containsAllEntriesOf(Map.of("id", e.id().toString(),
                    "type", e.type(), "outcome", e.outcome().jsonName(), "tenant", e.tenant().orElseThrow()));
            assertThat(rec.bom()).isTrue();
            assertThat(rec.msg()).isEqualTo(format.format(e, Optional.empty()));
            assertThat(rec.hostname()).isEqualTo("test-host");
            assertThat(rec.appName()).isEqualTo("vigil");
            assertThat(rec.msgId()).isEqualTo(e.type());
            assertThat(rec.sdId()).isEqualTo("vigil@" + SyslogOptions.EXAMPLE_ENTERPRISE_NUMBER);
        }
    }

    @ParameterizedTest
    @EnumSource(SyslogTransport.class)
    void everyFormatArrivesOnceAsOneIntactRecord(SyslogTransport transport) throws Exception {
        for (String name : FORMATS) {
            EventFormat format = EventFormats.require(name);
            try (Rsyslog r = new Rsyslog(tmp.resolve("rsyslog-" + name), transport).start()) {
                List<AuditEvent> events = events(0, 40);
                try (SyslogSink sink = SyslogSinks.open(options(r, transport, "spool-" + name), format)) {
                    sink.write(events.subList(0, 1));
                    sink.write(events.subList(1, 15));
                    sink.write(events.subList(15, 40));
                    awaitRecords(r, events.size());
                    await("delivery confirmed", () -> sink.stats().pendingBytes() == 0);
                    assertThat(sink.stats().sent()).isEqualTo(events.size());
                }
                assertReceived(r, events, format);
            }
        }
    }

    @Test
    void eventsAcceptedWhileTheReceiverIsDownArriveOnceInOrderWhenItStarts() throws Exception {
        try (Rsyslog r = new Rsyslog(tmp.resolve("rsyslog"), SyslogTransport.TLS)) {
            List<AuditEvent> events = events(0, 30);
            try (SyslogSink sink = SyslogSinks.open(options(r, SyslogTransport.TLS, "spool"), EventFormats.jsonl())) {
                for (int i = 0; i < 30; i += 10) {
                    assertThat(sink.write(events.subList(i, i + 10))).isEmpty();
                }
                assertThat(sink.stats().pendingBytes()).isPositive();
                assertThat(sink.stats().connected()).isFalse();
                r.start();
                awaitRecords(r, events.size());
                await("delivery confirmed", () -> sink.stats().pendingBytes() == 0);
            }
            assertReceived(r, events, EventFormats.jsonl());
        }
    }

    @ParameterizedTest
    @EnumSource(value = SyslogTransport.class, names = {"TCP", "TLS"})
    void aReceiverRestartBetweenBurstsLosesAndRepeatsNothing(SyslogTransport transport) throws Exception {
        try (Rsyslog r = new Rsyslog(tmp.resolve("rsyslog"), transport).start()) {
            List<AuditEvent> events = events(0, 90);
            try (SyslogSink sink = SyslogSinks.open(options(r, transport, "spool"), EventFormats.jsonl())) {
                sink.write(events.subList(0, 30));
                awaitRecords(r, 30);
                await("first burst confirmed", () -> sink.stats().pendingBytes() == 0);

                r.stop();
                await("the closed connection noticed", () -> !sink.stats().connected());
                sink.write(events.subList(30, 60));
                r.start();
                awaitRecords(r, 60);
                await("second burst confirmed", () -> sink.stats().pendingBytes() == 0);

                sink.write(events.subList(60, 90));
                awaitRecords(r, 90);
                await("third burst confirmed", () -> sink.stats().pendingBytes() == 0);
                assertThat(sink.stats().reconnects()).isPositive();
            }
            assertReceived(r, events, EventFormats.jsonl());
        }
    }

    @Test
    void aReopenedSinkSendsWhatTheClosedOneLeftInTheSpool() throws Exception {
        try (Rsyslog r = new Rsyslog(tmp.resolve("rsyslog"), SyslogTransport.TCP)) {
            List<AuditEvent> events = events(0, 20);
            SyslogOptions o = options(r, SyslogTransport.TCP, "spool");
            try (SyslogSink sink = SyslogSinks.open(o, EventFormats.jsonl())) {
                sink.write(events.subList(0, 15));
            }
            r.start();
            try (SyslogSink sink = SyslogSinks.open(o, EventFormats.jsonl())) {
                awaitRecords(r, 15);
                sink.write(events.subList(15, 20));
                awaitRecords(r, 20);
                await("delivery confirmed", () -> sink.stats().pendingBytes() == 0);
            }
            assertReceived(r, events, EventFormats.jsonl());
        }
    }

    @Test
    void aFullSpoolRefusesWritesAndLosesNothingItAccepted() throws Exception {
        try (Rsyslog r = new Rsyslog(tmp.resolve("rsyslog"), SyslogTransport.TCP)) {
            SyslogOptions o = options(r, SyslogTransport.TCP, "spool").withSpoolMaxBytes(1 << 20);
            List<AuditEvent> accepted = new ArrayList<>();
            try (SyslogSink sink = SyslogSinks.open(o, EventFormats.jsonl())) {
                int next = 0;
                while (true) {
                    List<AuditEvent> batch = new ArrayList<>();
                    for (int i = 0; i < 10; i++) {
                        batch.add(event(next++).toBuilder().detail("padding", "p".repeat(4000)).build());
                    }
                    try {
                        sink.write(batch);
                        accepted.addAll(batch);
                    } catch (IOException e) {
                        assertThat(e).hasMessageContaining("spool").hasMessageContaining("full");
                        break;
                    }
                }
                assertThat(accepted).hasSizeGreaterThan(100);
                r.start();
                awaitRecords(r, accepted.size());
                await("delivery confirmed", () -> sink.stats().pendingBytes() == 0);
                List<AuditEvent> more = events(10_000, 10);
                await("space reclaimed", () -> {
                    try {
                        sink.write(more);
                        return true;
                    } catch (IOException e) {
                        return false;
                    }
                });
                accepted.addAll(more);
                awaitRecords(r, accepted.size());
                await("delivery confirmed", () -> sink.stats().pendingBytes() == 0);
            }
            assertReceived(r, accepted, EventFormats.jsonl());
        }
    }

    @Test
    void anOversizedEventArrivesCutAsOneMarkedRecord() throws Exception {
        try (Rsyslog r = new Rsyslog(tmp.resolve("rsyslog"), SyslogTransport.TCP).start()) {
            AuditEvent big = event(1).toBuilder().detail("blob", "日本😀".repeat(2000)).build();
            SyslogOptions o = options(r, SyslogTransport.TCP, "spool").withMaxMessageBytes(2048);
            try (SyslogSink sink = SyslogSinks.open(o, EventFormats.jsonl())) {
                sink.write(List.of(big, event(2)));
                awaitRecords(r, 2);
                await("delivery confirmed", () -> sink.stats().pendingBytes() == 0);
            }
            List<byte[]> raw = r.records();
            assertThat(raw).hasSize(2);
            assertThat(raw.get(0).length).isLessThanOrEqualTo(2048);
            SyslogRecord cut = SyslogRecord.parse(raw.get(0));
            String line = EventFormats.jsonl().format(big, Optional.empty());
            assertThat(cut.params()).containsEntry("id", big.id().toString()).containsEntry("truncated", "true")
                    .containsEntry("length", Integer.toString(line.getBytes(StandardCharsets.UTF_8)
                            .length));
            assertThat(line).startsWith(cut.msg());
            assertThat(SyslogRecord.parse(raw.get(1)).params()).containsEntry("id", event(2).id().toString());
        }
    }

    @Test
    void tlsRefusesAReceiverOutsideTheTrustFile() throws Exception {
        try (Rsyslog r = new Rsyslog(tmp.resolve("rsyslog"), SyslogTransport.TLS).start()) {
            Rsyslog other = new Rsyslog(tmp.resolve("other"), SyslogTransport.TLS);
            SyslogOptions o = options(r, SyslogTransport.TLS, "spool").withTrustFile(other.certificate());
            try (SyslogSink sink = SyslogSinks.open(o, EventFormats.jsonl())) {
                sink.write(events(0, 3));
                await("a failed handshake", () -> sink.stats().failures() >= 2);
                assertThat(sink.stats().sent()).isZero();
                assertThat(sink.stats().connected()).isFalse();
                assertThat(sink.stats().pendingBytes()).isPositive();
            }
            assertThat(r.records()).isEmpty();
            assertThatThrownBy(() -> SyslogSinks.open(o.withTrustFile(tmp.resolve("missing.pem")),
                    EventFormats.jsonl())).isInstanceOf(IOException.class);
        }
    }

    @Test
    void tlsChecksTheReceiversNameAgainstItsCertificate() throws Exception {
        try (Rsyslog r = new Rsyslog(tmp.resolve("rsyslog"), SyslogTransport.TLS, "DNS:elsewhere.example").start()) {
            try (SyslogSink sink = SyslogSinks.open(options(r, SyslogTransport.TLS, "spool"), EventFormats.jsonl())) {
                sink.write(events(0, 3));
                await("a refused certificate", () -> sink.stats().failures() >= 2);
                assertThat(sink.stats().sent()).isZero();
            }
            assertThat(r.records()).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(value = SyslogTransport.class, names = {"TCP", "TLS"})
    void aReceiverRestartInTheMiddleOfAStreamLosesNothing(SyslogTransport transport) throws Exception {
        try (Rsyslog r = new Rsyslog(tmp.resolve("rsyslog"), transport).start()) {
            List<AuditEvent> written = new CopyOnWriteArrayList<>();
            AtomicBoolean restarted = new AtomicBoolean();
            try (SyslogSink sink = SyslogSinks.open(options(r, transport, "spool"), EventFormats.jsonl())) {
                // a steady stream that goes on until well after the restart, so that the restart falls inside it
                Thread producer = new Thread(() -> {
                    try {
                        int after = 0;
                        for (int i = 0; after < 50; i += 4) {
                            List<AuditEvent> batch = events(i, 4);
                            sink.write(batch);
                            written.addAll(batch);
                            after += restarted.get() ? 1 : 0;
                            Thread.sleep(2);
                        }
                    } catch (IOException | InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                });
                producer.start();
                awaitRecords(r, 60);
                r.stop();
                r.start();
                restarted.set(true);
                producer.join(30_000);
                assertThat(producer.isAlive()).isFalse();
                await("every event received", () -> {
                    try {
                        return firstSeen(r).size() == written.size();
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                });
                await("delivery confirmed", () -> sink.stats().pendingBytes() == 0);
            }
            // at least once, and in order of first arrival; a message read just before the restart may come twice
            assertThat(firstSeen(r)).containsExactlyElementsOf(written.stream().map(e -> e.id().toString()).toList());
        }
    }

    private static List<String> firstSeen(Rsyslog r) throws IOException {
        LinkedHashSet<String> ids = new LinkedHashSet<>();
        for (byte[] raw : r.records()) {
            ids.add(SyslogRecord.parse(raw).params().get("id"));
        }
        return new ArrayList<>(ids);
    }

    @Test
    void closeIsBoundedWhenTheReceiverStopsReadingAndTheRestIsSentLater() throws Exception {
        List<AuditEvent> events = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            events.add(event(i).toBuilder().detail("padding", "p".repeat(3000)).build());
        }
        try (Rsyslog r = new Rsyslog(tmp.resolve("rsyslog"), SyslogTransport.TCP);
             ServerSocket stuck = new ServerSocket()) {
            stuck.setReceiveBufferSize(4096);
            stuck.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            SyslogOptions o = options(r, SyslogTransport.TCP, "spool");
            long pending;
            SyslogOptions toStuck = new SyslogOptions(o.host(), stuck.getLocalPort(), o.transport(), o.trustFile(),
                    o.appName(), o.hostname(), o.facility(), o.enterpriseNumber(), o.spoolDir(), o.spoolMaxBytes(),
                    o.maxMessageBytes(), o.connectTimeout(), o.backoffMin(), o.backoffMax());
            try (SyslogSink sink = SyslogSinks.open(toStuck, EventFormats.jsonl())) {
                for (int i = 0; i < events.size(); i += 100) {
                    sink.write(events.subList(i, i + 100));
                }
                // accepted and held, never read: the sender fills the socket buffers, then blocks
                Socket accepted = stuck.accept();
                await("the sender blocked", () -> sink.stats().sent() > 0);
                long start = System.nanoTime();
                sink.close();
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
                pending = sink.stats().pendingBytes();
                assertThat(pending).as("what the receiver could not take stays spooled").isPositive();
                accepted.close();
            }
            r.start();
            try (SyslogSink sink = SyslogSinks.open(o, EventFormats.jsonl())) {
                await("the rest delivered", () -> sink.stats().pendingBytes() == 0);
            }
            // the rest is a suffix of what was written: nothing skipped, nothing out of order
            List<byte[]> raw = r.records();
            assertThat(raw).isNotEmpty();
            int from = events.size() - raw.size();
            assertReceived(r, events.subList(from, events.size()), EventFormats.jsonl());
        }
    }
}
