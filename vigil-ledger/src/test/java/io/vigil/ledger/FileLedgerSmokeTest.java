package io.vigil.ledger;

import io.vigil.event.Actor;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventCatalog;
import io.vigil.event.EventIds;
import io.vigil.ledger.checkpoint.SigningKey;
import io.vigil.ledger.internal.store.FileStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FileLedgerSmokeTest {

    static List<AuditEvent> events(int from, int n) {
        List<AuditEvent> out = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            out.add(AuditEvent.builder(EventCatalog.AUTH_LOGIN_FAILURE).id(EventIds.next(1_700_000_000_000L + i))
                    .timestamp(Instant.ofEpochMilli(1_700_000_000_000L + i)).actor(Actor.user("u" + (i % 7)))
                    .detail("n", i).build());
        }
        return out;
    }

    @Test
    void appendReopenVerify(@TempDir Path dir) throws Exception {
        SigningKey key = SigningKey.generate("test");
        LedgerOptions opts = LedgerOptions.defaults("example.com/test").withSigningKey(key).withCheckpoints(1000,
                Duration.ofHours(1)).withSegmentBytes(200_000);
        try (FileStore s = FileStore.open(dir, opts)) {
            for (int b = 0; b < 50; b++) {
                s.append(events(b * 100, 100));
            }
        }
        try (FileStore s = FileStore.open(dir, opts)) {
            assertThat(s.size()).isEqualTo(5000);
            s.append(events(5000, 10));
            assertThat(s.line(4321)).contains("\"seq\":4321");
        }
        VerificationReport r = LedgerVerifier.of(dir).key(key.verifierKey()).verify();
        assertThat(r.reason()).isEmpty();
        assertThat(r.entries()).isEqualTo(5010);
        assertThat(r.checkpointsVerified()).isGreaterThanOrEqualTo(5);
    }
}
