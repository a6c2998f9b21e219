package io.vigil.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.OverflowPolicy;
import io.vigil.PipelineOptions;
import io.vigil.RetryPolicy;
import io.vigil.event.Category;
import io.vigil.event.Outcome;
import io.vigil.event.Severity;
import io.vigil.filter.EventFilter;
import io.vigil.redact.HmacKey;
import io.vigil.redact.RedactionPolicy;
import io.vigil.sink.EventFormats;
import io.vigil.sink.FileSinkOptions;
import io.vigil.sink.FsyncPolicy;
import io.vigil.sink.KafkaKey;
import io.vigil.sink.KafkaSinkOptions;
import io.vigil.sink.SyslogOptions;
import io.vigil.sink.SyslogTransport;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;

import static io.vigil.config.ConfigLoader.ALL_SINK_KEYS;
import static io.vigil.config.ConfigLoader.BACKOFF_KEYS;
import static io.vigil.config.ConfigLoader.FILTER_KEYS;
import static io.vigil.config.ConfigLoader.PIPELINE_KEYS;
import static io.vigil.config.ConfigLoader.REDACTION_KEYS;
import static io.vigil.config.ConfigLoader.RETRY_KEYS;
import static io.vigil.config.ConfigLoader.ROOT_KEYS;
import static io.vigil.config.ConfigLoader.ROTATION_KEYS;
import static io.vigil.config.ConfigLoader.SPOOL_KEYS;
import static io.vigil.config.ConfigLoader.TYPES_KEYS;

/**
 * One pass over a parsed configuration tree. Every reader method records its problems and carries on, so that one
 * run finds every mistake in the file; objects are built only when nothing was wrong.
 */
final class ConfigReader {
    private enum SinkType {
        FILE(ConfigLoader.FILE_SINK_KEYS), STDOUT(ConfigLoader.STDOUT_SINK_KEYS),
        SYSLOG(ConfigLoader.SYSLOG_SINK_KEYS), KAFKA(ConfigLoader.KAFKA_SINK_KEYS), CUSTOM(ConfigLoader.CUSTOM_SINK_KEYS);

        final List<String> keys;

        SinkType(List<String> keys) {
            this.keys = keys;
        }
    }

    private static final Map<String, SinkType> SINK_TYPES = names(SinkType.values(), t -> t.name().toLowerCase(Locale.ROOT));
    private static final String SINK_TYPE_NAMES = String.join(", ", SINK_TYPES.keySet());
    private static final Map<String, Category> CATEGORIES = names(Category.values(), Category::jsonName);
    private static final Map<String, Outcome> OUTCOMES = names(Outcome.values(), Outcome::jsonName);
    private static final Map<String, Severity> SEVERITIES = names(Severity.values(), Severity::jsonName);
    private static final Map<String, OverflowPolicy> OVERFLOW = names(OverflowPolicy.values(), OverflowPolicy::configName);
    private static final Map<String, FsyncPolicy> FSYNC = names(FsyncPolicy.values(), FsyncPolicy::configName);
    private static final Map<String, String> FORMATS = names(EventFormats.names().toArray(String[]::new), f -> f);
    private static final Map<String, SyslogTransport> TRANSPORTS =
            names(SyslogTransport.values(), t -> t.name().toLowerCase(Locale.ROOT));
    private static final Map<String, KafkaKey> KAFKA_KEYS = names(KafkaKey.values(), k -> k.name().toLowerCase(Locale.ROOT));

    private final String source;
    private final List<String> errors = new ArrayList<>();
    private final ConfigValues values;

    ConfigReader(String source, boolean stringly) {
        this.source = source;
        this.values = new ConfigValues(stringly, errors);
    }

