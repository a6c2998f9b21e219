package io.vigil.logback;

import ch.qos.logback.classic.Logger;
import io.vigil.event.AuditEvent;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.slf4j.spi.LoggingEventBuilder;

import java.util.List;

import static io.vigil.logback.Fixture.AUDIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * Whatever strings a log call carries, under the documented keys or any other, the appender never throws into it
 * and accounts for the event exactly once; text that is valid Unicode is always recorded.
 */
class ArbitraryKeyValuesPropertyTest {
    private static Fixture fixture;

    @BeforeContainer
    static void open() {
        fixture = new Fixture();
    }

    @AfterContainer
    static void close() {
        fixture.close();
    }

    @Provide
    Arbitrary<List<Tuple2<String, Object>>> pairs() {
        Arbitrary<String> keys = Arbitraries.oneOf(Arbitraries.of(AuditKeys.all()), Arbitraries.strings(),
                Arbitraries.of("password", "token", "logger", "logLevel", "sourceType"));
        Arbitrary<Object> values = Arbitraries.oneOf(Arbitraries.strings().map(s -> (Object) s),
                Arbitraries.of("auth.login.failure", "authn_login_fail:", "authn_login_fail:a,b", ":", "203.0.113.1",
                        "::1", "hmac-sha256:0123456789abcdef0123456789abcdef", "DENIED", " "),
                Arbitraries.longs().map(l -> (Object) l),
                Arbitraries.doubles().map(d -> (Object) d),
                Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, Boolean.TRUE));
        return Combinators.combine(keys, values).as(Tuple::of).list().ofMaxSize(12);
    }

    @Property(tries = 300)
    void anyKeyValuesAreAccountedForOnceAndNeverThrow(@ForAll("pairs") List<Tuple2<String, Object>> pairs,
                                                      @ForAll String message) {
        Logger log = fixture.logger();
        BridgeCounters before = fixture.bridge.counters();
        int receivedBefore = fixture.events().size();

        assertThatCode(() -> {
            LoggingEventBuilder b = log.atInfo().addMarker(AUDIT);
            for (Tuple2<String, Object> p : pairs) {
                b = b.addKeyValue(p.get1(), p.get2());
            }
            b.log(message);
        }).doesNotThrowAnyException();

        BridgeCounters after = fixture.bridge.counters();
        long recorded = after.recorded() - before.recorded();
        long failed = after.failed() - before.failed();
        assertThat(recorded + failed).isEqualTo(1);
        boolean validText = isValidUnicode(message) && pairs.stream().allMatch(p -> isValidUnicode(p.get1())
                && isValidUnicode(String.valueOf(p.get2())));
        if (validText) {
            assertThat(recorded).as("valid text is recorded, whatever it says").isEqualTo(1);
            List<AuditEvent> events = fixture.events();
            assertThat(events).hasSize(receivedBefore + 1);
        }
    }

    /** False for text holding an unpaired UTF-16 surrogate, which no JSON line can carry. */
    private static boolean isValidUnicode(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
