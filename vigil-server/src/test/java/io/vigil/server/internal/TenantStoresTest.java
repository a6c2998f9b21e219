package io.vigil.server.internal;

import io.vigil.event.Actor;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventCatalog;
import io.vigil.event.EventIds;
import io.vigil.event.EventType;
import io.vigil.ledger.checkpoint.SigningKey;
import io.vigil.postgres.testsupport.PostgresServer;
import io.vigil.server.internal.index.EventIndex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** What the two stores must agree on, and how tenants map to PostgreSQL schemas. */
class TenantStoresTest {
    @TempDir
    Path tmp;

    @Test
    void everyTenantGetsASchemaOfItsOwnThatPostgresqlKeepsWhole() {
        List<String> tenants = List.of("a", "a-b", "a_b", "ab", "0", "x".repeat(57), "x".repeat(58),
                "x".repeat(63), "x".repeat(62) + "y", "x".repeat(61) + "-y", "x".repeat(61) + "_y");
        Set<String> schemas = new HashSet<>();
        for (String t : tenants) {
            String s = PostgresTenants.schema(t);
            assertThat(s).as(t).matches("vigil[_$][a-z0-9_$]+").hasSizeLessThanOrEqualTo(63);
            schemas.add(s);
        }
        assertThat(schemas).hasSameSizeAs(tenants);
        assertThat(PostgresTenants.schema("globex-eu")).isEqualTo("vigil_globex$eu");
    }

    /** Events over several minutes, of two categories, some of them failures. */
    private static List<AuditEvent> events() {
        Instant start = Instant.parse("2026-01-29T09:00:30Z");
        List<AuditEvent> out = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            EventType type = i % 5 == 0 ? EventCatalog.AUTHZ_ACCESS_DENIED
                    : i % 3 == 0 ? EventCatalog.AUTH_LOGIN_FAILURE : EventCatalog.AUTH_LOGIN_SUCCESS;
            Instant at = start.plusSeconds(7L * i);
            out.add(AuditEvent.builder(type).id(EventIds.next(at.toEpochMilli())).timestamp(at)
                    .actor(Actor.user("user-" + i % 4)).build());
        }
        return out;
    }

    @Test
    void theTimelineIsTheSameOnFilesAndOnPostgresql() throws Exception {
        PostgresServer postgres = PostgresServer.shared();
        String url = postgres.jdbcUrl(postgres.createDatabase("timeline")) + "?user=postgres";
        SigningKey key = SigningKey.generate("timeline.test.vigil.example");
        List<AuditEvent> events = events();
        try (TenantLedgers files = new TenantLedgers(tmp.resolve("files"), key, Duration.ofHours(1));
             TenantLedgers database = new TenantLedgers(tmp.resolve("pg"), Optional.of(url), key,
                     Duration.ofHours(1))) {
            TenantLedger f = files.ledger("acme");
            TenantLedger p = database.ledger("acme");
            assertThat(p).isInstanceOf(PostgresTenantLedger.class);
            assertThat(p.minutes()).isEmpty();
            for (int i = 0; i < events.size(); i += 100) {
                f.append(events.subList(i, i + 100));
                p.append(events.subList(i, i + 100));
            }
            long[] minutes = f.minutes().orElseThrow();
            assertThat(p.minutes().orElseThrow()).containsExactly(minutes);
            assertThat(minutes[1] - minutes[0]).isEqualTo(35); // 299 gaps of 7 s from 30 s past a minute
            for (long width : List.of(1L, 7L, 60L)) {
                List<EventIndex.MinuteCount> expected = f.timeline(minutes[0], minutes[1] + 1, width);
                assertThat(p.timeline(minutes[0], minutes[1] + 1, width)).as("width " + width)
                        .isNotEmpty().isEqualTo(expected);
            }
            assertThat(p.timeline(minutes[0] + 3, minutes[0] + 9, 2))
                    .isEqualTo(f.timeline(minutes[0] + 3, minutes[0] + 9, 2));
        }
    }
}
