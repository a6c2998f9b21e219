package io.vigil.spring.boot.autoconfigure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** The {@code vigil.*} properties as the configuration processor wrote them into this module's metadata. */
final class ConfigurationMetadata {

    /** One property: name, type, default (as JSON text, or empty) and description. */
    record Property(String name, String type, String defaultValue, String description) {
    }

    private ConfigurationMetadata() {
    }

    static List<Property> vigilProperties() {
        try (InputStream in = ConfigurationMetadata.class.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            JsonNode root = new ObjectMapper().readTree(in);
            List<Property> out = new ArrayList<>();
            for (JsonNode p : root.path("properties")) {
                String name = p.path("name").asText();
                if (!name.startsWith("vigil.")) {
                    continue;
                }
                JsonNode d = p.path("defaultValue");
                String def = d.isMissingNode() || d.isNull() ? "" : d.isTextual() ? d.asText()
                        : d.isArray() ? String.join(",", iterable(d)) : d.toString();
                out.add(new Property(name, typeName(p.path("type").asText()), def,
                        p.path("description").asText("")));
            }
            out.sort(Comparator.comparing(Property::name));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code java.util.List<java.lang.String>} as {@code List<String>}; an enum as its values. */
    private static String typeName(String type) {
        try {
            Class<?> c = Class.forName(type.replace("VigilProperties.", "VigilProperties$"));
            if (c.isEnum()) {
                List<String> values = new ArrayList<>();
                for (Object v : c.getEnumConstants()) {
                    values.add(((Enum<?>) v).name().toLowerCase(Locale.ROOT));
                }
                return "enum " + String.join(", ", values);
            }
        } catch (ClassNotFoundException notAClass) {
            // a generic or primitive type: shortened below
        }
        return type.replaceAll("([a-z][a-z0-9]*\\.)+", "").replace('$', '.');
    }

    private static List<String> iterable(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