    VigilConfig read(JsonNode tree) {
        Root found = root(tree);
        ObjectNode root = found.node();
        String base = found.path();
        checkKeys(root, base, ROOT_KEYS);

        Boolean enabled = values.bool(root.get("enabled"), at(base, "enabled"));
        EventFilter filter = filter(root, base);
        Boolean includeRequestIds = values.bool(root.get("includeRequestIds"), at(base, "includeRequestIds"));
        PipelineOptions pipeline = pipeline(root.get("pipeline"), at(base, "pipeline"));
        RedactionPolicy redaction = redaction(root.get("redaction"), at(base, "redaction"));
        int before = errors.size();
        List<SinkConfig> sinks = sinks(root, base);
        boolean on = enabled != null && enabled;
        if (on && sinks.isEmpty() && errors.size() == before) {
            error(at(base, "sinks") + ": an enabled log needs at least one sink");
        }
        if (!errors.isEmpty()) {
            throw new ConfigException(source, errors);
        }
        return new VigilConfig(on, filter, includeRequestIds == null || includeRequestIds, redaction, pipeline, sinks);
    }

    /**
     * Reads the section {@code name} of another module with {@code sectionReader}: the top-level keys are checked
     * (names only: their values are the log's, read when the log loads the file), then the section is handed over.
     *
     * @throws ConfigException listing every problem, the module's included
     */
    <T> T readSection(JsonNode tree, String name, Function<ConfigSection, T> sectionReader) {
        Root found = root(tree);
        checkKeys(found.node(), found.path(), ROOT_KEYS);
        String path = at(found.path(), name);
        ObjectNode node = values.object(found.node().get(name), path);
        T result = sectionReader.apply(new ConfigSection(this,
                node == null ? JsonNodeFactory.instance.objectNode() : node, path));
        if (!errors.isEmpty()) {
            throw new ConfigException(source, errors);
        }
        return result;
    }

    /** Where the configuration sits in a document: at the root, or under {@code vigil}. */
    private record Root(ObjectNode node, String path) {
    }

    private Root root(JsonNode tree) {
        ObjectNode root = values.object(tree, "");
        if (root == null) {
            throw new ConfigException(source, errors);
        }
        if (!root.has(ConfigLoader.WRAPPER)) {
            return new Root(root, "");
        }
        List<String> outside = new ArrayList<>();
        root.fieldNames().forEachRemaining(k -> {
            if (ROOT_KEYS.contains(k) && !ConfigLoader.HOST_NAMES.contains(k)) {
                outside.add(k);
            }
        });
        if (!outside.isEmpty()) {
            error("configuration given both at the top level (" + String.join(", ", outside) + ") and under '"
                    + ConfigLoader.WRAPPER + "'; put all of it in one place");
        }
        // Other top-level keys of a shared file (spring:, server:, ...) are not ours to judge.
        ObjectNode wrapped = values.object(root.get(ConfigLoader.WRAPPER), ConfigLoader.WRAPPER);
        if (wrapped == null) {
            throw new ConfigException(source, errors);
        }
        return new Root(wrapped, ConfigLoader.WRAPPER);
    }

    // ---------------------------------------------------------------- sections

    private EventFilter filter(ObjectNode o, String base) {
        EventFilter f = EventFilter.ALL;
        Set<Category> categories = values.allOrList(o.get("categories"), at(base, "categories"), CATEGORIES, Category.class,
                "categories");
        if (categories != null) {
            f = f.withCategories(categories);
        }
        JsonNode outcomesNode = ConfigValues.present(o.get("outcomes"));
        JsonNode minOutcomeNode = ConfigValues.present(o.get("minOutcome"));
        if (outcomesNode != null && minOutcomeNode != null) {
            error(at(base, "minOutcome") + ": cannot be combined with " + at(base, "outcomes")
                    + "; set one of them (minOutcome: failure keeps failure, denied and error)");
        } else if (outcomesNode != null) {
            Set<Outcome> outcomes = values.allOrList(outcomesNode, at(base, "outcomes"), OUTCOMES, Outcome.class, "outcomes");
            if (outcomes != null) {
                f = f.withOutcomes(outcomes);
            }
        } else if (minOutcomeNode != null) {
            Outcome min = values.choice(minOutcomeNode, at(base, "minOutcome"), OUTCOMES);
            if (min != null) {
                f = f.withMinOutcome(min);
            }
        }
        Severity minSeverity = values.choice(o.get("minSeverity"), at(base, "minSeverity"), SEVERITIES);
        if (minSeverity != null) {
            f = f.withMinSeverity(minSeverity);
        }
        String typesPath = at(base, "types");
        ObjectNode types = values.object(o.get("types"), typesPath);
        if (types != null) {
            checkKeys(types, typesPath, TYPES_KEYS);
            List<String> include = typePatterns(types.get("include"), at(typesPath, "include"));
            List<String> exclude = typePatterns(types.get("exclude"), at(typesPath, "exclude"));
            if (include != null) {
                f = f.withIncludeTypes(include);
            }
            if (exclude != null) {
                f = f.withExcludeTypes(exclude);
            }
        }
        return f;
    }

