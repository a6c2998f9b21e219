package io.vigil.detect;

import io.vigil.config.ConfigException;
import io.vigil.config.ConfigLoader;
import io.vigil.config.ConfigSection;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Detection as configured in the {@code detect} section of a Vigil configuration file (YAML, JSON or
 * {@code .properties}, at the root or under {@code vigil}, beside the log's own keys): whether detection is on, which
 * detectors run with which rules, and the state's bound. Every key is checked as the log's keys are: unknown keys
 * (with the closest allowed one), wrong types, durations without a unit and values a rule refuses are all reported
 * together in one {@link ConfigException}, each with its key path. See {@code docs/detection.md} for every key.
 *
 * <pre>{@code
 * DetectionConfig config = DetectionConfig.load(Path.of("/etc/myapp/vigil.yml"));
 * if (config.enabled()) {
 *     DetectionStage detection = config.builder().build();
 *     ...
 * }
 * }</pre>
 *
 * <p>Without a {@code detect} section every detector runs with its default rule, as {@link #defaults()} gives.
 */
public final class DetectionConfig {

    /** The section of the configuration file this reads. */
    public static final String SECTION = "detect";

    private static final String ENABLED = "enabled";
    private static final String STATE = "state";
    private static final String MAX_KEYS = "maxKeys";
    private static final Duration SHORTEST_WINDOW = Duration.ofMillis(1);
    /** Long enough for any window a detector has use for; the grammar has no days, so a week is 168h. */
    private static final Duration LONGEST_WINDOW = Duration.ofHours(24 * 31);

    /**
     * Every detector's section under {@code detect}: its keys besides {@code enabled}, and how they make its rule.
     * Adding a detector to configuration is one entry here.
     */
    private static final List<DetectorSection<?>> DETECTORS = List.of(
            new DetectorSection<>("bruteForce", List.of("threshold", "window"),
                    s -> new BruteForceRule(
                            s.integer("threshold", 1, Integer.MAX_VALUE).orElse(BruteForceRule.DEFAULT.threshold()),
                            window(s).orElse(BruteForceRule.DEFAULT.window())),
                    DetectionStage.Builder::bruteForce, BruteForceRule::window),
            new DetectorSection<>("successAfterFailure", List.of("minFailures", "window"),
                    s -> new SuccessAfterFailureRule(
                            s.integer("minFailures", 1, Integer.MAX_VALUE)
                                    .orElse(SuccessAfterFailureRule.DEFAULT.minFailures()),
                            window(s).orElse(SuccessAfterFailureRule.DEFAULT.window())),
                    DetectionStage.Builder::successAfterFailure, SuccessAfterFailureRule::window));

    private final boolean enabled;
    private final List<Configured<?>> detectors;
    private final Optional<Integer> maxKeys;

    private DetectionConfig(boolean enabled, List<Configured<?>> detectors, Optional<Integer> maxKeys) {
        this.enabled = enabled;
        this.detectors = List.copyOf(detectors);
        this.maxKeys = maxKeys;
    }

    /**
     * Reads the {@code detect} section of a configuration file; the format is chosen by the extension as
     * {@link ConfigLoader#load} chooses it.
     *
     * @throws ConfigException naming every problem (and the file when it cannot be read)
     */
    public static DetectionConfig load(Path file) {
        return ConfigLoader.loadSection(Objects.requireNonNull(file, "file"), SECTION, DetectionConfig::read);
    }

    /** Reads the {@code detect} section of YAML (or JSON) text; {@code sourceName} is named in messages. */
    public static DetectionConfig parseYaml(String text, String sourceName) {
        return ConfigLoader.parseYamlSection(text, sourceName, SECTION, DetectionConfig::read);
    }

    /** Reads the {@code detect.*} (or {@code vigil.detect.*}) keys of properties. */
    public static DetectionConfig parseProperties(Properties properties, String sourceName) {
        return ConfigLoader.parsePropertiesSection(properties, sourceName, SECTION, DetectionConfig::read);
    }

    /** Detection on, every detector with its default rule, the default state: what an absent section gives. */
    public static DetectionConfig defaults() {
        return parseYaml("", "defaults");
    }

    /** Whether detection is on ({@code detect.enabled}, true unless set to false). */
    public boolean enabled() {
        return enabled;
    }

    /**
     * A new builder with the configured detectors and, when {@code detect.state.maxKeys} is set, a new in-memory
     * state of that many keys; each call gives a builder of its own, with state of its own.
     */
    public DetectionStage.Builder builder() {
        DetectionStage.Builder b = DetectionStage.builder();
        detectors.forEach(d -> d.addTo(b));
        maxKeys.ifPresent(max -> b.state(DetectorState.inMemory(max, detectors.stream().map(Configured::window)
                .max(Duration::compareTo).orElseThrow())));
        return b;
    }

    /**
     * Every key path this reads, relative to the configuration root ({@code detect.bruteForce.threshold}, ...), in
     * the order of {@code docs/detection.md}.
     */
    public static List<String> acceptedKeys() {
        List<String> keys = new ArrayList<>();
        keys.add(SECTION + "." + ENABLED);
        for (DetectorSection<?> d : DETECTORS) {
            d.allKeys().forEach(k -> keys.add(SECTION + "." + d.name() + "." + k));
        }
        keys.add(SECTION + "." + STATE + "." + MAX_KEYS);
        return List.copyOf(keys);
    }

    private static DetectionConfig read(ConfigSection detect) {
        List<String> allowed = new ArrayList<>(List.of(ENABLED));
        DETECTORS.forEach(d -> allowed.add(d.name()));
        allowed.add(STATE);
        detect.allowOnly(allowed);
        boolean on = detect.bool(ENABLED).orElse(true);
        List<Configured<?>> configured = new ArrayList<>();
        for (DetectorSection<?> d : DETECTORS) {
            d.read(detect).ifPresent(configured::add);
        }
        ConfigSection state = detect.section(STATE);
        state.allowOnly(List.of(MAX_KEYS));
        Optional<Integer> maxKeys = state.integer(MAX_KEYS, 1, Integer.MAX_VALUE);
        if (on && configured.isEmpty()) {
            detect.problem(ENABLED, "detection is on but every detector is disabled; enable one, or set "
                    + detect.path() + "." + ENABLED + ": false");
        }
        return new DetectionConfig(on, configured, maxKeys);
    }

    private static Optional<Duration> window(ConfigSection s) {
        return s.duration("window", SHORTEST_WINDOW, LONGEST_WINDOW);
    }

    /**
     * One detector's section: {@code enabled} (true unless false) and its own keys, which {@code rule} reads into the
     * detector's rule; {@code add} puts the rule on a builder, {@code window} says how long the detector remembers.
     */
    private record DetectorSection<R>(String name, List<String> keys, Function<ConfigSection, R> rule,
                                      BiConsumer<DetectionStage.Builder, R> add, Function<R, Duration> window) {

        List<String> allKeys() {
            List<String> all = new ArrayList<>(List.of(ENABLED));
            all.addAll(keys);
            return all;
        }

        /** The detector as configured; empty when it is disabled or its rule is refused (a problem is recorded). */
        Optional<Configured<?>> read(ConfigSection detect) {
            ConfigSection s = detect.section(name);
            s.allowOnly(allKeys());
            boolean on = s.bool(ENABLED).orElse(true);
            R r;
            try {
                r = rule.apply(s);
            } catch (IllegalArgumentException e) {
                // The rule owns its limits (a threshold of at least 2, ...); its message says which was crossed.
                detect.problem(name, e.getMessage());
                return Optional.empty();
            }
            return on ? Optional.of(new Configured<>(r, add, window.apply(r))) : Optional.empty();
        }
    }

    /** A detector's rule, ready to go on a builder. */
    private record Configured<R>(R rule, BiConsumer<DetectionStage.Builder, R> add, Duration window) {
        void addTo(DetectionStage.Builder b) {
            add.accept(b, rule);
        }
    }
}
