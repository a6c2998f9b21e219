package io.vigil.spring.internal.detect;

import io.vigil.detect.DetectionConfig;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.Environment;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Reads the {@code vigil.detect.*} properties into a {@link DetectionConfig}, so a Spring application is configured by
 * the same keys, checked by the same reader with the same messages, as a configuration file's {@code detect} section.
 * Spring's relaxed names are accepted ({@code vigil.detect.brute-force.threshold},
 * {@code vigil.detect.bruteForce.threshold}, {@code VIGIL_DETECT_BRUTEFORCE_THRESHOLD}): each is matched to the key it
 * names by its uniform form, and a name that matches none is passed on as written, so the reader reports it as an
 * unknown key with the closest allowed one.
 */
public final class DetectionProperties {
    private static final ConfigurationPropertyName PREFIX = ConfigurationPropertyName.of("vigil.detect");
    /** What the messages say the keys came from. */
    private static final String SOURCE = "the vigil.detect.* properties";

    private DetectionProperties() {
    }

    /** The detection configured by {@code env}'s {@code vigil.detect.*} properties. */
    public static DetectionConfig read(Environment env) {
        // Each element of the accepted keys by its uniform form ("bruteforce" -> "bruteForce"); an element that is
        // none of them is kept as written, so a misspelt key is reported where it sits, with the key meant.
        Map<String, String> elementByUniform = new HashMap<>();
        for (String key : DetectionConfig.acceptedKeys()) {
            for (String element : key.split("\\.")) {
                elementByUniform.put(element.toLowerCase(Locale.ROOT), element);
            }
        }
        Map<String, String> values = new HashMap<>();
        // Sources come in precedence order; the first that sets a name decides its value.
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(env)) {
            if (!(source instanceof IterableConfigurationPropertySource iterable)) {
                continue;
            }
            for (ConfigurationPropertyName name : (Iterable<ConfigurationPropertyName>) iterable.stream()::iterator) {
                if (!PREFIX.isAncestorOf(name)) {
                    continue;
                }
                ConfigurationProperty property = source.getConfigurationProperty(name);
                if (property == null || property.getValue() == null) {
                    continue;
                }
                values.putIfAbsent(keyOf(name, elementByUniform), property.getValue().toString());
            }
        }
        Properties properties = new Properties();
        properties.putAll(values);
        return DetectionConfig.parseProperties(properties, SOURCE);
    }

    /** The {@code detect.*} key {@code name} stands for: its elements after {@code vigil.detect}, as the keys spell them. */
    private static String keyOf(ConfigurationPropertyName name, Map<String, String> elementByUniform) {
        StringBuilder sb = new StringBuilder(DetectionConfig.SECTION);
        for (int i = PREFIX.getNumberOfElements(); i < name.getNumberOfElements(); i++) {
            sb.append('.').append(elementByUniform.getOrDefault(name.getElement(i, Form.UNIFORM),
                    name.getElement(i, Form.ORIGINAL)));
        }
        return sb.toString();
    }
}
