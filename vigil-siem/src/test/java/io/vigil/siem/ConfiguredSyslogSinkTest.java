package io.vigil.siem;

import io.vigil.AuditLog;
import io.vigil.config.ConfigLoader;
import io.vigil.event.AuditEvent;
import io.vigil.siem.internal.syslog.SyslogRecord;
import io.vigil.sink.EventFormat;
import io.vigil.sink.EventFormats;
import io.vigil.sink.SyslogTransport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A {@code syslog} sink declared in configuration is opened through this module's provider and delivers. */
class ConfiguredSyslogSinkTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void rsyslogPresent() {
        assumeTrue(Files.isExecutable(Rsyslog.BINARY), "rsyslogd is not installed");
    }

    @Test
    void aDeclaredSyslogSinkSendsTheFormatItNames() throws Exception {
        try (Rsyslog r = new Rsyslog(dir.resolve("rsyslog"), SyslogTransport.TCP).start()) {
            String yaml = """
                    enabled: true
                    sinks:
                      - type: syslog
                        name: siem
                        host: 127.0.0.1
                        port: %d
                        transport: tcp
                        hostname: app-1
                        format: ocsf
                        spool: {dir: %s}
                        backoff: {min: 20ms, max: 200ms}
                    """.formatted(r.port(), dir.resolve("spool"));
            List<AuditEvent> events = SyslogSinkRsyslogTest.events(0, 25);
            try (AuditLog log = AuditLog.builder().config(ConfigLoader.parseYaml(yaml, "app.yml")).selfAudit(false)
                    .build()) {
                for (AuditEvent e : events) {
                    log.record(e).join();
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (r.records().size() < events.size()) {
                assertThat(System.nanoTime() - deadline).as("waiting for the records").isNegative();
                Thread.sleep(20);
            }
            List<byte[]> raw = r.records();
            assertThat(raw).hasSize(events.size());
            EventFormat ocsf = EventFormats.require("ocsf");
            for (int i = 0; i < raw.size(); i++) {
                SyslogRecord rec = SyslogRecord.parse(raw.get(i));
                assertThat(rec.hostname()).isEqualTo("app-1");
                assertThat(rec.params()).containsEntry("id", events.get(i).id().toString());
                assertThat(rec.msg()).isEqualTo(ocsf.format(events.get(i), Optional.empty()));
            }
        }
    }
}