    private List<String> typePatterns(JsonNode n, String path) {
        List<String> patterns = values.stringList(n, path, "type patterns");
        if (patterns == null) {
            return null;
        }
        List<String> good = new ArrayList<>();
        for (int i = 0; i < patterns.size(); i++) {
            String p = patterns.get(i);
            try {
                // EventFilter owns the pattern grammar; asking it keeps the two from drifting apart.
                EventFilter.ALL.withIncludeTypes(List.of(p));
                good.add(p);
            } catch (IllegalArgumentException e) {
                error(path + "[" + i + "]: '" + ConfigValues.clip(p) + "' is not a type pattern; expected a type name"
                        + " (auth.login.failure), a prefix ending in .* (auth.*) or *");
            }
        }
        return good;
    }

    private PipelineOptions pipeline(JsonNode n, String path) {
        ObjectNode o = values.object(n, path);
        if (o == null) {
            return PipelineOptions.DEFAULT;
        }
        checkKeys(o, path, PIPELINE_KEYS);
        PipelineOptions p = PipelineOptions.DEFAULT;
        Integer queue = values.integer(o.get("queueCapacity"), at(path, "queueCapacity"), 2, 1 << 26);
        if (queue != null) {
            p = p.withQueueCapacity(queue);
        }
        Integer batch = values.integer(o.get("batchSize"), at(path, "batchSize"), 1, 65_536);
        if (batch != null) {
            p = p.withBatchSize(batch);
        }
        OverflowPolicy overflow = values.choice(o.get("overflow"), at(path, "overflow"), OVERFLOW);
        if (overflow != null) {
            p = p.withOverflow(overflow);
        }
        Duration block = values.duration(o.get("blockTimeout"), at(path, "blockTimeout"));
        if (block != null) {
            p = p.withBlockTimeout(block);
        }
        Duration shutdown = values.duration(o.get("shutdownTimeout"), at(path, "shutdownTimeout"));
        if (shutdown != null) {
            p = p.withShutdownTimeout(shutdown);
        }
        Boolean hook = values.bool(o.get("shutdownHook"), at(path, "shutdownHook"));
        if (hook != null) {
            p = p.withShutdownHook(hook);
        }
        RetryPolicy retry = retry(o.get("retry"), at(path, "retry"));
        if (retry != null) {
            p = p.withRetry(retry);
        }
        return p;
    }

    private RetryPolicy retry(JsonNode n, String path) {
        ObjectNode o = values.object(n, path);
        if (o == null) {
            return null;
        }
        checkKeys(o, path, RETRY_KEYS);
        RetryPolicy d = RetryPolicy.DEFAULT;
        Integer attempts = values.integer(o.get("maxAttempts"), at(path, "maxAttempts"), 1, 1_000);
        Duration initial = values.duration(o.get("initialBackoff"), at(path, "initialBackoff"));
        Duration max = values.duration(o.get("maxBackoff"), at(path, "maxBackoff"));
        Duration i = initial == null ? d.initialBackoff() : initial;
        Duration m = max == null ? d.maxBackoff() : max;
        if (i.compareTo(m) > 0) {
            error(path + ": initialBackoff (" + Units.formatDuration(i) + ") must not exceed maxBackoff ("
                    + Units.formatDuration(m) + ")");
            return null;
        }
        return new RetryPolicy(attempts == null ? d.maxAttempts() : attempts, i, m);
    }

