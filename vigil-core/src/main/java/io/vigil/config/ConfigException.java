package io.vigil.config;

import java.util.List;
import java.util.Objects;

/**
 * A configuration that cannot be used. The message names the source and lists every problem found, one per line,
 * each starting with the key path it concerns (for example {@code sinks[1].rotation.maxSize: ...}), so that a user
 * can fix the whole file in one go rather than one error per restart.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final List<String> problems;

    /**
     * @param source   where the configuration came from, e.g. a file name
     * @param problems what is wrong, one entry per problem, at least one
     */
    public ConfigException(String source, List<String> problems) {
        this(source, problems, null);
    }

    /** A single problem caused by {@code cause} (e.g. the file could not be read). */
    public ConfigException(String source, String problem, Throwable cause) {
        this(source, List.of(problem), cause);
    }

    private ConfigException(String source, List<String> problems, Throwable cause) {
        super(format(Objects.requireNonNull(source, "source"), List.copyOf(problems)), cause);
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        this.source = source;
        this.problems = List.copyOf(problems);
    }

    private static String format(String source, List<String> problems) {
        if (problems.size() == 1) {
            return source + ": " + problems.get(0);
        }
        StringBuilder sb = new StringBuilder();
        sb.append(problems.size()).append(" configuration errors in ").append(source).append(':');
        for (String p : problems) {
            sb.append("\n  ").append(p);
        }
        return sb.toString();
    }

    /** Where the configuration came from. */
    public String source() {
        return source;
    }

    /** Every problem found, in the order of the file, without the source prefix. */
    public List<String> problems() {
        return problems;
    }
}
