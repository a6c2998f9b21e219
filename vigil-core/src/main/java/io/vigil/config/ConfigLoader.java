package io.vigil.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.vigil.PipelineOptions;
import io.vigil.filter.EventFilter;
import io.vigil.redact.RedactionPolicy;
import io.vigil.sink.FileSinkOptions;

import java.io.File;
import java.io.IOException;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a {@link VigilConfig} from YAML (or JSON) and {@code .properties} files. Every key is checked: unknown keys,
 * values of the wrong type and values outside their allowed set are all reported together in one
 * {@link ConfigException}, each with its key path. The configuration may sit at the root of the document or under a
 * {@code vigil} key, so it can share an {@code application.yml} with other settings. See
 * {@code docs/configuration.md} for every key.
 */
public final class ConfigLoader {

    /** The key under which the configuration may be nested in a shared file. */
    static final String WRAPPER = "vigil";
    /** Used by the {@code target}/{@code filePath} shorthand; {@code ~} is the user's home directory. */
    static final String DEFAULT_FILE_PATH = "~/.vigil/audit/audit.jsonl";
    /** Where a syslog sink spools by default: a directory per sink, named after it. */
    static final String DEFAULT_SPOOL_DIR = "~/.vigil/spool";
    /** The sink name given by the {@code target}/{@code filePath} shorthand. */
    static final String SHORTHAND_SINK_NAME = "default";

    // The schema, as data: the reader rejects any key not listed here, and acceptedKeys() is built from the same
    // lists so the documentation test can enumerate them.
    static final List<String> TOP_KEYS = List.of("enabled", "target", "filePath", "categories", "outcomes",
            "minOutcome", "minSeverity", "types", "includeRequestIds", "pipeline", "redaction", "sinks");
    static final List<String> FILTER_KEYS = List.of("categories", "outcomes", "minOutcome", "minSeverity", "types");
    static final List<String> TYPES_KEYS = List.of("include", "exclude");
    static final List<String> PIPELINE_KEYS = List.of("queueCapacity", "batchSize", "overflow", "blockTimeout",
            "shutdownTimeout", "shutdownHook", "retry");
    static final List<String> RETRY_KEYS = List.of("maxAttempts", "initialBackoff", "maxBackoff");
    static final List<String> REDACTION_KEYS = List.of("enabled", "keys", "allowKeys", "replacement", "hmacKeys",
            "hmacKeyFile", "maxFieldLength", "maxDetailsBytes", "maxDetailsDepth");
    static final List<String> CUSTOM_SINK_KEYS = List.of("type", "name", "filter");
    static final List<String> STDOUT_SINK_KEYS = List.of("type", "name", "filter", "format");
    static final List<String> FILE_SINK_KEYS = List.of("type", "name", "filter", "format", "path", "rotation",
            "fsync");
    static final List<String> SYSLOG_SINK_KEYS = List.of("type", "name", "filter", "format", "host", "port",
            "transport", "trustFile", "appName", "hostname", "facility", "enterpriseNumber", "spool",
            "maxMessageSize", "connectTimeout", "backoff");
    static final List<String> KAFKA_SINK_KEYS = List.of("type", "name", "filter", "format", "bootstrap", "topic",
            "keyBy", "chain", "eventsPerRecord", "properties");
    /** Every key some sink type takes, in the order the documentation lists them. */
    static final List<String> ALL_SINK_KEYS = union(FILE_SINK_KEYS, SYSLOG_SINK_KEYS, KAFKA_SINK_KEYS);
    static final List<String> ROTATION_KEYS = List.of("maxSize", "daily", "gzip");
    static final List<String> SPOOL_KEYS = List.of("dir", "maxSize");
    static final List<String> BACKOFF_KEYS = List.of("min", "max");
    /**
     * Sections of the same file that other modules read, each documented by its module: {@code detect} by
     * vigil-detect (docs/detection.md), {@code server} by {@code vigil serve} (docs/server.md). The log accepts them
     * without looking inside; {@link #loadSection} hands one to its module's reader.
     */
    static final List<String> MODULE_SECTIONS = List.of("detect", "server");
    /**
     * Module sections whose name the host application's own settings use too (Spring Boot's {@code server.port}):
     * beside the {@code vigil} wrapper they are the host's, never taken for Vigil's given in two places.
     */
    static final List<String> HOST_NAMES = List.of("server");
    /** The keys allowed where the configuration sits: the log's own and the other modules' sections. */
    static final List<String> ROOT_KEYS = concat(TOP_KEYS, MODULE_SECTIONS);