    private RedactionPolicy redaction(JsonNode n, String path) {
        ObjectNode o = values.object(n, path);
        RedactionPolicy d = RedactionPolicy.DEFAULT;
        if (o == null) {
            return d;
        }
        checkKeys(o, path, REDACTION_KEYS);
        Boolean enabled = values.bool(o.get("enabled"), at(path, "enabled"));
        List<String> keys = detailKeys(o.get("keys"), at(path, "keys"));
        List<String> allowKeys = detailKeys(o.get("allowKeys"), at(path, "allowKeys"));
        String replacement = values.string(o.get("replacement"), at(path, "replacement"), true);
        List<String> hmacKeys = detailKeys(o.get("hmacKeys"), at(path, "hmacKeys"));
        Path keyFile = values.path(o.get("hmacKeyFile"), at(path, "hmacKeyFile"));
        Integer maxFieldLength = values.integer(o.get("maxFieldLength"), at(path, "maxFieldLength"), 16, Integer.MAX_VALUE);
        Long maxDetailsBytes = values.size(o.get("maxDetailsBytes"), at(path, "maxDetailsBytes"), 256, Integer.MAX_VALUE);
        Integer maxDetailsDepth = values.integer(o.get("maxDetailsDepth"), at(path, "maxDetailsDepth"), 1, 32);

        Optional<HmacKey> key = Optional.empty();
        int errorsBefore = errors.size();
        if (keyFile != null) {
            key = hmacKey(keyFile, at(path, "hmacKeyFile"));
        } else if (hmacKeys != null && !hmacKeys.isEmpty() && ConfigValues.present(o.get("hmacKeyFile")) == null) {
            error(at(path, "hmacKeys") + ": is set but " + at(path, "hmacKeyFile") + " is not; keyed pseudonyms"
                    + " need a key file holding at least " + HmacKey.MIN_BYTES + " random bytes in base64");
        }
        if (errors.size() > errorsBefore) {
            return d;
        }
        return new RedactionPolicy(enabled == null ? d.enabled() : enabled,
                keys == null ? d.secretKeys() : RedactionPolicy.defaultKeysPlus(keys),
                allowKeys == null ? d.allowKeys() : Set.copyOf(allowKeys),
                replacement == null ? d.replacement() : replacement,
                hmacKeys == null || key.isEmpty() ? Set.of() : Set.copyOf(hmacKeys),
                key,
                maxFieldLength == null ? d.maxFieldLength() : maxFieldLength,
                maxDetailsBytes == null ? d.maxDetailsBytes() : (int) (long) maxDetailsBytes,
                maxDetailsDepth == null ? d.maxDetailsDepth() : maxDetailsDepth);
    }

    /** The key; empty (with an error recorded) when the file cannot be read or holds no usable key. */
    private Optional<HmacKey> hmacKey(Path file, String path) {
        HmacKey key;
        try {
            key = HmacKey.fromFile(file);
        } catch (IOException e) {
            error(path + ": cannot read '" + file + "': " + describeIo(e));
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            error(path + ": '" + file + "' is not a usable key: " + e.getMessage());
            return Optional.empty();
        }
        KeyFilePermissions.warnIfReadableByOthers(source, path, file);
        return Optional.of(key);
    }

