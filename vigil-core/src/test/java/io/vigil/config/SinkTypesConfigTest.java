package io.vigil.config;

import io.vigil.AuditException;
import io.vigil.AuditLog;
import io.vigil.sink.KafkaKey;
import io.vigil.sink.KafkaSinkOptions;
import io.vigil.sink.SyslogOptions;
import io.vigil.sink.SyslogTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The syslog and Kafka sink declarations, and every sink's format, as configuration reads them. */
class SinkTypesConfigTest {
    @TempDir
    Path dir;

    private static String problem(String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parseYaml(yaml, "app.yml"));
        assertThat(e).as("an error for %s", yaml).isNotNull();
        assertThat(e.problems()).as(e.getMessage()).hasSize(1);
        return e.problems().get(0);
    }

    @Test
    void syslogSinkTakesEverySetting() {
        VigilConfig c = ConfigLoader.parseYaml("""
                sinks:
                  - type: syslog
                    name: siem
                    host: siem.example.com
                    port: 10514
                    transport: tls
                    trustFile: /etc/app/ca.pem
                    format: cef
                    appName: shop
                    hostname: shop-1
                    facility: 4
                    enterpriseNumber: 55555
                    spool: {dir: /var/spool/shop, maxSize: 2MB}
                    maxMessageSize: 8KB
                    connectTimeout: 2s
                    backoff: {min: 50ms, max: 5s}
                """, "app.yml");
        SinkConfig.Syslog s = (SinkConfig.Syslog) c.sinks().get(0);
        assertThat(s.format()).isEqualTo("cef");
        assertThat(s.options()).isEqualTo(new SyslogOptions("siem.example.com", 10514, SyslogTransport.TLS,
                Optional.of(Path.of("/etc/app/ca.pem")), "shop", Optional.of("shop-1"), 4, 55555,
                Path.of("/var/spool/shop"), 2L << 20, 8192, Duration.ofSeconds(2), Duration.ofMillis(50),
                Duration.ofSeconds(5)));
    }

    @Test
    void syslogDefaultsFollowTheTransport() {
        VigilConfig c = ConfigLoader.parseYaml("""
                sinks:
                  - {type: syslog, name: a, host: h}
                  - {type: syslog, name: b, host: h, transport: udp}
                  - {type: syslog, name: c, host: h, transport: tcp}
                """, "app.yml");
        SyslogOptions a = ((SinkConfig.Syslog) c.sinks().get(0)).options();
        assertThat(a.transport()).isEqualTo(SyslogTransport.TLS);
        assertThat(a.port()).isEqualTo(6514);
        assertThat(a.spoolDir()).isEqualTo(Path.of(System.getProperty("user.home"), ".vigil", "spool", "a"));
        assertThat(a.enterpriseNumber()).isEqualTo(SyslogOptions.EXAMPLE_ENTERPRISE_NUMBER);
        assertThat(a.facility()).isEqualTo(SyslogOptions.LOG_AUDIT);
        assertThat(c.sinks().get(0).format()).isEqualTo("jsonl");
        assertThat(((SinkConfig.Syslog) c.sinks().get(1)).options().port()).isEqualTo(514);
        assertThat(((SinkConfig.Syslog) c.sinks().get(2)).options().port()).isEqualTo(514);
    }

    @Test
    void syslogMistakesAreNamed() {
        assertThat(problem("sinks: [{type: syslog}]"))
                .isEqualTo("sinks[0].host: is required; the receiver's host name or address, e.g. host: siem.example.com");
        assertThat(problem("sinks: [{type: syslog, host: h, port: 70000}]"))
                .isEqualTo("sinks[0].port: 70000 is out of range; expected a whole number from 1 to 65535");
        assertThat(problem("sinks: [{type: syslog, host: h, transport: udp, trustFile: /ca.pem}]"))
                .isEqualTo("sinks[0].trustFile: applies only to transport tls, but transport is 'udp'");
        assertThat(problem("sinks: [{type: syslog, host: h, transport: sctp}]"))
                .isEqualTo("sinks[0].transport: 'sctp' is not allowed; allowed: tls, tcp, udp");
        assertThat(problem("sinks: [{type: syslog, host: h, appName: 'my app'}]"))
                .startsWith("sinks[0].appName: 'my app' must be 1 to 48 printable ASCII characters without spaces");
        assertThat(problem("sinks: [{type: syslog, host: h, backoff: {min: 10s, max: 1s}}]"))
                .isEqualTo("sinks[0].backoff: min (10s) must be more than 0ms and at most max (1s)");
        assertThat(problem("sinks: [{type: syslog, host: h, spool: {dir: /s, size: 1GB}}]"))
                .isEqualTo("unknown key 'size' at sinks[0].spool; allowed: dir, maxSize");
        assertThat(problem("sinks: [{type: syslog, host: h, spool: {maxSize: 1KB}}]"))
                .startsWith("sinks[0].spool.maxSize: ");
        assertThat(problem("sinks: [{type: syslog, host: h, path: /x}]")).startsWith("sinks[0].path: does not apply"
                + " to a syslog sink; keys of syslog sinks: type, name, filter, format, host, port, transport,");
    }

    @Test
    void kafkaSinkTakesEverySetting() {
        VigilConfig c = ConfigLoader.parseYaml("""
                sinks:
                  - type: kafka
                    bootstrap: k1:9092, k2:9093
                    topic: vigil.audit
                    keyBy: chain
                    chain: shop-1
                    format: ocsf
                    eventsPerRecord: 16
                    properties:
                      security.protocol: SSL
                      linger:
                        ms: 5
                """, "app.yml");
        SinkConfig.Kafka k = (SinkConfig.Kafka) c.sinks().get(0);
        assertThat(k.name()).isEqualTo("kafka");
        assertThat(k.format()).isEqualTo("ocsf");
        assertThat(k.options()).isEqualTo(new KafkaSinkOptions("k1:9092, k2:9093", "vigil.audit", KafkaKey.CHAIN,
                "shop-1", Map.of("security.protocol", "SSL", "linger.ms", "5"), OptionalInt.of(16)));
    }

    @Test
    void kafkaPropertiesFromAPropertiesFileAreTheSame() throws IOException {
        Properties p = new Properties();
        p.load(new StringReader("""
                vigil.sinks[0].type=kafka
                vigil.sinks[0].bootstrap=k1:9092
                vigil.sinks[0].topic=t
                vigil.sinks[0].chain=c
                vigil.sinks[0].properties.security.protocol=SSL
                vigil.sinks[0].properties.ssl.truststore.location=/etc/app/truststore.p12
                """));
        SinkConfig.Kafka k = (SinkConfig.Kafka) ConfigLoader.parseProperties(p, "app.properties").sinks().get(0);
        assertThat(k.options().keyBy()).isEqualTo(KafkaKey.TENANT);
        // unset: the format's own, many a record for the jsonl a sequencer reads, one for a SIEM's connector
        assertThat(k.options().eventsPerRecord()).isEmpty();
        assertThat(k.options().eventsPerRecord("jsonl")).isEqualTo(KafkaSinkOptions.JSONL_EVENTS_PER_RECORD);
        assertThat(k.options().eventsPerRecord("ocsf")).isEqualTo(1);
        assertThat(k.options().properties()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "security.protocol", "SSL", "ssl.truststore.location", "/etc/app/truststore.p12"));
    }

    @Test
    void kafkaMistakesAreNamed() {
        assertThat(problem("sinks: [{type: kafka, topic: t}]"))
                .isEqualTo("sinks[0].bootstrap: is required; the brokers, e.g. bootstrap: kafka-1:9092,kafka-2:9092");
        assertThat(problem("sinks: [{type: kafka, bootstrap: k1, topic: t}]"))
                .isEqualTo("sinks[0].bootstrap: 'k1' is not host:port; expected host:port[,host:port...], e.g."
                        + " kafka-1:9092,kafka-2:9092");
        assertThat(problem("sinks: [{type: kafka, bootstrap: '[::1]:9092', topic: 'a b'}]"))
                .isEqualTo("sinks[0].topic: 'a b' is not a Kafka topic name; use 1 to 249 of a-z, A-Z, 0-9, '.',"
                        + " '_' and '-'");
        assertThat(problem("sinks: [{type: kafka, bootstrap: 'k:1', topic: t, keyBy: user}]"))
                .isEqualTo("sinks[0].keyBy: 'user' is not allowed; allowed: tenant, chain");
        assertThat(problem("sinks: [{type: kafka, bootstrap: 'k:1', topic: t, eventsPerRecord: 0}]"))
                .startsWith("sinks[0].eventsPerRecord: ").contains("1").contains("1024");
        assertThat(problem("sinks: [{type: kafka, bootstrap: 'k:1', topic: t, properties: {acks: [1]}}]"))
                .isEqualTo("sinks[0].properties.acks: expected a string, number or boolean, got a list");
    }

    @Test
    void formatIsCheckedForEverySinkButCustom() {
        assertThat(problem("sinks: [{type: file, path: /x, format: ocs}]"))
                .isEqualTo("sinks[0].format: 'ocs' is not allowed; allowed: jsonl, ocsf, ecs, cef; did you mean"
                        + " 'ocsf'?");
        assertThat(problem("sinks: [{type: custom, name: c, format: ocsf}]"))
                .isEqualTo("sinks[0].format: does not apply to a custom sink; keys of custom sinks: type, name,"
                        + " filter");
        VigilConfig c = ConfigLoader.parseYaml("sinks: [{type: stdout, format: ecs}, {type: file, path: /x}]",
                "app.yml");
        assertThat(c.sinks()).extracting(SinkConfig::format).containsExactly("ecs", "jsonl");
    }

    @Test
    void twoSyslogSinksCannotShareASpool() {
        VigilConfig c = ConfigLoader.parseYaml("""
                sinks:
                  - {type: syslog, name: a, host: h, spool: {dir: %s}}
                  - {type: syslog, name: b, host: h2, spool: {dir: %s}}
                enabled: true
                """.formatted(dir, dir), "app.yml");
        assertThatThrownBy(() -> AuditLog.builder().config(c).build())
                .isInstanceOf(AuditException.class)
                .hasMessage("sinks 'a' and 'b' spool in the same directory " + dir
                        + "; give each syslog sink its own spool.dir");
    }

    @Test
    void aSinkWhoseModuleIsMissingSaysWhichToAdd() {
        // vigil-core's tests have neither vigil-siem nor vigil-kafka on the path, as an application without them.
        VigilConfig syslog = ConfigLoader.parseYaml(
                "{enabled: true, sinks: [{type: syslog, name: s, host: h, spool: {dir: %s}}]}"
                .formatted(dir), "app.yml");
        assertThatThrownBy(() -> AuditLog.builder().config(syslog).build())
                .hasMessageContaining("sink 's' is a syslog sink, which vigil-siem provides; add the"
                        + " io.vigil:vigil-siem dependency to the application");
        VigilConfig kafka = ConfigLoader.parseYaml(
                "{enabled: true, sinks: [{type: kafka, name: k, bootstrap: 'k:1', topic: t}]}",
                "app.yml");
        assertThatThrownBy(() -> AuditLog.builder().config(kafka).build())
                .hasMessageContaining("sink 'k' is a kafka sink, which vigil-kafka provides; add the"
                        + " io.vigil:vigil-kafka dependency to the application");
        VigilConfig ocsf = ConfigLoader.parseYaml(
                "{enabled: true, sinks: [{type: file, path: %s, format: ocsf}]}"
                .formatted(dir.resolve("a.ocsf")), "app.yml");
        assertThatThrownBy(() -> AuditLog.builder().config(ocsf).build())
                .hasMessageContaining("sink 'file': format 'ocsf' is written by vigil-siem; add the io.vigil:vigil-siem"
                        + " dependency to the application");
    }
}
