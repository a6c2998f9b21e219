package io.vigil.detect;

import io.vigil.config.ConfigException;
import io.vigil.config.ConfigLoader;
import io.vigil.config.ConfigSection;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
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
    private static final String IPV4_PREFIX = "ipv4Prefix";
    private static final String IPV6_PREFIX = "ipv6Prefix";
    private static final String BAD_IP_FILE = "file";

    /**
     * Every detector's section under {@code detect}: its keys besides {@code enabled}, and how they make its rule.
     * Adding a detector to configuration is one entry here.
     */
    private static final List<DetectorSection<?>> DETECTORS = List.of(
            new DetectorSection<>("bruteForce", List.of("threshold", "window"),
                    s -> new BruteForceRule(
                            s.integer("threshold", 1, Integer.MAX_VALUE).orElse(BruteForceRule.DEFAULT.threshold()),
                            window(s).orElse(BruteForceRule.DEFAULT.window())),
                    DetectionStage.Builder::bruteForce),
            new DetectorSection<>("successAfterFailure", List.of("minFailures", "window"),
                    s -> new SuccessAfterFailureRule(
                            s.integer("minFailures", 1, Integer.MAX_VALUE)
                                    .orElse(SuccessAfterFailureRule.DEFAULT.minFailures()),
                            window(s).orElse(SuccessAfterFailureRule.DEFAULT.window())),
                    DetectionStage.Builder::successAfterFailure),
            new DetectorSection<>("passwordSpraying", List.of("threshold", "window", IPV4_PREFIX, IPV6_PREFIX),
                    s -> new PasswordSprayingRule(
                            s.integer("threshold", 1, Integer.MAX_VALUE)
                                    .orElse(PasswordSprayingRule.DEFAULT.threshold()),
                            window(s).orElse(PasswordSprayingRule.DEFAULT.window()),
                            prefixes(s, PasswordSprayingRule.DEFAULT.network())),
                    DetectionStage.Builder::passwordSpraying),
            new DetectorSection<>("impossibleTravel",
                    List.of("window", IPV4_PREFIX, IPV6_PREFIX, "maxSpeedKmh", "minDistanceKm"),
                    s -> new ImpossibleTravelRule(
                            window(s).orElse(ImpossibleTravelRule.DEFAULT.window()),
                            prefixes(s, ImpossibleTravelRule.DEFAULT.network()),
                            s.integer("maxSpeedKmh", 1, Integer.MAX_VALUE).map(Integer::doubleValue)
                                    .orElse(ImpossibleTravelRule.DEFAULT.maxSpeedKmh()),
                            s.integer("minDistanceKm", 0, Integer.MAX_VALUE).map(Integer::doubleValue)
                                    .orElse(ImpossibleTravelRule.DEFAULT.minDistanceKm())),
                    DetectionStage.Builder::impossibleTravel),
            new DetectorSection<>("newUserAgent", List.of("learning", "remembered", "forgetAfter"),
                    s -> new NewUserAgentRule(
                            s.duration("learning", Duration.ZERO, LONGEST_WINDOW)
                                    .orElse(NewUserAgentRule.DEFAULT.learning()),
                            s.integer("remembered", 1, Integer.MAX_VALUE).orElse(NewUserAgentRule.DEFAULT.remembered()),
                            s.duration("forgetAfter", SHORTEST_WINDOW, LONGEST_WINDOW)
                                    .orElse(NewUserAgentRule.DEFAULT.forgetAfter())),
                    DetectionStage.Builder::newUserAgent),
            new DetectorSection<>("abnormalRate", List.of("limit", "window"),
                    s -> new AbnormalRateRule(
                            s.integer("limit", 1, Integer.MAX_VALUE).orElse(AbnormalRateRule.DEFAULT.limit()),
                            window(s).orElse(AbnormalRateRule.DEFAULT.window())),
                    DetectionStage.Builder::abnormalRate),
            new DetectorSection<>("denialBurst", List.of("threshold", "window"),
                    s -> new DenialBurstRule(
                            s.integer("threshold", 1, Integer.MAX_VALUE).orElse(DenialBurstRule.DEFAULT.threshold()),
                            window(s).orElse(DenialBurstRule.DEFAULT.window())),
                    DetectionStage.Builder::denialBurst),
            new DetectorSection<>("knownBadIps", List.of(BAD_IP_FILE, "checkEvery", "window"), BAD_IP_FILE,
                    DetectionConfig::knownBadIps, (b, r) -> b.knownBadIps(r.list(), r.rule())));

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
        return builder(Optional.empty());
    }

    /**
     * As {@link #builder()}, with the impossible travel detector (when configured) judging by distance and speed
     * where {@code resolver} locates both addresses: a geo database is code, not a key of the file.
     */
    public DetectionStage.Builder builder(GeoResolver resolver) {
        return builder(Optional.of(Objects.requireNonNull(resolver, "resolver")));
    }

    private DetectionStage.Builder builder(Optional<GeoResolver> resolver) {
        DetectionStage.Builder b = DetectionStage.builder();
        for (Configured<?> d : detectors) {
            if (resolver.isPresent() && d.rule() instanceof ImpossibleTravelRule travel) {
                b.impossibleTravel(travel, resolver.get());
            } else {
                d.addTo(b);
            }
        }
        maxKeys.ifPresent(b::maxKeys);
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

    private static PrefixLengths prefixes(ConfigSection s, PrefixLengths defaults) {
        return new PrefixLengths(s.integer(IPV4_PREFIX, 1, 32).orElse(defaults.ipv4()),
                s.integer(IPV6_PREFIX, 1, 128).orElse(defaults.ipv6()));
    }

    /** The list file is read now, so a bad line is reported with the rest of the configuration's problems. */
    private static BadIps knownBadIps(ConfigSection s) {
        Path file = s.path(BAD_IP_FILE).orElseThrow(); // present: the section is read only when it names a file
        Duration checkEvery = s.duration("checkEvery", SHORTEST_WINDOW, LONGEST_WINDOW)
                .orElse(KnownBadIps.DEFAULT_CHECK_EVERY);
        KnownBadIpRule rule = new KnownBadIpRule(window(s).orElse(KnownBadIpRule.DEFAULT.window()));
        try {
            return new BadIps(KnownBadIps.load(file, checkEvery, Clock.systemUTC()), rule);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The known bad ip detector's two parts: its list and its rule. */
    private record BadIps(KnownBadIps list, KnownBadIpRule rule) {
    }

    /**
     * One detector's section: {@code enabled} (true unless false) and its own keys, which {@code rule} reads into the
     * detector's rule; {@code add} puts the rule on a builder. A detector that cannot run without one of its keys (the
     * bad ip list needs its file) names it in {@code requiredKey}: without it the detector is off, and enabling it
     * explicitly is a problem.
     */
    private record DetectorSection<R>(String name, List<String> keys, Optional<String> requiredKey,
                                      Function<ConfigSection, R> rule, BiConsumer<DetectionStage.Builder, R> add) {

        DetectorSection(String name, List<String> keys, Function<ConfigSection, R> rule,
                        BiConsumer<DetectionStage.Builder, R> add) {
            this(name, keys, Optional.empty(), rule, add);
        }

        DetectorSection(String name, List<String> keys, String requiredKey, Function<ConfigSection, R> rule,
                        BiConsumer<DetectionStage.Builder, R> add) {
            this(name, keys, Optional.of(requiredKey), rule, add);
        }

        List<String> allKeys() {
            List<String> all = new ArrayList<>(List.of(ENABLED));
            all.addAll(keys);
            return all;
        }

        /** The detector as configured; empty when it is disabled or its rule is refused (a problem is recorded). */
        Optional<Configured<?>> read(ConfigSection detect) {
            ConfigSection s = detect.section(name);
            s.allowOnly(allKeys());
            Optional<Boolean> enabled = s.bool(ENABLED);
            Optional<String> missing = requiredKey.filter(k -> !s.has(k));
            if (missing.isPresent()) {
                if (enabled.orElse(false)) {
                    s.problem(ENABLED, "the " + name + " detector needs " + s.path() + "." + missing.get());
                }
                return Optional.empty();
            }
            R r;
            try {
                r = rule.apply(s);
            } catch (IllegalArgumentException e) {
                // The rule owns its limits (a threshold of at least 2, ...); its message says which was crossed.
                detect.problem(name, e.getMessage());
                return Optional.empty();
            }
            return enabled.orElse(true) ? Optional.of(new Configured<>(r, add)) : Optional.empty();
        }
    }

    /** A detector's rule, ready to go on a builder. */
    private record Configured<R>(R rule, BiConsumer<DetectionStage.Builder, R> add) {
        void addTo(DetectionStage.Builder b) {
            add.accept(b, rule);
        }
    }
}
