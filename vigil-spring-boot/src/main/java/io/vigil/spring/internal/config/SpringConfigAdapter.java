package io.vigil.spring.internal.config;

import io.vigil.config.ConfigException;
import io.vigil.config.ConfigLoader;
import io.vigil.config.SinkConfig;
import io.vigil.config.VigilConfig;
import io.vigil.spring.boot.autoconfigure.FilterProperties;
import io.vigil.spring.boot.autoconfigure.VigilProperties;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hands the bound {@code vigil.*} properties of the log itself to {@link ConfigLoader}, so a Spring application and a
 * YAML file are read by one validator with one vocabulary. The loader's messages name keys as the file does
 * ({@code pipeline.queueCapacity}); they are rewritten to Spring's form ({@code vigil.pipeline.queue-capacity}).
 */
public final class SpringConfigAdapter {
    private static final String SOURCE = "Spring properties";
    private static final Pattern KEY_PATH = Pattern.compile("^(?:unknown key ')?([A-Za-z][A-Za-z0-9]*(?:\\[\\d+]|\\.[A-Za-z][A-Za-z0-9]*)*)");

    private SpringConfigAdapter() {
    }

    /**
     * The log's configuration: filters, pipeline, redaction and the extra sinks. The ledger is not among the sinks:
     * it is registered in code.
     *
     * @throws ConfigException naming every bad key, in Spring's form
     */
    public static VigilConfig toConfig(VigilProperties p) {
        Properties props = toProperties(p);
        VigilConfig parsed;
        try {
            parsed = ConfigLoader.parseProperties(props, SOURCE);
        } catch (ConfigException e) {
            List<String> problems = new ArrayList<>();
            for (String problem : e.problems()) {
                problems.add(springKeys(problem));
            }
            throw new ConfigException(SOURCE, problems);
        }
        List<SinkConfig> sinks = p.getSinks().isEmpty() ? List.of() : parsed.sinks();
        return new VigilConfig(p.isEnabled(), parsed.filter(), parsed.includeRequestIds(), parsed.redaction(),
                parsed.pipeline().withShutdownHook(false), sinks);
    }

