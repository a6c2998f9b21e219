package io.vigil.json;

import io.vigil.event.Actor;
import io.vigil.event.ActorType;
import io.vigil.event.AuditEvent;
import io.vigil.event.Category;
import io.vigil.event.EventCatalog;
import io.vigil.event.EventType;
import io.vigil.event.Outcome;
import io.vigil.event.Severity;
import io.vigil.event.Target;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.UUID;

/** Generators for JSON values and audit events, shared by the property tests of this package. */
final class JsonArbitraries {
    private static final long TWO_53 = 1L << 53;

    private JsonArbitraries() {
    }

    // ---- text ---------------------------------------------------------------------------------------------------

    /** Valid Unicode strings leaning on what is interesting for JSON: controls, escapes, non-ASCII, astral planes. */
    static Arbitrary<String> unicodeStrings(int maxLength) {
        Arbitrary<Integer> codePoint = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.integers().between(0x20, 0x7e)),
                Tuple.of(1, Arbitraries.integers().between(0, 0x1f)),
                Tuple.of(1, Arbitraries.of(0x22, 0x5c, 0x2f, 0x7f, 0x80, 0x9f, 0x2028, 0x2029, 0xfeff, 0xfffd, 0xffff)),
                Tuple.of(2, Arbitraries.integers().between(0x80, 0xd7ff)),
                Tuple.of(1, Arbitraries.integers().between(0xe000, 0xffff)),
                Tuple.of(2, Arbitraries.integers().between(0x10000, 0x10ffff)));
        return codePoint.list().ofMaxSize(maxLength).map(cps -> {
            StringBuilder sb = new StringBuilder();
            cps.forEach(sb::appendCodePoint);
            return sb.toString();
        });
    }

    // ---- numbers ------------------------------------------------------------------------------------------------

    /** Any finite double, from every corner: random bits, subnormals, everyday decimals, edges. */
    static Arbitrary<Double> finiteDoubles() {
        Arbitrary<Double> anyBits = Arbitraries.longs().map(Double::longBitsToDouble)
                .filter(d -> !Double.isNaN(d) && !Double.isInfinite(d));
        Arbitrary<Double> subnormal = Arbitraries.longs().between(0, (1L << 52) - 1).map(Double::longBitsToDouble);
        Arbitrary<Double> everyday = Combinators.combine(Arbitraries.longs().between(-10_000_000_000_000L,
                        10_000_000_000_000L), Arbitraries.integers().between(0, 9))
                .as((unscaled, scale) -> unscaled / Math.pow(10, scale)); // a correctly rounded decimal
        Arbitrary<Double> ratios = Combinators.combine(Arbitraries.integers().between(-100_000, 100_000),
                Arbitraries.integers().between(1, 1000)).as((n, m) -> (double) n / m);
        Arbitrary<Double> powers = Arbitraries.integers().between(-330, 310).map(e -> Double.parseDouble("1e" + e))
                .filter(d -> !Double.isInfinite(d));
        Arbitrary<Double> edges = Arbitraries.of(0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL,
                Double.MAX_VALUE, -Double.MAX_VALUE, 1e21, 1e-6, 1e-7, 9007199254740992.0, 9007199254740994.0, 0.1,
                0.30000000000000004, Math.nextUp(1e21), Math.nextDown(1e21), Math.nextDown(1e-6), Math.nextUp(1e-7));
        return Arbitraries.frequencyOf(Tuple.of(5, anyBits), Tuple.of(2, subnormal), Tuple.of(2, everyday),
                Tuple.of(2, ratios), Tuple.of(1, powers), Tuple.of(1, edges));
    }

    /**
     * Doubles that read back from canonical JSON as Double, not as an integer: not integral, or so large that
     * ECMAScript prints them with an exponent.
     */
    static Arbitrary<Double> nonIntegralDoubles() {
        return finiteDoubles().filter(d -> d != Math.rint(d) || Math.abs(d) >= 1e21);
    }

    /** Integers that JSON (as IEEE 754 doubles) holds exactly. */
    static Arbitrary<Long> safeLongs() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.longs().between(-TWO_53, TWO_53)),
                Tuple.of(3, Arbitraries.longs().between(-1000, 1000)),
                Tuple.of(1, Arbitraries.of(0L, -1L, 1L, TWO_53, -TWO_53)));
    }

    // ---- generic JSON values ------------------------------------------------------------------------------------

    /**
     * JSON values as Java values: Map (HashMap, so no particular order), List, String, Double, Boolean and null.
     */
    static Arbitrary<Object> jsonValues(int depth) {
        Arbitrary<Object> leaf = Arbitraries.oneOf(
                unicodeStrings(8).map(s -> (Object) s),
                finiteDoubles().map(d -> (Object) d),
                Arbitraries.of(true, false).map(b -> (Object) b),
                Arbitraries.just(JsonNull.NULL).map(n -> (Object) n));
        if (depth == 0) {
            return leaf.map(JsonArbitraries::unwrapNull);
        }
        Arbitrary<Object> list = Arbitraries.lazy(() -> jsonValues(depth - 1)).list().ofMaxSize(4)
                .map(l -> (Object) l);
        Arbitrary<Object> map = Arbitraries.maps(unicodeStrings(6), Arbitraries.lazy(() -> jsonValues(depth - 1))
                        .injectNull(0.1))
                .ofMaxSize(5).map(m -> (Object) m);
        return Arbitraries.frequencyOf(Tuple.of(3, leaf.map(JsonArbitraries::unwrapNull)), Tuple.of(1, list),
                Tuple.of(2, map));
    }

    private enum JsonNull { NULL }

    private static Object unwrapNull(Object v) {
        return v == JsonNull.NULL ? null : v;
    }

    // ---- audit events -------------------------------------------------------------------------------------------

    /** Event details as the event model holds them after reading: Long, non-integral Double, String, Boolean. */
    static Arbitrary<Map<String, Object>> details(int depth) {
        return Arbitraries.maps(unicodeStrings(10), detailValue(depth)).ofMaxSize(4)
                .map(m -> (Map<String, Object>) new LinkedHashMap<String, Object>(m));
    }

    private static Arbitrary<Object> detailValue(int depth) {
        Arbitrary<Object> leaf = Arbitraries.frequencyOf(
                Tuple.of(3, unicodeStrings(12).map(s -> (Object) s)),
                Tuple.of(2, safeLongs().map(l -> (Object) l)),
                Tuple.of(2, nonIntegralDoubles().map(d -> (Object) d)),
                Tuple.of(1, Arbitraries.of(true, false).map(b -> (Object) b)),
                Tuple.of(1, Arbitraries.of(0L, false, "").map(v -> (Object) v)));
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<Object> list = Arbitraries.lazy(() -> detailValue(depth - 1)).list().ofMaxSize(3)
                .map(l -> (Object) l);
        Arbitrary<Object> map = Arbitraries.lazy(() -> details(depth - 1)).map(m -> (Object) m);
        return Arbitraries.frequencyOf(Tuple.of(4, leaf), Tuple.of(1, list), Tuple.of(1, map));
    }

    static Arbitrary<AuditEvent> events() {
        Arbitrary<String> ids = unicodeStrings(20);
        return Builders.withBuilder(Parts::new)
                .use(Combinators.combine(Arbitraries.longs(), Arbitraries.longs()).as(UUID::new))
                .inSetter((p, v) -> p.id = v)
                .use(timestamps()).inSetter((p, v) -> p.timestamp = v)
                .use(types()).inSetter((p, v) -> {
                    p.type = v.name();
                    p.category = v.category();
                })
                .use(segment()).inSetter((p, v) -> p.action = v)
                .use(Arbitraries.of(Outcome.class)).inSetter((p, v) -> p.outcome = v)
                .use(Arbitraries.of(Severity.class)).inSetter((p, v) -> p.severity = v)
                .use(actors().optional(0.7)).inSetter((p, v) -> p.actor = v)
                .use(targets().optional(0.6)).inSetter((p, v) -> p.target = v)
                .use(ids.optional(0.5)).inSetter((p, v) -> p.tenant = v)
                .use(ids.optional(0.5)).inSetter((p, v) -> p.service = v)
                .use(ids.optional(0.5)).inSetter((p, v) -> p.requestId = v)
                .use(ids.optional(0.5)).inSetter((p, v) -> p.sessionId = v)
                .use(ids.optional(0.5)).inSetter((p, v) -> p.traceId = v)
                .use(unicodeStrings(40).optional(0.4)).inSetter((p, v) -> p.reason = v)
                .use(unicodeStrings(40).optional(0.3)).inSetter((p, v) -> p.error = v)
                .use(riskScores()).inSetter((p, v) -> p.riskScore = v)
                .use(unicodeStrings(10).filter(s -> !s.isBlank()).list().ofMaxSize(3)).inSetter((p, v) -> p.flags = v)
                .use(Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(Map.<String, Object>of())),
                        Tuple.of(3, details(3)))).inSetter((p, v) -> p.details = v)
                .build(Parts::build);
    }

    private static Arbitrary<Instant> timestamps() {
        long year1 = -62_135_596_800_000L;
        long year9999End = 253_402_300_799_999L;
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.longs().between(1_600_000_000_000L, 2_000_000_000_000L)),
                Tuple.of(3, Arbitraries.longs().between(year1, year9999End)),
                Tuple.of(1, Arbitraries.of(0L, -1L, 1L, year1, year9999End, year9999End + 1, year1 - 1,
                        951_782_400_000L /* 2000-02-29 */, Long.MAX_VALUE / 1000, Long.MIN_VALUE / 1000)))
                .map(Instant::ofEpochMilli);
    }

    private static Arbitrary<EventType> types() {
        Arbitrary<EventType> custom = Combinators.combine(segment().list().ofMinSize(1).ofMaxSize(3),
                        Arbitraries.of(Category.class))
                .as((segments, category) -> EventType.custom("x." + String.join(".", segments), category, "act",
                        Outcome.SUCCESS, Severity.INFO, "generated"));
        List<EventType> catalogue = EventCatalog.all();
        return catalogue.isEmpty() ? custom : Arbitraries.oneOf(custom, Arbitraries.of(catalogue));
    }

    /** A lowercase name segment: [a-z][a-z0-9_]*. */
    private static Arbitrary<String> segment() {
        return Combinators.combine(Arbitraries.chars().range('a', 'z'),
                        Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789_").ofMaxLength(10))
                .as((first, rest) -> first + rest);
    }

    private static Arbitrary<Actor> actors() {
        return Combinators.combine(Arbitraries.of(ActorType.class), unicodeStrings(20).optional(0.8),
                        unicodeStrings(20).optional(0.5), ips().optional(0.5), unicodeStrings(60).optional(0.4))
                .as(Actor::new);
    }

    private static Arbitrary<String> ips() {
        Arbitrary<String> v4 = Arbitraries.integers().between(0, 255).list().ofSize(4)
                .map(parts -> parts.get(0) + "." + parts.get(1) + "." + parts.get(2) + "." + parts.get(3));
        Arbitrary<String> v6 = Arbitraries.integers().between(0, 0xffff).list().ofSize(8)
                .map(parts -> {
                    List<String> hex = new ArrayList<>();
                    parts.forEach(p -> hex.add(Integer.toHexString(p)));
                    return String.join(":", hex);
                });
        return Arbitraries.oneOf(v4, v6, Arbitraries.of("::1", "fe80::1%eth0", "2001:db8::7"));
    }

    private static Arbitrary<Target> targets() {
        return Combinators.combine(unicodeStrings(12).filter(s -> !s.isBlank()), unicodeStrings(20).optional(0.7),
                unicodeStrings(20).optional(0.4)).as(Target::new);
    }

    private static Arbitrary<OptionalDouble> riskScores() {
        Arbitrary<OptionalDouble> any = Arbitraries.longs().between(0, TWO_53)
                .map(v -> OptionalDouble.of(v / (double) TWO_53));
        return Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.just(OptionalDouble.empty())), Tuple.of(2, any),
                Tuple.of(1, Arbitraries.of(OptionalDouble.of(0.0), OptionalDouble.of(1.0), OptionalDouble.of(0.5))));
    }

    /** Mutable parts of an event, filled in by the builder combinator. */
    private static final class Parts {
        UUID id;
        Instant timestamp;
        Category category;
        String type;
        String action;
        Outcome outcome;
        Severity severity;
        Optional<Actor> actor;
        Optional<Target> target;
        Optional<String> tenant;
        Optional<String> service;
        Optional<String> requestId;
        Optional<String> sessionId;
        Optional<String> traceId;
        Optional<String> reason;
        Optional<String> error;
        OptionalDouble riskScore;
        List<String> flags;
        Map<String, Object> details;

        AuditEvent build() {
            return new AuditEvent(id, timestamp, category, type, action, outcome, severity, actor, target, tenant,
                    service, requestId, sessionId, traceId, reason, error, riskScore, flags, details);
        }
    }
}
