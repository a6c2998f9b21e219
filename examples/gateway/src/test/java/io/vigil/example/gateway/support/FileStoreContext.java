package io.vigil.example.gateway.support;

import io.vigil.ledger.checkpoint.SigningKey;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

import java.nio.file.Path;
import java.util.Map;

/**
 * The gateway with the file ledger, configured as a deployment is, by the two properties: a ledger directory and a
 * signing key file written as {@code vigil keygen} writes one. One ledger per test JVM; every test class that uses
 * this initializer shares the application context.
 */
public final class FileStoreContext implements ApplicationContextInitializer<ConfigurableApplicationContext> {
    private static final Path BASE = Ledgers.tempDir("gateway-file-");
    private static final Path LEDGER = BASE.resolve("ledger");
    private static final SigningKey KEY = Ledgers.keyPair(BASE, "signing");

    /** How the tests read and verify this context's ledger. */
    public static FileLedgerAccess ledger() {
        return new FileLedgerAccess(LEDGER, KEY.verifierKey());
    }

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("file-ledger", Map.of(
                "vigil.ledger.dir", LEDGER.toString(),
                "vigil.ledger.signing-key-file", BASE.resolve("signing.key").toString())));
    }
}
