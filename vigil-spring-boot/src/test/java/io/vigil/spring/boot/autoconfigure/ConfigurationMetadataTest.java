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
}
