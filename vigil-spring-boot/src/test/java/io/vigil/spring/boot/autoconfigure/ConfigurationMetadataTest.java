package io.vigil.spring.boot.autoconfigure;

import io.vigil.config.ConfigLoader;
import io.vigil.config.VigilConfig;
import io.vigil.spring.internal.config.SpringConfigAdapter;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** One vocabulary: the Spring keys are the file's keys, and the defaults an IDE shows are the defaults in force. */
class ConfigurationMetadataTest {
    /** File keys with no Spring twin, and why: the ledger is the sink, and the context closes the log. */
    private static final Set<String> FILE_ONLY = Set.of("target", "filePath", "pipeline.shutdownHook");

    @Test
    void everyKeyOfTheFileHasItsSpringProperty() {
        Set<String> names = Set.copyOf(ConfigurationMetadata.vigilProperties().stream()
                .map(ConfigurationMetadata.Property::name).toList());
        for (String key : ConfigLoader.acceptedKeys()) {
            if (FILE_ONLY.contains(key)) {
                continue;
            }
            String spring = key.startsWith("sinks[]") ? "vigil.sinks" : "vigil." + SpringConfigAdapter.kebab(key);
            assertThat(names).as("the Spring property for the file's key %s", key).contains(spring);
        }
    }

    @Test
    void everyDefaultShownIsTheDefaultInForce() {
        Map<String, Object> values = new HashMap<>();
        for (ConfigurationMetadata.Property p : ConfigurationMetadata.vigilProperties()) {
            if (!p.defaultValue().isEmpty()) {
                values.put(p.name(), p.defaultValue());
            }
        }
        assertThat(values).containsKeys("vigil.pipeline.queue-capacity", "vigil.redaction.max-details-bytes",
                "vigil.categories");
        VigilProperties withDefaults = new Binder(new MapConfigurationPropertySource(values))
                .bind("vigil", VigilProperties.class).get();
        VigilConfig stated = SpringConfigAdapter.toConfig(withDefaults);
        VigilConfig actual = SpringConfigAdapter.toConfig(new VigilProperties());
        assertThat(stated).isEqualTo(actual);
        // And the Spring-only defaults: the bound object with the stated defaults equals a fresh one.
        VigilProperties fresh = new VigilProperties();
        assertThat(withDefaults.getLedger().getCheckpointEvery()).isEqualTo(fresh.getLedger().getCheckpointEvery());
        assertThat(withDefaults.getLedger().getStore()).isEqualTo(fresh.getLedger().getStore());
        assertThat(withDefaults.getSecurity().getPrivilegedAuthorities())
                .isEqualTo(fresh.getSecurity().getPrivilegedAuthorities());
        assertThat(withDefaults.getLogback().getMarkers()).isEqualTo(fresh.getLogback().getMarkers());
        assertThat(withDefaults.getWeb().getRequestIdHeader()).isEqualTo(fresh.getWeb().getRequestIdHeader());
        assertThat(withDefaults.getTokens().getRevokedRetention()).isEqualTo(fresh.getTokens().getRevokedRetention());
    }

    @Test
    void theSpringDefaultsDifferFromTheFileOnlyWhereDocumented() {
        VigilConfig spring = SpringConfigAdapter.toConfig(new VigilProperties());
        VigilConfig file = ConfigLoader.defaults();
        assertThat(spring.enabled()).isTrue();
        assertThat(file.enabled()).isFalse();
        assertThat(spring.filter()).isEqualTo(file.filter());
        assertThat(spring.redaction()).isEqualTo(file.redaction());
        assertThat(spring.pipeline()).isEqualTo(file.pipeline().withShutdownHook(false));
        assertThat(spring.sinks()).isEmpty();
        assertThat(List.of(file.sinks().get(0).name())).containsExactly("default");
    }

    @Test
    void syslogAndKafkaSinksAreTheFilesSinksInSpringsSpelling() {
        Map<String, Object> spring = new HashMap<>();
        spring.put("vigil.sinks[0].type", "syslog");
        spring.put("vigil.sinks[0].host", "siem.example.com");
        spring.put("vigil.sinks[0].transport", "tcp");
        spring.put("vigil.sinks[0].format", "cef");
        spring.put("vigil.sinks[0].app-name", "shop");
        spring.put("vigil.sinks[0].enterprise-number", "55555");
        spring.put("vigil.sinks[0].spool.dir", "/var/spool/shop");
        spring.put("vigil.sinks[0].spool.max-size", "2MB");
        spring.put("vigil.sinks[0].backoff.max", "5s");
        spring.put("vigil.sinks[1].type", "kafka");
        spring.put("vigil.sinks[1].bootstrap", "k1:9092");
        spring.put("vigil.sinks[1].topic", "vigil-audit");
        spring.put("vigil.sinks[1].key-by", "chain");
        spring.put("vigil.sinks[1].chain", "shop-1");
        spring.put("vigil.sinks[1].format", "ocsf");
        spring.put("vigil.sinks[1].properties.security.protocol", "SSL");
        VigilProperties bound = new Binder(new MapConfigurationPropertySource(spring))
                .bind("vigil", VigilProperties.class).get();
        VigilConfig fromSpring = SpringConfigAdapter.toConfig(bound);
        VigilConfig fromFile = ConfigLoader.parseYaml("""
                enabled: true
                sinks:
                  - {type: syslog, host: siem.example.com, transport: tcp, format: cef, appName: shop,
                     enterpriseNumber: 55555, spool: {dir: /var/spool/shop, maxSize: 2MB}, backoff: {max: 5s}}
                  - {type: kafka, bootstrap: 'k1:9092', topic: vigil-audit, keyBy: chain, chain: shop-1,
                     format: ocsf, properties: {security.protocol: SSL}}
                """, "app.yml");
        assertThat(fromSpring.sinks()).isEqualTo(fromFile.sinks());
    }
}
