package io.vigil.postgres;

import io.vigil.ledger.LedgerOptions;
import io.vigil.ledger.LedgerStore;
import io.vigil.ledger.VerificationReport;
import io.vigil.ledger.checkpoint.SigningKey;
import io.vigil.ledger.tck.SampleEvents;
import io.vigil.postgres.testsupport.LedgerDatabase;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** One {@link PostgresVerifier} verifies again and again; no run carries anything over to the next. */
class PostgresVerifierReuseTest {
    private static final String ORIGIN = "test.vigil.example/reuse";

    @Test
    void eachVerificationStartsAfresh() throws Exception {
        SigningKey key = SigningKey.generate("pg.test.vigil.example");
        LedgerDatabase db = LedgerDatabase.create("reuse");
        try (LedgerStore store = PostgresLedger.open(db.writer(), LedgerOptions.defaults(ORIGIN).withSigningKey(key)
                .withCheckpoints(100, Duration.ofHours(1)))) {
            store.append(SampleEvents.loginFailures(0, 250));
        }
        PostgresVerifier verifier = PostgresVerifier.of(db.reader()).key(key.verifierKey());

        VerificationReport first = verifier.verify();
        assertThat(first.intact()).as(first.reason().orElse("")).isTrue();
        assertThat(verifier.verify()).as("the same ledger, verified again").isEqualTo(first);

        String line = db.entry(120);
        db.replaceEntryOnly(120, line.replace("\"outcome\":\"failure\"", "\"outcome\":\"success\""));
        VerificationReport tampered = verifier.verify();
        assertThat(tampered.firstBadSeq()).hasValue(120);
        assertThat(tampered.reason()).hasValue("the content of seq 120 does not match its hash: the entry was changed");

        db.replaceEntryOnly(120, line);
        assertThat(verifier.verify()).as("put back: intact again, nothing left of the last run").isEqualTo(first);
    }
}
