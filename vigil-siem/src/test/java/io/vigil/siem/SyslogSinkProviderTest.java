package io.vigil.siem;

import io.vigil.config.SinkConfig;
import io.vigil.filter.EventFilter;
import io.vigil.sink.AuditSink;
import io.vigil.sink.EventFormats;
import io.vigil.sink.SinkProvider;
import io.vigil.sink.SyslogOptions;
import io.vigil.sink.SyslogTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code syslog} sink type is found through the SPI and opens the declared sink. */
class SyslogSinkProviderTest {
    @TempDir
    Path tmp;

    private static SinkProvider provider() {
        List<SinkProvider> found = ServiceLoader.load(SinkProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.type().equals("syslog")).toList();
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    @Test
    void opensADeclaredSyslogSinkWithItsSpool() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort(); // closed again: nothing listens there, so the events stay spooled
        }
        SyslogOptions o = SyslogOptions.defaults("127.0.0.1", port, tmp.resolve("spool"))
                .withTransport(SyslogTransport.TCP);
        SinkConfig.Syslog config = new SinkConfig.Syslog("siem", o, "cef", EventFilter.ALL);
        try (AuditSink sink = provider().open(config, EventFormats.jsonl(), Clock.systemUTC())) {
            assertThat(sink).isInstanceOf(SyslogSink.class);
            assertThat(sink.write(SyslogSinkRsyslogTest.events(0, 2))).isEmpty();
            assertThat(((SyslogSink) sink).stats().pendingBytes()).isPositive();
        }
        assertThat(Files.isDirectory(tmp.resolve("spool"))).isTrue();
    }

    @Test
    void refusesAnotherKindOfSink() {
        SinkConfig.Stdout stdout = new SinkConfig.Stdout("out", EventFilter.ALL);
        assertThatThrownBy(() -> provider().open(stdout, EventFormats.jsonl(), Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out");
    }
}
