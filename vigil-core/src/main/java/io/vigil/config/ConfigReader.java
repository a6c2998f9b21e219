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
import io.vigil.sink.FileSinkOptions;
import io.vigil.sink.FsyncPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import static io.vigil.config.ConfigLoader.FILE_SINK_KEYS;
import static io.vigil.config.ConfigLoader.FILTER_KEYS;
import static io.vigil.config.ConfigLoader.PIPELINE_KEYS;
import static io.vigil.config.ConfigLoader.REDACTION_KEYS;
import static io.vigil.config.ConfigLoader.RETRY_KEYS;
import static io.vigil.config.ConfigLoader.ROTATION_KEYS;
import static io.vigil.config.ConfigLoader.SINK_COMMON_KEYS;
import static io.vigil.config.ConfigLoader.TOP_KEYS;
import static io.vigil.config.ConfigLoader.TYPES_KEYS;

/**
 * One pass over a parsed configuration tree. Every reader method records its problems and carries on, so that one
 * run finds every mistake in the file; objects are built only when nothing was wrong.
 */
final class ConfigReader {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigLoader.class);

    private enum SinkType { FILE, STDOUT, CUSTOM }

    private static final Map<String, SinkType> SINK_TYPES = names(SinkType.values(), t -> t.name().toLowerCase(Locale.ROOT));
    private static final Map<String, Category> CATEGORIES = names(Category.values(), Category::jsonName);
    private static final Map<String, Outcome> OUTCOMES = names(Outcome.values(), Outcome::jsonName);
    private static final Map<String, Severity> SEVERITIES = names(Severity.values(), Severity::jsonName);
    private static final Map<String, OverflowPolicy> OVERFLOW = names(OverflowPolicy.values(), OverflowPolicy::configName);
    private static final Map<String, FsyncPolicy> FSYNC = names(FsyncPolicy.values(), FsyncPolicy::configName);

    private final String source;
    /** True for properties, where every value is a string and lists may be comma-separated. */
    private final boolean stringly;
    private final List<String> errors = new ArrayList<>();

    ConfigReader(String source, boolean stringly) {
        this.source = source;
        this.stringly = stringly;
    }

    VigilConfig read(JsonNode tree) {
        String base = "";
        ObjectNode root = object(tree, "");
        if (root == null) {
            throw new ConfigException(source, errors);
        }
        if (root.has(ConfigLoader.WRAPPER)) {
            List<String> outside = new ArrayList<>();
            root.fieldNames().forEachRemaining(k -> {
                if (TOP_KEYS.contains(k)) {
                    outside.add(k);
                }
            });
            if (!outside.isEmpty()) {
                error("configuration given both at the top level (" + String.join(", ", outside) + ") and under '"
                        + ConfigLoader.WRAPPER + "'; put all of it in one place");
            }
            // Other top-level keys of a shared file (spring:, server:, ...) are not ours to judge.
            base = ConfigLoader.WRAPPER;
            root = object(root.get(ConfigLoader.WRAPPER), base);
            if (root == null) {
                throw new ConfigException(source, errors);
            }
        }
        checkKeys(root, base, TOP_KEYS);

        Boolean enabled = bool(root.get("enabled"), at(base, "enabled"));
        EventFilter filter = filter(root, base);
        Boolean includeRequestIds = bool(root.get("includeRequestIds"), at(base, "includeRequestIds"));
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

    // ---------------------------------------------------------------- sections

    private EventFilter filter(ObjectNode o, String base) {
        EventFilter f = EventFilter.ALL;
        Set<Category> categories = allOrList(o.get("categories"), at(base, "categories"), CATEGORIES, Category.class,
                "categories");
        if (categories != null) {
            f = f.withCategories(categories);
        }
        JsonNode outcomesNode = present(o.get("outcomes"));
        JsonNode minOutcomeNode = present(o.get("minOutcome"));
        if (outcomesNode != null && minOutcomeNode != null) {
            error(at(base, "minOutcome") + ": cannot be combined with " + at(base, "outcomes")
                    + "; set one of them (minOutcome: failure keeps failure, denied and error)");
        } else if (outcomesNode != null) {
            Set<Outcome> outcomes = allOrList(outcomesNode, at(base, "outcomes"), OUTCOMES, Outcome.class, "outcomes");
            if (outcomes != null) {
                f = f.withOutcomes(outcomes);
            }
        } else if (minOutcomeNode != null) {
            Outcome min = choice(minOutcomeNode, at(base, "minOutcome"), OUTCOMES);
            if (min != null) {
                f = f.withMinOutcome(min);
            }
        }
        Severity minSeverity = choice(o.get("minSeverity"), at(base, "minSeverity"), SEVERITIES);
        if (minSeverity != null) {
            f = f.withMinSeverity(minSeverity);
        }
        String typesPath = at(base, "types");
        ObjectNode types = object(o.get("types"), typesPath);
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
        List<String> patterns = stringList(n, path, "type patterns");
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
                error(path + "[" + i + "]: '" + clip(p) + "' is not a type pattern; expected a type name"
                        + " (auth.login.failure), a prefix ending in .* (auth.*) or *");
            }
        }
        return good;
    }

    private PipelineOptions pipeline(JsonNode n, String path) {
        ObjectNode o = object(n, path);
        if (o == null) {
            return PipelineOptions.DEFAULT;
        }
        checkKeys(o, path, PIPELINE_KEYS);
        PipelineOptions p = PipelineOptions.DEFAULT;
        Integer queue = integer(o.get("queueCapacity"), at(path, "queueCapacity"), 2, 1 << 26);
        if (queue != null) {
            p = p.withQueueCapacity(queue);
        }
        Integer batch = integer(o.get("batchSize"), at(path, "batchSize"), 1, 65_536);
        if (batch != null) {
            p = p.withBatchSize(batch);
        }
        OverflowPolicy overflow = choice(o.get("overflow"), at(path, "overflow"), OVERFLOW);
        if (overflow != null) {
            p = p.withOverflow(overflow);
        }
        Duration block = duration(o.get("blockTimeout"), at(path, "blockTimeout"));
        if (block != null) {
            p = p.withBlockTimeout(block);
        }
        Duration shutdown = duration(o.get("shutdownTimeout"), at(path, "shutdownTimeout"));
        if (shutdown != null) {
            p = p.withShutdownTimeout(shutdown);
        }
        Boolean hook = bool(o.get("shutdownHook"), at(path, "shutdownHook"));
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
        ObjectNode o = object(n, path);
        if (o == null) {
            return null;
        }
        checkKeys(o, path, RETRY_KEYS);
        RetryPolicy d = RetryPolicy.DEFAULT;
        Integer attempts = integer(o.get("maxAttempts"), at(path, "maxAttempts"), 1, 1_000);
        Duration initial = duration(o.get("initialBackoff"), at(path, "initialBackoff"));
        Duration max = duration(o.get("maxBackoff"), at(path, "maxBackoff"));
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
        ObjectNode o = object(n, path);
        RedactionPolicy d = RedactionPolicy.DEFAULT;
        if (o == null) {
            return d;
        }
        checkKeys(o, path, REDACTION_KEYS);
        Boolean enabled = bool(o.get("enabled"), at(path, "enabled"));
        List<String> keys = detailKeys(o.get("keys"), at(path, "keys"));
        List<String> allowKeys = detailKeys(o.get("allowKeys"), at(path, "allowKeys"));
        String replacement = string(o.get("replacement"), at(path, "replacement"), true);
        List<String> hmacKeys = detailKeys(o.get("hmacKeys"), at(path, "hmacKeys"));
        Path keyFile = path(o.get("hmacKeyFile"), at(path, "hmacKeyFile"));
        Integer maxFieldLength = integer(o.get("maxFieldLength"), at(path, "maxFieldLength"), 16, Integer.MAX_VALUE);
        Long maxDetailsBytes = size(o.get("maxDetailsBytes"), at(path, "maxDetailsBytes"), 256, Integer.MAX_VALUE);
        Integer maxDetailsDepth = integer(o.get("maxDetailsDepth"), at(path, "maxDetailsDepth"), 1, 32);

        Optional<HmacKey> key = Optional.empty();
        if (keyFile != null) {
            key = hmacKey(keyFile, at(path, "hmacKeyFile"));
        } else if (hmacKeys != null && !hmacKeys.isEmpty() && present(o.get("hmacKeyFile")) == null) {
            error(at(path, "hmacKeys") + ": is set but " + at(path, "hmacKeyFile") + " is not; keyed pseudonyms"
                    + " need a key file holding at least " + HmacKey.MIN_BYTES + " random bytes in base64");
        }
        if (key == null) {
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

    /** The key, or null (with an error recorded) when the file cannot be read or holds no usable key. */
    private Optional<HmacKey> hmacKey(Path file, String path) {
        HmacKey key;
        try {
            key = HmacKey.fromFile(file);
        } catch (IOException e) {
            error(path + ": cannot read '" + file + "': " + describeIo(e));
            return null;
        } catch (IllegalArgumentException e) {
            error(path + ": '" + file + "' is not a usable key: " + e.getMessage());
            return null;
        }
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
                LOG.warn("{}: {}: the HMAC key file '{}' is readable by group or others ({}); restrict it to its"
                                + " owner (chmod 600)", source, path, file,
                        PosixFilePermissions.toString(perms));
            }
        } catch (UnsupportedOperationException | IOException e) {
            // Not a POSIX file system (or attributes unreadable): nothing meaningful to check.
        }
        return Optional.of(key);
    }

    private List<String> detailKeys(JsonNode n, String path) {
        List<String> keys = stringList(n, path, "detail keys");
        if (keys == null) {
            return null;
        }
        List<String> good = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            if (RedactionPolicy.normaliseKey(keys.get(i)).isEmpty()) {
                error(path + "[" + i + "]: '" + clip(keys.get(i)) + "' has no letter or digit, so it matches nothing");
            } else {
                good.add(keys.get(i));
            }
        }
        return good;
    }

    private List<SinkConfig> sinks(ObjectNode root, String base) {
        JsonNode sinksNode = present(root.get("sinks"));
        JsonNode targetNode = present(root.get("target"));
        JsonNode filePathNode = present(root.get("filePath"));
        if (sinksNode != null) {
            for (String k : List.of("target", "filePath")) {
                if (present(root.get(k)) != null) {
                    error(at(base, k) + ": cannot be combined with " + at(base, "sinks") + "; target and filePath"
                            + " are a shorthand for one sink, so declare that sink in sinks instead");
                }
            }
            return sinkList(sinksNode, at(base, "sinks"));
        }
        SinkType target = choice(targetNode, at(base, "target"), SINK_TYPES);
        Path file = path(filePathNode, at(base, "filePath"));
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
        };
    }

    private List<SinkConfig> sinkList(JsonNode n, String path) {
        if (!n.isArray()) {
            error(path + ": expected a list of sinks, each a mapping with at least 'type' (file, stdout or custom),"
                    + " got " + describe(n));
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
            error(path + ": expected a mapping with at least 'type' (file, stdout or custom), got "
                    + (n == null ? "nothing" : describe(n)));
            return null;
        }
        ObjectNode o = (ObjectNode) n;
        JsonNode typeNode = present(o.get("type"));
        SinkType type = null;
        if (typeNode == null) {
            error(at(path, "type") + ": is required; allowed: " + String.join(", ", SINK_TYPES.keySet()));
        } else {
            type = choice(typeNode, at(path, "type"), SINK_TYPES);
        }
        if (type == null) {
            checkKeys(o, path, FILE_SINK_KEYS);
        } else {
            String typeName = type.name().toLowerCase(Locale.ROOT);
            List<String> allowed = type == SinkType.FILE ? FILE_SINK_KEYS : SINK_COMMON_KEYS;
            List<String> otherTypes = new ArrayList<>();
            for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!allowed.contains(k) && FILE_SINK_KEYS.contains(k)) {
                    otherTypes.add(k);
                    error(at(path, k) + ": does not apply to a " + typeName + " sink; keys of " + typeName
                            + " sinks: " + String.join(", ", allowed));
                }
            }
            checkKeys(o, path, allowed, otherTypes);
        }

        JsonNode nameNode = present(o.get("name"));
        String name = nameNode == null ? null : string(nameNode, at(path, "name"), false);
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
        ObjectNode filterNode = object(o.get("filter"), filterPath);
        EventFilter filter = EventFilter.ALL;
        if (filterNode != null) {
            checkKeys(filterNode, filterPath, FILTER_KEYS);
            filter = filter(filterNode, filterPath);
        }

        FileSinkOptions options = null;
        if (type == SinkType.FILE) {
            options = fileOptions(o, path);
        }
        if (type == null || name == null || (type == SinkType.FILE && options == null)) {
            return null;
        }
        return switch (type) {
            case FILE -> new SinkConfig.File(name, options, filter);
            case STDOUT -> new SinkConfig.Stdout(name, filter);
            case CUSTOM -> new SinkConfig.Custom(name, filter);
        };
    }

    private FileSinkOptions fileOptions(ObjectNode o, String path) {
        JsonNode pathNode = present(o.get("path"));
        Path file = null;
        if (pathNode == null) {
            error(at(path, "path") + ": is required for a file sink (e.g. path: /var/log/app/audit.jsonl)");
        } else {
            file = path(pathNode, at(path, "path"));
        }
        String rotPath = at(path, "rotation");
        ObjectNode rotation = object(o.get("rotation"), rotPath);
        Long maxSize = null;
        Boolean daily = null;
        Boolean gzip = null;
        if (rotation != null) {
            checkKeys(rotation, rotPath, ROTATION_KEYS);
            maxSize = size(rotation.get("maxSize"), at(rotPath, "maxSize"), 0, Long.MAX_VALUE);
            if (maxSize != null && maxSize > 0 && maxSize < 1024) {
                error(at(rotPath, "maxSize") + ": " + maxSize + " bytes is too small; use 0 (no size limit) or at"
                        + " least 1KB");
                maxSize = null;
            }
            daily = bool(rotation.get("daily"), at(rotPath, "daily"));
            gzip = bool(rotation.get("gzip"), at(rotPath, "gzip"));
        }
        FsyncPolicy fsync = choice(o.get("fsync"), at(path, "fsync"), FSYNC);
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

    // ---------------------------------------------------------------- values

    /** Absent and YAML null both mean "not set", so an emptied-out section falls back to defaults. */
    private static JsonNode present(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode() ? null : n;
    }

    /** The mapping at {@code path}; an empty one when absent; null (with an error) when it is something else. */
    private ObjectNode object(JsonNode n, String path) {
        if (present(n) == null) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!n.isObject()) {
            error((path.isEmpty() ? "the configuration" : path) + ": expected a mapping of keys to values, got "
                    + describe(n));
            return null;
        }
        return (ObjectNode) n;
    }

    private Boolean bool(JsonNode n, String path) {
        if ((n = present(n)) == null) {
            return null;
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        if (stringly && n.isTextual()) {
            String t = n.textValue().strip();
            if (t.equalsIgnoreCase("true") || t.equalsIgnoreCase("false")) {
                return Boolean.parseBoolean(t);
            }
        }
        error(path + ": expected true or false, got " + describe(n));
        return null;
    }

    private Integer integer(JsonNode n, String path, int min, int max) {
        if ((n = present(n)) == null) {
            return null;
        }
        Long v = null;
        if (n.isIntegralNumber() && n.canConvertToLong()) {
            v = n.longValue();
        } else if (stringly && n.isTextual()) {
            try {
                v = Long.parseLong(n.textValue().strip());
            } catch (NumberFormatException e) {
                v = null;
            }
        }
        String range = max == Integer.MAX_VALUE ? "at least " + min : "from " + min + " to " + max;
        if (v == null) {
            error(path + ": expected a whole number " + range + ", got " + describe(n));
            return null;
        }
        if (v < min || v > max) {
            error(path + ": " + v + " is out of range; expected a whole number " + range);
            return null;
        }
        return (int) (long) v;
    }

    private String string(JsonNode n, String path, boolean emptyAllowed) {
        if ((n = present(n)) == null) {
            return null;
        }
        if (!n.isTextual()) {
            error(path + ": expected a string, got " + describe(n));
            return null;
        }
        if (!emptyAllowed && n.textValue().isBlank()) {
            error(path + ": must not be empty");
            return null;
        }
        return n.textValue();
    }

    private Path path(JsonNode n, String path) {
        String s = string(n, path, false);
        if (s == null) {
            return null;
        }
        try {
            return ConfigLoader.expandHome(s.strip());
        } catch (InvalidPathException e) {
            error(path + ": '" + clip(s) + "' is not a valid path: " + e.getReason());
            return null;
        }
    }

    private <E> E choice(JsonNode n, String path, Map<String, E> allowed) {
        if ((n = present(n)) == null) {
            return null;
        }
        String names = String.join(", ", allowed.keySet());
        if (!n.isTextual()) {
            error(path + ": expected one of " + names + ", got " + describe(n));
            return null;
        }
        String t = n.textValue().strip();
        E v = allowed.get(t.toLowerCase(Locale.ROOT));
        if (v == null) {
            error(path + ": '" + clip(t) + "' is not allowed; allowed: " + names + suggestion(t, allowed.keySet()));
        }
        return v;
    }

    private Duration duration(JsonNode n, String path) {
        if ((n = present(n)) == null) {
            return null;
        }
        Duration d = n.isTextual() ? Units.parseDuration(n.textValue().strip()) : null;
        if (d == null) {
            String hint = n.isIntegralNumber() ? " (add a unit, e.g. " + n.asText() + "ms)" : "";
            error(path + ": " + (n.isTextual() ? "'" + clip(n.textValue()) + "'" : describe(n))
                    + " is not a duration; expected " + Units.DURATION_GRAMMAR + hint);
        } else if (d.compareTo(io.vigil.PipelineOptions.MAX_WAIT) > 0) {
            error(path + ": '" + clip(n.textValue()) + "' is too long; at most "
                    + Units.formatDuration(io.vigil.PipelineOptions.MAX_WAIT));
            return null;
        }
        return d;
    }

    private Long size(JsonNode n, String path, long min, long max) {
        if ((n = present(n)) == null) {
            return null;
        }
        Long v = null;
        if (n.isIntegralNumber() && n.canConvertToLong()) {
            v = n.longValue() < 0 ? null : n.longValue();
        } else if (n.isTextual()) {
            v = Units.parseSize(n.textValue().strip());
        }
        if (v == null) {
            error(path + ": " + (n.isTextual() ? "'" + clip(n.textValue()) + "'" : describe(n))
                    + " is not a size; expected " + Units.SIZE_GRAMMAR);
            return null;
        }
        if (v < min || v > max) {
            error(path + ": " + Units.formatSize(v) + " is out of range; expected "
                    + (max == Long.MAX_VALUE ? "at least " + Units.formatSize(min)
                    : "from " + Units.formatSize(min) + " to " + max + " bytes"));
            return null;
        }
        return v;
    }

    /** The elements of a list; in properties a comma-separated value is a list too. */
    private List<JsonNode> list(JsonNode n, String path, String what) {
        if ((n = present(n)) == null) {
            return null;
        }
        List<JsonNode> items = new ArrayList<>();
        if (n.isArray()) {
            n.forEach(items::add);
        } else if (stringly && n.isTextual()) {
            for (String part : n.textValue().split(",")) {
                if (!part.isBlank()) {
                    items.add(JsonNodeFactory.instance.textNode(part.strip()));
                }
            }
        } else {
            error(path + ": expected a list of " + what + ", got " + describe(n));
            return null;
        }
        return items;
    }

    private List<String> stringList(JsonNode n, String path, String what) {
        List<JsonNode> items = list(n, path, what);
        if (items == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            if (item.isTextual()) {
                out.add(item.textValue());
            } else {
                error(path + "[" + i + "]: expected a string, got " + describe(item));
            }
        }
        return out;
    }

    /** {@code all}, or a non-empty list of names; null when absent or wrong. */
    private <E extends Enum<E>> Set<E> allOrList(JsonNode n, String path, Map<String, E> allowed, Class<E> type,
                                                 String what) {
        if ((n = present(n)) == null) {
            return null;
        }
        String names = String.join(", ", allowed.keySet());
        if (n.isTextual() && n.textValue().strip().equalsIgnoreCase("all")) {
            return EnumSet.allOf(type);
        }
        if (!n.isArray() && !(stringly && n.isTextual())) {
            error(path + ": expected 'all' or a list of " + what + " (" + names + "), got " + describe(n));
            return null;
        }
        List<JsonNode> items = list(n, path, what);
        if (items.isEmpty()) {
            // An empty list would silently keep nothing; someone who wants that should say enabled: false.
            error(path + ": an empty list keeps no events; use 'all', list some " + what + ", or set enabled: false");
            return null;
        }
        EnumSet<E> set = EnumSet.noneOf(type);
        boolean ok = true;
        for (int i = 0; i < items.size(); i++) {
            E v = choice(items.get(i), path + "[" + i + "]", allowed);
            if (v == null) {
                ok = false;
            } else {
                set.add(v);
            }
        }
        return ok ? set : null;
    }

    // ---------------------------------------------------------------- keys

    private void checkKeys(ObjectNode o, String path, List<String> allowed) {
        checkKeys(o, path, allowed, List.of());
    }

    /** Reports every key not in {@code allowed}, except those in {@code reportedElsewhere}. */
    private void checkKeys(ObjectNode o, String path, List<String> allowed, List<String> reportedElsewhere) {
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!allowed.contains(k) && !reportedElsewhere.contains(k)) {
                String where = path.isEmpty() ? "at top level" : "at " + path;
                error("unknown key '" + clip(k) + "' " + where + "; allowed: " + String.join(", ", allowed)
                        + hint(k, path, allowed));
            }
        }
    }

    private static String hint(String key, String path, List<String> allowed) {
        String s = suggestion(key, allowed);
        if (!s.isEmpty()) {
            return s;
        }
        // A real key in the wrong section (queueCapacity at top level) is worth pointing to where it belongs.
        String relative = path.equals(ConfigLoader.WRAPPER) ? ""
                : path.startsWith(ConfigLoader.WRAPPER + ".") ? path.substring(ConfigLoader.WRAPPER.length() + 1)
                : path;
        String shape = relative.replaceAll("\\[[0-9]+]", "[]");
        List<String> homes = new ArrayList<>();
        for (String accepted : ConfigLoader.acceptedKeys()) {
            String[] segments = accepted.split("\\.");
            for (int i = 0; i < segments.length; i++) {
                if (segments[i].equals(key)) {
                    String parent = String.join(".", List.of(segments).subList(0, i));
                    String home = String.join(".", List.of(segments).subList(0, i + 1));
                    if (!parent.equals(shape) && !homes.contains(home)) {
                        homes.add(home);
                    }
                }
            }
        }
        return homes.isEmpty() ? "" : "; '" + key + "' belongs at " + String.join(" or ", homes);
    }

    /** "; did you mean 'x'?" for the closest candidate within a small edit distance, else "". */
    static String suggestion(String given, Iterable<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        String g = given.toLowerCase(Locale.ROOT);
        for (String c : candidates) {
            int d = editDistance(g, c.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        int limit = Math.max(1, Math.min(3, given.length() / 3));
        return best != null && bestDistance <= limit ? "; did you mean '" + best + "'?" : "";
    }

    /** Levenshtein distance; inputs are short keys, so the quadratic table is fine. */
    static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    // ---------------------------------------------------------------- helpers

    private void error(String message) {
        errors.add(message);
    }

    private static String at(String base, String key) {
        return base.isEmpty() ? key : base + "." + key;
    }

    static String describe(JsonNode n) {
        if (n.isTextual()) {
            return "the string '" + clip(n.textValue()) + "'";
        }
        if (n.isNumber()) {
            return "the number " + n.asText();
        }
        if (n.isBoolean()) {
            return "the boolean " + n.asText();
        }
        if (n.isArray()) {
            return "a list";
        }
        if (n.isObject()) {
            return "a mapping";
        }
        return n.getNodeType().toString().toLowerCase(Locale.ROOT);
    }

    private static String clip(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
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