    /** The properties, as {@code vigil.}-prefixed keys in the file's spelling. */
    static Properties toProperties(VigilProperties p) {
        Properties out = new Properties();
        // The file's default is disabled; Spring's is enabled. The loader must accept sinks either way.
        out.setProperty("vigil.enabled", "true");
        filter(out, "vigil.", p);
        out.setProperty("vigil.includeRequestIds", Boolean.toString(p.isIncludeRequestIds()));
        VigilProperties.Pipeline pl = p.getPipeline();
        put(out, "vigil.pipeline.queueCapacity", pl.getQueueCapacity());
        put(out, "vigil.pipeline.batchSize", pl.getBatchSize());
        put(out, "vigil.pipeline.overflow", pl.getOverflow());
        put(out, "vigil.pipeline.blockTimeout", pl.getBlockTimeout());
        put(out, "vigil.pipeline.shutdownTimeout", pl.getShutdownTimeout());
        put(out, "vigil.pipeline.retry.maxAttempts", pl.getRetry().getMaxAttempts());
        put(out, "vigil.pipeline.retry.initialBackoff", pl.getRetry().getInitialBackoff());
        put(out, "vigil.pipeline.retry.maxBackoff", pl.getRetry().getMaxBackoff());
        VigilProperties.Redaction r = p.getRedaction();
        put(out, "vigil.redaction.enabled", r.getEnabled());
        list(out, "vigil.redaction.keys", r.getKeys());
        list(out, "vigil.redaction.allowKeys", r.getAllowKeys());
        put(out, "vigil.redaction.replacement", r.getReplacement());
        list(out, "vigil.redaction.hmacKeys", r.getHmacKeys());
        put(out, "vigil.redaction.hmacKeyFile", r.getHmacKeyFile());
        put(out, "vigil.redaction.maxFieldLength", r.getMaxFieldLength());
        put(out, "vigil.redaction.maxDetailsBytes", r.getMaxDetailsBytes());
        put(out, "vigil.redaction.maxDetailsDepth", r.getMaxDetailsDepth());
        List<VigilProperties.Sink> sinks = p.getSinks();
        for (int i = 0; i < sinks.size(); i++) {
            VigilProperties.Sink s = sinks.get(i);
            String k = "vigil.sinks[" + i + "].";
            put(out, k + "type", s.getType());
            put(out, k + "name", s.getName());
            put(out, k + "path", s.getPath());
            put(out, k + "fsync", s.getFsync());
            put(out, k + "rotation.maxSize", s.getRotation().getMaxSize());
            put(out, k + "rotation.daily", s.getRotation().getDaily());
            put(out, k + "rotation.gzip", s.getRotation().getGzip());
            put(out, k + "format", s.getFormat());
            put(out, k + "host", s.getHost());
            put(out, k + "port", s.getPort());
            put(out, k + "transport", s.getTransport());
            put(out, k + "trustFile", s.getTrustFile());
            put(out, k + "appName", s.getAppName());
            put(out, k + "hostname", s.getHostname());
            put(out, k + "facility", s.getFacility());
            put(out, k + "enterpriseNumber", s.getEnterpriseNumber());
            put(out, k + "spool.dir", s.getSpool().getDir());
            put(out, k + "spool.maxSize", s.getSpool().getMaxSize());
            put(out, k + "maxMessageSize", s.getMaxMessageSize());
            put(out, k + "connectTimeout", s.getConnectTimeout());
            put(out, k + "backoff.min", s.getBackoff().getMin());
            put(out, k + "backoff.max", s.getBackoff().getMax());
            put(out, k + "bootstrap", s.getBootstrap());
            put(out, k + "topic", s.getTopic());
            put(out, k + "keyBy", s.getKeyBy());
            put(out, k + "chain", s.getChain());
            put(out, k + "eventsPerRecord", s.getEventsPerRecord());
            s.getProperties().forEach((name, value) -> put(out, k + "properties." + name, value));
            filter(out, k + "filter.", s.getFilter());
        }
        if (sinks.isEmpty()) {
            // Without sinks the loader would add its default file; the ledger is the one sink then. A stdout
            // placeholder keeps the loader from adding the file and is dropped again by toConfig.
            out.setProperty("vigil.sinks[0].type", "stdout");
        }
        return out;
    }

    private static void filter(Properties out, String prefix, FilterProperties f) {
        list(out, prefix + "categories", f.getCategories());
        list(out, prefix + "outcomes", f.getOutcomes());
        put(out, prefix + "minOutcome", f.getMinOutcome());
        put(out, prefix + "minSeverity", f.getMinSeverity());
        list(out, prefix + "types.include", f.getTypes().getInclude());
        list(out, prefix + "types.exclude", f.getTypes().getExclude());
    }

    /** Rewrites the key path a problem starts with to Spring's kebab-case form under {@code vigil.}. */
    static String springKeys(String problem) {
        Matcher m = KEY_PATH.matcher(problem);
        if (!m.find() || problem.startsWith("unknown key")) {
            return problem;
        }
        String path = m.group(1);
        return "vigil." + kebab(path) + problem.substring(m.end(1));
    }

    /** {@code pipeline.queueCapacity} to {@code pipeline.queue-capacity}. */
    public static String kebab(String camel) {
        StringBuilder sb = new StringBuilder(camel.length() + 8);
        for (int i = 0; i < camel.length(); i++) {
            char c = camel.charAt(i);
            if (Character.isUpperCase(c)) {
                sb.append('-').append(Character.toLowerCase(c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }

    private static void put(Properties out, String key, Object value) {
        if (value != null) {
            out.setProperty(key, value.toString());
        }
    }

    private static void list(Properties out, String key, List<String> values) {
        // Spring splits a comma-separated value into a list; joined again, "all" and "auth,authz" read as in a file.
        if (values != null && !values.isEmpty()) {
            out.setProperty(key, String.join(",", values));
        }
    }
}
