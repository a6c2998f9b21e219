package io.vigil.config;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A section of a Vigil configuration file that another module reads (the sections are listed in
 * {@link ConfigLoader#moduleSections()}): its values, read with the grammar and the messages of the rest of the file.
 * A value that does not fit is recorded with its key path and reads as empty, so the module's reader carries on; the
 * {@code ConfigLoader.*Section} method that handed out the section throws one {@link ConfigException} listing every
 * problem once the reader returns.
 */
public final class ConfigSection {
    private final ConfigReader reader;
    private final ObjectNode node;
    private final String path;

    ConfigSection(ConfigReader reader, ObjectNode node, String path) {
        this.reader = reader;
        this.node = node;
        this.path = path;
    }

    /** The key path of this section in messages, e.g. {@code detect.bruteForce} or {@code vigil.detect}. */
    public String path() {
        return path;
    }

    /** Whether the file sets {@code key} here (to anything but null). */
    public boolean has(String key) {
        return ConfigValues.present(node.get(key)) != null;
    }

    /** The mapping under {@code key}; empty when absent, and empty with a problem recorded when not a mapping. */
    public ConfigSection section(String key) {
        ObjectNode child = reader.values().object(node.get(key), at(key));
        return new ConfigSection(reader, child == null ? JsonNodeFactory.instance.objectNode() : child, at(key));
    }

    /** Records an "unknown key" problem, with a suggestion, for every key here that is not in {@code allowed}. */
    public void allowOnly(List<String> allowed) {
        reader.checkKeys(node, path, List.copyOf(allowed));
    }

    /** {@code true} or {@code false}; in a properties file the strings {@code true} and {@code false}. */
    public Optional<Boolean> bool(String key) {
        return Optional.ofNullable(reader.values().bool(node.get(key), at(key)));
    }

    /** A whole number from {@code min} to {@code max}. */
    public Optional<Integer> integer(String key, int min, int max) {
        return Optional.ofNullable(reader.values().integer(node.get(key), at(key), min, max));
    }

    /** A string that is not blank. */
    public Optional<String> string(String key) {
        return Optional.ofNullable(reader.values().string(node.get(key), at(key), false));
    }

    /**
     * A size in bytes, with or without its unit ({@code 512}, {@code 64KB}, {@code 1MB}), from {@code min} to
     * {@code max}.
     */
    public Optional<Long> size(String key, long min, long max) {
        return Optional.ofNullable(reader.values().size(node.get(key), at(key), min, max));
    }

    /** A file path; {@code ~} at the start is the user's home directory, as everywhere in the file. */
    public Optional<Path> path(String key) {
        return Optional.ofNullable(reader.values().path(node.get(key), at(key)));
    }

    /**
     * A duration with its unit ({@code 250ms}, {@code 10s}, {@code 5m}, {@code 1h}), from {@code min} to {@code max};
     * both must be whole milliseconds.
     */
    public Optional<Duration> duration(String key, Duration min, Duration max) {
        Units.formatDuration(min); // the bounds are said in messages in the file's grammar
        Units.formatDuration(max);
        Duration d = reader.values().duration(node.get(key), at(key), max);
        if (d != null && d.compareTo(min) < 0) {
            reader.error(at(key) + ": '" + ConfigValues.clip(node.get(key).asText()) + "' is too short; at least "
                    + Units.formatDuration(min));
            return Optional.empty();
        }
        return Optional.ofNullable(d);
    }

    /**
     * Records a problem the module found with a value here, such as two values that do not fit together; the message
     * is prefixed with the key's path.
     */
    public void problem(String key, String message) {
        reader.error(at(key) + ": " + message);
    }

    private String at(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}