    private static final Pattern YAML_MARK = Pattern.compile("^\\s+in .*, line (\\d+), column (\\d+):?$");

    private static final YAMLMapper YAML = YAMLMapper.builder()
            // A key given twice in an audit configuration is a mistake, not "last one wins".
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private ConfigLoader() {
    }

    /**
     * Loads a file, choosing the format by extension: {@code .yml} and {@code .yaml} are read as YAML, {@code .json}
     * as JSON, {@code .properties} as properties (UTF-8). The file name is the source in messages.
     *
     * @throws ConfigException when the file cannot be read, has another extension, or is not a valid configuration
     */
    public static VigilConfig load(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ConfigException(file.toString(), "cannot read the file: " + ConfigReader.describeIo(e), e);
        }
        return parse(bytes, file);
    }

    /** Parses file content already read, for {@link ConfigWatcher}, which hashes exactly the bytes it parses. */
    static VigilConfig parse(byte[] content, Path file) {
        Tree tree = tree(content, file);
        return new ConfigReader(file.toString(), tree.stringly()).read(tree.root());
    }

    /** A parsed document, and whether its values are all strings (a properties file). */
    private record Tree(JsonNode root, boolean stringly) {
    }

    /** Parses file content by the file's extension. */
    private static Tree tree(byte[] content, Path file) {
        String source = file.toString();
        String text = new String(content, StandardCharsets.UTF_8);
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".yml") || name.endsWith(".yaml")) {
            return new Tree(yamlTree(text, source), false);
        }
        if (name.endsWith(".json")) {
            return new Tree(jsonTree(text, source), false);
        }
        if (name.endsWith(".properties")) {
            Properties p = new Properties();
            try {
                p.load(new StringReader(text));
            } catch (IOException | IllegalArgumentException e) {
                throw new ConfigException(source, "malformed properties file: " + e.getMessage(), e);
            }
            return new Tree(propertiesTree(p, source), true);
        }
        throw new ConfigException(source, List.of("unsupported file type; the name must end in .yml, .yaml, .json"
                + " or .properties"));
    }

    /**
     * Parses YAML (or JSON) text.
     *
     * @param sourceName named in error messages, e.g. the file name
     * @throws ConfigException listing every problem, or the line and column of malformed YAML
     */
    public static VigilConfig parseYaml(String text, String sourceName) {
        return new ConfigReader(sourceName, false).read(yamlTree(text, sourceName));
    }

    private static JsonNode yamlTree(String text, String sourceName) {
        try {
            return YAML.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ConfigException(sourceName, malformed(e), e);
        }
    }

    /** Parses JSON text: the same tree as YAML, read by a JSON parser because YAML forbids tab indentation. */
    static VigilConfig parseJson(String text, String sourceName) {
        return new ConfigReader(sourceName, false).read(jsonTree(text, sourceName));
    }

    private static JsonNode jsonTree(String text, String sourceName) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            String what = e.getOriginalMessage() == null ? e.getClass().getSimpleName()
                    : e.getOriginalMessage().strip().lines().findFirst().orElse("");
            throw new ConfigException(sourceName, loc == null || loc.getLineNr() < 1 ? "malformed JSON: " + what
                    : "malformed JSON at line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ": " + what, e);
        }
    }

    /**
     * Parses properties whose keys are the YAML paths written with dots and {@code [index]}, e.g.
     * {@code vigil.sinks[0].rotation.maxSize=100MB}; where a list of values is expected a comma-separated value
     * is accepted too ({@code vigil.categories=auth,authz}). Keys that start with {@code vigil.} are the
     * configuration; when there are none, every key is.
     *
     * @throws ConfigException listing every problem
     */
    public static VigilConfig parseProperties(Properties properties, String sourceName) {
        return new ConfigReader(sourceName, true).read(propertiesTree(properties, sourceName));
    }

    private static ObjectNode propertiesTree(Properties properties, String sourceName) {
        List<String> errors = new ArrayList<>();
        List<String> all = new ArrayList<>(properties.stringPropertyNames());
        all.sort(null);
        List<String> wrapped = new ArrayList<>();
        for (String k : all) {
            if (k.equals(WRAPPER) || k.startsWith(WRAPPER + ".") || k.startsWith(WRAPPER + "[")) {
                wrapped.add(k);
            }
        }
        ObjectNode tree;
        if (wrapped.isEmpty()) {
            tree = PropertiesTree.build(properties, all, errors);
        } else {
            // Build only the vigil.* keys: other keys in a shared file belong to someone else and may use shapes
            // (a value and nested keys under one name) that are no concern of ours.
            tree = PropertiesTree.build(properties, wrapped, errors);
            for (String k : all) {
                List<Object> steps = PropertiesTree.parseKey(k);
                if (steps != null && !wrapped.contains(k) && ROOT_KEYS.contains((String) steps.get(0))
                        && !HOST_NAMES.contains((String) steps.get(0))) {
                    // Only its presence matters: the reader reports a configuration given both ways.
                    tree.put((String) steps.get(0), k);
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new ConfigException(sourceName, errors);
        }
        return tree;
    }

    /**
     * Reads another module's section of a configuration file, for instance vigil-detect's {@code detect}: the file is
     * parsed as {@link #load} parses it, the section is found where the configuration sits (at the root or under
     * {@code vigil}) and handed to {@code reader}, which reads it through {@link ConfigSection}. The names of the
     * top-level keys are checked too, so a misspelt section is reported rather than ignored; their values belong to
     * the log and are checked when the log loads the file.
     *
     * @param section one of {@link #moduleSections()}
     * @throws ConfigException          listing every problem in the file's top-level names and in the section
     * @throws IllegalArgumentException when {@code section} is not a module section
     */
    public static <T> T loadSection(Path file, String section, Function<ConfigSection, T> reader) {
        checkSection(section);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ConfigException(file.toString(), "cannot read the file: " + ConfigReader.describeIo(e), e);
        }
        Tree tree = tree(bytes, file);
        return new ConfigReader(file.toString(), tree.stringly()).readSection(tree.root(), section, reader);
    }

    /** {@link #loadSection} on YAML (or JSON) text. */
    public static <T> T parseYamlSection(String text, String sourceName, String section,
            Function<ConfigSection, T> reader) {
        checkSection(section);
        return new ConfigReader(sourceName, false).readSection(yamlTree(text, sourceName), section, reader);
    }

    /** {@link #loadSection} on properties, with the keys of {@link #parseProperties}. */
    public static <T> T parsePropertiesSection(Properties properties, String sourceName, String section,
            Function<ConfigSection, T> reader) {
        checkSection(section);
        return new ConfigReader(sourceName, true).readSection(propertiesTree(properties, sourceName), section, reader);
    }

    /** The top-level sections the log accepts without reading them, because another module reads them. */
    public static List<String> moduleSections() {
        return MODULE_SECTIONS;
    }

    private static void checkSection(String section) {
        if (!MODULE_SECTIONS.contains(section)) {
            throw new IllegalArgumentException("'" + section + "' is not a module section; module sections: "
                    + String.join(", ", MODULE_SECTIONS));
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }

    /**
     * The configuration of an empty file: disabled; when enabled, every event to {@code ~/.vigil/audit/audit.jsonl}
     * with request ids kept, default redaction and the default pipeline.
     */
    public static VigilConfig defaults() {
        return new VigilConfig(false, EventFilter.ALL, true, RedactionPolicy.DEFAULT, PipelineOptions.DEFAULT,
                List.of(new SinkConfig.File(SHORTHAND_SINK_NAME,
                        FileSinkOptions.defaults(expandHome(DEFAULT_FILE_PATH)), EventFilter.ALL)));
    }

    /**
     * Every key path the loader accepts, relative to the configuration root, with {@code []} standing for a list
     * index: {@code pipeline.retry.maxAttempts}, {@code sinks[].rotation.maxSize}, ... Only leaves are listed.
     */
    public static List<String> acceptedKeys() {
        List<String> keys = new ArrayList<>();
        for (String k : TOP_KEYS) {
            switch (k) {
                case "types" -> TYPES_KEYS.forEach(t -> keys.add("types." + t));
                case "pipeline" -> PIPELINE_KEYS.forEach(p -> {
                    if (p.equals("retry")) {
                        RETRY_KEYS.forEach(r -> keys.add("pipeline.retry." + r));
                    } else {
                        keys.add("pipeline." + p);
                    }
                });
                case "redaction" -> REDACTION_KEYS.forEach(r -> keys.add("redaction." + r));
                case "sinks" -> ALL_SINK_KEYS.forEach(s -> {
                    switch (s) {
                        case "filter" -> FILTER_KEYS.forEach(f -> {
                            if (f.equals("types")) {
                                TYPES_KEYS.forEach(t -> keys.add("sinks[].filter.types." + t));
                            } else {
                                keys.add("sinks[].filter." + f);
                            }
                        });
                        case "rotation" -> ROTATION_KEYS.forEach(r -> keys.add("sinks[].rotation." + r));
                        case "spool" -> SPOOL_KEYS.forEach(r -> keys.add("sinks[].spool." + r));
                        case "backoff" -> BACKOFF_KEYS.forEach(r -> keys.add("sinks[].backoff." + r));
                        default -> keys.add("sinks[]." + s);
                    }
                });
                default -> keys.add(k);
            }
        }
        return List.copyOf(keys);
    }

    @SafeVarargs
    private static List<String> union(List<String>... lists) {
        LinkedHashSet<String> all = new LinkedHashSet<>();
        for (List<String> l : lists) {
            all.addAll(l);
        }
        return List.copyOf(all);
    }

    /** This machine's name, the default chain of a Kafka sink; {@code localhost} when it has none that resolves. */
    static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /** {@code ~} or a leading {@code ~/} becomes the user's home directory; other paths are taken as written. */
    static Path expandHome(String path) {
        if (path.equals("~")) {
            return Path.of(System.getProperty("user.home"));
        }
        if (path.startsWith("~/") || path.startsWith("~" + File.separator)) {
            return Path.of(System.getProperty("user.home"), path.substring(2));
        }
        return Path.of(path);
    }

    private static String malformed(JsonProcessingException e) {
        String msg = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
        // SnakeYAML's text has unindented description lines and indented " in 'reader', line N, column M:" marks
        // with a snippet; the last mark is where the problem is, Jackson's own location is only where it stopped.
        List<String> description = new ArrayList<>();
        int line = -1;
        int column = -1;
        for (String l : msg.split("\\R")) {
            Matcher m = YAML_MARK.matcher(l);
            if (m.find()) {
                line = Integer.parseInt(m.group(1));
                column = Integer.parseInt(m.group(2));
            } else if (!l.isBlank() && !Character.isWhitespace(l.charAt(0))) {
                description.add(l.strip());
            }
        }
        JsonLocation loc = e.getLocation();
        if (line < 0 && loc != null && loc.getLineNr() > 0) {
            line = loc.getLineNr();
            column = loc.getColumnNr();
        }
        String what = description.isEmpty() ? msg.strip() : String.join("; ", description);
        return line < 0 ? "malformed YAML: " + what
                : "malformed YAML at line " + line + ", column " + column + ": " + what;
    }
}