    private List<String> detailKeys(JsonNode n, String path) {
        List<String> keys = values.stringList(n, path, "detail keys");
        if (keys == null) {
            return null;
        }
        List<String> good = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            if (RedactionPolicy.normaliseKey(keys.get(i)).isEmpty()) {
                error(path + "[" + i + "]: '" + ConfigValues.clip(keys.get(i)) + "' has no letter or digit, so it matches nothing");
            } else {
                good.add(keys.get(i));
            }
        }
        return good;
    }

    private List<SinkConfig> sinks(ObjectNode root, String base) {
        JsonNode sinksNode = ConfigValues.present(root.get("sinks"));
        JsonNode targetNode = ConfigValues.present(root.get("target"));
        JsonNode filePathNode = ConfigValues.present(root.get("filePath"));
        if (sinksNode != null) {
            for (String k : List.of("target", "filePath")) {
                if (ConfigValues.present(root.get(k)) != null) {
                    error(at(base, k) + ": cannot be combined with " + at(base, "sinks") + "; target and filePath"
                            + " are a shorthand for one sink, so declare that sink in sinks instead");
                }
            }
            return sinkList(sinksNode, at(base, "sinks"));
        }
        SinkType target = values.choice(targetNode, at(base, "target"), SINK_TYPES);
        Path file = values.path(filePathNode, at(base, "filePath"));
        if (target != null && target != SinkType.FILE && filePathNode != null) {
            error(at(base, "filePath") + ": applies only when target is file, but target is '"
                    + target.name().toLowerCase(Locale.ROOT) + "'");
        }
        String name = ConfigLoader.SHORTHAND_SINK_NAME;
        return switch (target == null ? SinkType.FILE : target) {
            case FILE -> List.of(new SinkConfig.File(name, FileSinkOptions.defaults(
                    file == null ? ConfigLoader.expandHome(ConfigLoader.DEFAULT_FILE_PATH) : file), EventFilter.ALL));
            case STDOUT -> List.of(new SinkConfig.Stdout(name, EventFilter.ALL));
            case CUSTOM -> List.of(new SinkConfig.Custom(name, EventFilter.ALL));
            case SYSLOG, KAFKA -> {
                error(at(base, "target") + ": '" + target.name().toLowerCase(Locale.ROOT) + "' sinks need settings"
                        + " the shorthand cannot give; declare the sink in " + at(base, "sinks"));
                yield List.of();
            }
        };
    }

    private List<SinkConfig> sinkList(JsonNode n, String path) {
        if (!n.isArray()) {
            error(path + ": expected a list of sinks, each a mapping with at least 'type' (" + SINK_TYPE_NAMES + "),"
                    + " got " + ConfigValues.describe(n));
            return List.of();
        }
        List<SinkConfig> sinks = new ArrayList<>();
        Map<String, String> names = new HashMap<>();
        for (int i = 0; i < n.size(); i++) {
            String p = path + "[" + i + "]";
            SinkConfig s = sink(n.get(i), p, names);
            if (s != null) {
                sinks.add(s);
            }
        }
        return sinks;
    }

    private SinkConfig sink(JsonNode n, String path, Map<String, String> namesSeen) {
        if (n == null || n.isNull() || !n.isObject()) {
            error(path + ": expected a mapping with at least 'type' (" + SINK_TYPE_NAMES + "), got "
                    + (n == null ? "nothing" : ConfigValues.describe(n)));
            return null;
        }
        ObjectNode o = (ObjectNode) n;
        JsonNode typeNode = ConfigValues.present(o.get("type"));
        SinkType type = null;
        if (typeNode == null) {
            error(at(path, "type") + ": is required; allowed: " + String.join(", ", SINK_TYPES.keySet()));
        } else {
            type = values.choice(typeNode, at(path, "type"), SINK_TYPES);
        }
        if (type == null) {
            checkKeys(o, path, ALL_SINK_KEYS);
        } else {
            String typeName = type.name().toLowerCase(Locale.ROOT);
            List<String> allowed = type.keys;
            List<String> otherTypes = new ArrayList<>();
            for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!allowed.contains(k) && ALL_SINK_KEYS.contains(k)) {
                    otherTypes.add(k);
                    error(at(path, k) + ": does not apply to a " + typeName + " sink; keys of " + typeName
                            + " sinks: " + String.join(", ", allowed));
                }
            }
            checkKeys(o, path, allowed, otherTypes);
        }

        JsonNode nameNode = ConfigValues.present(o.get("name"));
        String name = nameNode == null ? null : values.string(nameNode, at(path, "name"), false);
        if (nameNode == null && type != null) {
            name = type.name().toLowerCase(Locale.ROOT);
        }
        if (name != null) {
            String previous = namesSeen.putIfAbsent(name, path);
            if (previous != null) {
                error((nameNode == null ? path + ": the name defaults to the type, '" + name + "', which"
                        : at(path, "name") + ": '" + name + "'") + " is already used by " + previous
                        + "; sink names must be unique, so give each sink its own name");
            }
        }

        String filterPath = at(path, "filter");
        ObjectNode filterNode = values.object(o.get("filter"), filterPath);
        EventFilter filter = EventFilter.ALL;
        if (filterNode != null) {
            checkKeys(filterNode, filterPath, FILTER_KEYS);
            filter = filter(filterNode, filterPath);
        }

        String format = values.choice(o.get("format"), at(path, "format"), FORMATS);
        if (format == null) {
            format = EventFormats.JSONL;
        }
        if (type == null || name == null) {
            return null;
        }
        return switch (type) {
            case FILE -> {
                FileSinkOptions options = fileOptions(o, path);
                yield options == null ? null : new SinkConfig.File(name, options, format, filter);
            }
            case STDOUT -> new SinkConfig.Stdout(name, format, filter);
            case SYSLOG -> {
                SyslogOptions options = syslogOptions(o, path, name);
                yield options == null ? null : new SinkConfig.Syslog(name, options, format, filter);
            }
            case KAFKA -> {
                KafkaSinkOptions options = kafkaOptions(o, path);
                yield options == null ? null : new SinkConfig.Kafka(name, options, format, filter);
            }
            case CUSTOM -> new SinkConfig.Custom(name, filter);
        };
    }

    private SyslogOptions syslogOptions(ObjectNode o, String path, String sinkName) {
        String host = required(o, path, "host", "the receiver's host name or address, e.g. host: siem.example.com");
        SyslogTransport transport = values.choice(o.get("transport"), at(path, "transport"), TRANSPORTS);
        Integer port = values.integer(o.get("port"), at(path, "port"), 1, 65535);
        Path trustFile = values.path(o.get("trustFile"), at(path, "trustFile"));
        if (trustFile != null && transport != null && transport != SyslogTransport.TLS) {
            error(at(path, "trustFile") + ": applies only to transport tls, but transport is '"
                    + transport.name().toLowerCase(Locale.ROOT) + "'");
        }
        String appName = values.string(o.get("appName"), at(path, "appName"), false);
        if (appName != null && (appName.length() > 48 || !appName.chars().allMatch(c -> c >= 33 && c <= 126))) {
            error(at(path, "appName") + ": '" + ConfigValues.clip(appName) + "' must be 1 to 48 printable ASCII"
                    + " characters without spaces (RFC 5424 APP-NAME)");
            appName = null;
        }
        String hostname = values.string(o.get("hostname"), at(path, "hostname"), false);
        if (hostname != null && (hostname.length() > 255 || !hostname.chars().allMatch(c -> c >= 33 && c <= 126))) {
            error(at(path, "hostname") + ": '" + ConfigValues.clip(hostname) + "' must be 1 to 255 printable ASCII"
                    + " characters without spaces (RFC 5424 HOSTNAME)");
            hostname = null;
        }
        Integer facility = values.integer(o.get("facility"), at(path, "facility"), 0, 23);
        Integer pen = values.integer(o.get("enterpriseNumber"), at(path, "enterpriseNumber"), 1, Integer.MAX_VALUE);
        String spoolPath = at(path, "spool");
        ObjectNode spool = values.object(o.get("spool"), spoolPath);
        Path spoolDir = null;
        Long spoolMax = null;
        if (spool != null) {
            checkKeys(spool, spoolPath, SPOOL_KEYS);
            spoolDir = values.path(spool.get("dir"), at(spoolPath, "dir"));
            spoolMax = values.size(spool.get("maxSize"), at(spoolPath, "maxSize"), 1L << 20, Long.MAX_VALUE);
        }
        Long maxMessage = values.size(o.get("maxMessageSize"), at(path, "maxMessageSize"), 480, 1L << 30);
        Duration connectTimeout = values.duration(o.get("connectTimeout"), at(path, "connectTimeout"));
        if (connectTimeout != null && connectTimeout.isZero()) {
            error(at(path, "connectTimeout") + ": must be more than 0ms");
            connectTimeout = null;
        }
        String backoffPath = at(path, "backoff");
        ObjectNode backoff = values.object(o.get("backoff"), backoffPath);
        Duration backoffMin = null;
        Duration backoffMax = null;
        if (backoff != null) {
            checkKeys(backoff, backoffPath, BACKOFF_KEYS);
            backoffMin = values.duration(backoff.get("min"), at(backoffPath, "min"));
            backoffMax = values.duration(backoff.get("max"), at(backoffPath, "max"));
        }
        if (host == null) {
            return null;
        }
        Path dir = spoolDir != null ? spoolDir
                : ConfigLoader.expandHome(ConfigLoader.DEFAULT_SPOOL_DIR).resolve(sinkName);
        SyslogTransport t = transport != null ? transport : SyslogTransport.TLS;
        SyslogOptions s = SyslogOptions.defaults(host.strip(), port != null ? port : t.defaultPort(), dir)
                .withTransport(t);
        if (trustFile != null) {
            s = s.withTrustFile(trustFile);
        }
        if (appName != null) {
            s = s.withAppName(appName);
        }
        if (hostname != null) {
            s = s.withHostname(hostname);
        }
        if (facility != null) {
            s = s.withFacility(facility);
        }
        if (pen != null) {
            s = s.withEnterpriseNumber(pen);
        }
        if (spoolMax != null) {
            s = s.withSpoolMaxBytes(spoolMax);
        }
        if (maxMessage != null) {
            s = s.withMaxMessageBytes((int) (long) maxMessage);
        }
        if (connectTimeout != null) {
            s = s.withConnectTimeout(connectTimeout);
        }
        Duration min = backoffMin != null ? backoffMin : s.backoffMin();
        Duration max = backoffMax != null ? backoffMax : s.backoffMax();
        if (min.isZero() || max.compareTo(min) < 0) {
            error(backoffPath + ": min (" + Units.formatDuration(min) + ") must be more than 0ms and at most max ("
                    + Units.formatDuration(max) + ")");
            return null;
        }
        return s.withBackoff(min, max);
    }

    private KafkaSinkOptions kafkaOptions(ObjectNode o, String path) {
        String bootstrap = required(o, path, "bootstrap", "the brokers, e.g. bootstrap: kafka-1:9092,kafka-2:9092");
        if (bootstrap != null) {
            for (String broker : bootstrap.split(",", -1)) {
                if (!broker.strip().matches("(\\[[0-9a-fA-F:.]+\\]|[^\\s:\\[\\]]+):\\d{1,5}")) {
                    error(at(path, "bootstrap") + ": '" + ConfigValues.clip(broker.strip()) + "' is not host:port;"
                            + " expected host:port[,host:port...], e.g. kafka-1:9092,kafka-2:9092");
                    bootstrap = null;
                    break;
                }
            }
        }
        String topic = required(o, path, "topic", "the topic events go to, e.g. topic: vigil-audit");
        if (topic != null && !KafkaSinkOptions.isValidTopic(topic.strip())) {
            error(at(path, "topic") + ": '" + ConfigValues.clip(topic) + "' is not a Kafka topic name; use 1 to"
                    + " 249 of a-z, A-Z, 0-9, '.', '_' and '-'");
            topic = null;
        }
        KafkaKey keyBy = values.choice(o.get("keyBy"), at(path, "keyBy"), KAFKA_KEYS);
        String chain = values.string(o.get("chain"), at(path, "chain"), false);
        Integer perRecord = values.integer(o.get("eventsPerRecord"), at(path, "eventsPerRecord"), 1,
                KafkaSinkOptions.MAX_EVENTS_PER_RECORD);
        Map<String, String> properties = new LinkedHashMap<>();
        String propsPath = at(path, "properties");
        ObjectNode props = values.object(o.get("properties"), propsPath);
        if (props != null) {
            flatten(props, "", propsPath, properties);
        }
        if (bootstrap == null || topic == null) {
            return null;
        }
        return new KafkaSinkOptions(bootstrap.strip(), topic.strip(), keyBy != null ? keyBy : KafkaKey.TENANT,
                chain != null ? chain.strip() : ConfigLoader.localHostName(), properties,
                perRecord != null ? OptionalInt.of(perRecord) : OptionalInt.empty());
    }

    /**
     * Kafka client settings are dotted names ({@code security.protocol}); a properties file or Spring nests them
     * by the dots, YAML may keep them as one key. Both become one flat map.
     */
    private void flatten(ObjectNode node, String prefix, String path, Map<String, String> out) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = prefix + e.getKey();
            JsonNode v = e.getValue();
            if (v.isObject()) {
                flatten((ObjectNode) v, key + ".", path, out);
            } else if (v.isValueNode() && !v.isNull()) {
                out.put(key, v.asText());
            } else {
                error(at(path, key) + ": expected a string, number or boolean, got " + ConfigValues.describe(v));
            }
        }
    }

    private String required(ObjectNode o, String path, String key, String example) {
        JsonNode n = ConfigValues.present(o.get(key));
        if (n == null) {
            error(at(path, key) + ": is required; " + example);
            return null;
        }
        return values.string(n, at(path, key), false);
    }

    private FileSinkOptions fileOptions(ObjectNode o, String path) {
        JsonNode pathNode = ConfigValues.present(o.get("path"));
        Path file = null;
        if (pathNode == null) {
            error(at(path, "path") + ": is required for a file sink (e.g. path: /var/log/app/audit.jsonl)");
        } else {
            file = values.path(pathNode, at(path, "path"));
        }
        String rotPath = at(path, "rotation");
        ObjectNode rotation = values.object(o.get("rotation"), rotPath);
        Long maxSize = null;
        Boolean daily = null;
        Boolean gzip = null;
        if (rotation != null) {
            checkKeys(rotation, rotPath, ROTATION_KEYS);
            maxSize = values.size(rotation.get("maxSize"), at(rotPath, "maxSize"), 0, Long.MAX_VALUE);
            if (maxSize != null && maxSize > 0 && maxSize < 1024) {
                error(at(rotPath, "maxSize") + ": " + maxSize + " bytes is too small; use 0 (no size limit) or at"
                        + " least 1KB");
                maxSize = null;
            }
            daily = values.bool(rotation.get("daily"), at(rotPath, "daily"));
            gzip = values.bool(rotation.get("gzip"), at(rotPath, "gzip"));
        }
        FsyncPolicy fsync = values.choice(o.get("fsync"), at(path, "fsync"), FSYNC);
        if (file == null) {
            return null;
        }
        FileSinkOptions f = FileSinkOptions.defaults(file);
        if (maxSize != null) {
            f = f.withMaxFileBytes(maxSize);
        }
        if (daily != null) {
            f = f.withRotateDaily(daily);
        }
        if (gzip != null) {
            f = f.withGzipRotated(gzip);
        }
        if (fsync != null) {
            f = f.withFsync(fsync);
        }
        return f;
    }

    // ---------------------------------------------------------------- keys

    void checkKeys(ObjectNode o, String path, List<String> allowed) {
        checkKeys(o, path, allowed, List.of());
    }

    /** Reports every key not in {@code allowed}, except those in {@code reportedElsewhere}. */
    private void checkKeys(ObjectNode o, String path, List<String> allowed, List<String> reportedElsewhere) {
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!allowed.contains(k) && !reportedElsewhere.contains(k)) {
                String where = path.isEmpty() ? "at top level" : "at " + path;
                error("unknown key '" + ConfigValues.clip(k) + "' " + where + "; allowed: " + String.join(", ", allowed)
                        + KeySuggestions.hint(k, path, allowed));
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    void error(String message) {
        errors.add(message);
    }

    ConfigValues values() {
        return values;
    }

    private static String at(String base, String key) {
        return base.isEmpty() ? key : base + "." + key;
    }

    static String describeIo(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    private static <E> Map<String, E> names(E[] values, Function<E, String> name) {
        Map<String, E> m = new LinkedHashMap<>();
        for (E v : values) {
            m.put(name.apply(v), v);
        }
        return m;
    }
}
