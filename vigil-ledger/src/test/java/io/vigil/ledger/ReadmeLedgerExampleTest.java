package io.vigil.ledger;

import io.vigil.AuditLog;
import io.vigil.AuditReceipt;
import io.vigil.event.Actor;
import io.vigil.helper.AuthMethod;
import io.vigil.ledger.checkpoint.KeyFiles;
import io.vigil.ledger.checkpoint.SigningKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's ledger example, kept compiling and true. */
class ReadmeLedgerExampleTest {

    @Test
    void theReadmeLedgerExampleWritesAVerifiableLedger(@TempDir Path tmp) throws Exception {
        SigningKey generated = SigningKey.generate("example.com/gateway/audit");
        KeyFiles.write(generated, tmp.resolve("audit-signing.key"), tmp.resolve("audit-signing.pub"));

        SigningKey key = KeyFiles.readPrivate(tmp.resolve("audit-signing.key"));
        LedgerStore ledger = FileLedger.open(tmp.resolve("audit"),
                LedgerOptions.defaults("example.com/gateway/audit").withSigningKey(key));
        try (AuditLog audit = AuditLog.builder().sink("ledger", new LedgerSink(ledger)).build()) {
            AuditReceipt r = audit.auth().loginFailed(Actor.user("alice"), AuthMethod.PASSWORD, "bad credentials").join();
            assertThat(r.seq()).hasValue(1); // seq 0 is the log's own audit.started
            assertThat(r.hash()).hasValueSatisfying(h -> assertThat(h).hasSize(64));
        }
        VerificationReport report = LedgerVerifier.of(tmp.resolve("audit"))
                .key(KeyFiles.readPublic(tmp.resolve("audit-signing.pub"))).verify();
        assertThat(report.intact()).as(report.reason().orElse("")).isTrue();
        assertThat(report.entries()).isEqualTo(3); // started, the login failure, stopped
        assertThat(report.checkpointsVerified()).isGreaterThanOrEqualTo(1);
    }
}
