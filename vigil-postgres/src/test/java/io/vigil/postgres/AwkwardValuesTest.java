package io.vigil.postgres;

import io.vigil.event.Actor;
import io.vigil.event.ActorType;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventCatalog;
import io.vigil.event.EventIds;
import io.vigil.event.Target;
import io.vigil.ledger.LedgerOptions;
import io.vigil.ledger.LedgerStore;
import io.vigil.ledger.VerificationReport;
import io.vigil.postgres.testsupport.LedgerDatabase;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Text that COPY, JSON and PostgreSQL arrays each have to escape (quotes, backslashes, tabs, newlines, braces, commas,
 * "NULL", non-ASCII) goes into every text column, the flags and the details, and the ledger still verifies: the
 * columns are written and read back and compared with the entry without a false alarm.
 */
class AwkwardValuesTest {
    private static LedgerDatabase db;
    private static LedgerStore store;
    private static long n;

    @BeforeContainer
    static void open() throws Exception {
        db = LedgerDatabase.create("awkward");
        store = PostgresLedger.open(db.writer(), LedgerOptions.defaults("test.vigil.example/awkward"));
    }

    @AfterContainer
    static void close() throws Exception {
        store.close();
    }

    @Property(tries = 60)
    void awkwardTextVerifies(@ForAll("text") String a, @ForAll("text") String b, @ForAll("text") String c,
                             @ForAll("flags") List<String> flags, @ForAll("scores") Optional<Double> score)
            throws Exception {
        long millis = 1_700_000_000_000L + (++n);
        AuditEvent.Builder e = AuditEvent.builder(EventCatalog.AUTHZ_ACCESS_DENIED).id(EventIds.next(millis))
                .timestamp(Instant.ofEpochMilli(millis))
                .actor(new Actor(ActorType.USER, Optional.of(a), Optional.of(b), Optional.of("2001:db8::" + (n % 100)), Optional.of(a + b)))
                .target(new Target("document", Optional.of(c), Optional.of(a)))
                .tenant(a).service(b).sessionId(c).requestId(a).traceId(b).reason(c).error(a)
                .anomalyFlags(flags).detail(a.isEmpty() ? "k" : a, b).detail("nested", Map.of("x", c, "list", List.of(a, 1.5)));
        score.ifPresent(e::riskScore);
        store.append(List.of(e.build()));
        VerificationReport report = PostgresVerifier.of(db.reader()).verify();
        assertThat(report.intact()).as(report.reason().orElse("")).isTrue();
    }

    @Provide
    Arbitrary<String> text() {
        Arbitrary<String> special = Arbitraries.strings().withChars("\\\t\n\r\"{},' N\u00e9\u4e2d/").ofMaxLength(12);
        Arbitrary<String> any = Arbitraries.strings().withCharRange('\u0020', '\uD7FF').ofMaxLength(30);
        return Arbitraries.oneOf(special, any, Arbitraries.of("NULL", "\\N", " ", "{}", "[]")).filter(s -> !s.isBlank());
    }

    @Provide
    Arbitrary<List<String>> flags() {
        return text().list().ofMaxSize(4);
    }

    @Provide
    Arbitrary<Optional<Double>> scores() {
        return Arbitraries.doubles().between(0, 1).optional();
    }
}
