package io.vigil.spring.internal.ledger;

import io.vigil.ledger.LedgerStore;
import io.vigil.ledger.VerificationReport;
import io.vigil.ledger.checkpoint.VerifierKey;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The application's ledger: the store, the sink the log writes through, where it lives and how to verify it. The
 * log owns the sink and closes it (and with it the store); this holder only describes them.
 *
 * @param kind        {@code file} or {@code postgres}
 * @param location    the directory, or the JDBC URL without credentials
 * @param keyDir      where generated keys live
 * @param sink        the monitored sink the log writes to
 * @param verifierKey the public key of the checkpoints' signer
 * @param verifier    runs a full verification of what is stored
 * @param checkpoints learns when checkpoints are signed
 * @param resources   closed after the log (a connection pool of Vigil's own)
 * @param newest      reads entries newest first, beside the writer
 * @param outage      why the store cannot be written now, when it cannot (a database that is down)
 */
public record VigilLedger(String kind, String location, Path keyDir, LedgerStore store, WriteMonitor sink,
                          VerifierKey verifierKey, Verification verifier, CheckpointTracker checkpoints,
                          AutoCloseable resources, NewestEntries newest,
                          Supplier<Optional<String>> outage) {

    /** A full verification of the stored ledger. */
    @FunctionalInterface
    public interface Verification {
        VerificationReport verify() throws IOException;
    }
}
