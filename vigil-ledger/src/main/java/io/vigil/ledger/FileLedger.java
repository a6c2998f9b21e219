package io.vigil.ledger;

import io.vigil.ledger.internal.read.FileLedgerReader;
import io.vigil.ledger.internal.store.FileStore;

import java.io.IOException;
import java.nio.file.Path;

/** The embedded ledger store: a directory of append-only segments (see {@code docs/ledger-format.md}). */
public final class FileLedger {
    private FileLedger() {
    }

    /**
     * Opens the ledger in {@code dir}, creating it (0700) when the directory holds none, and recovers it after a
     * crash: a torn tail is cut, logged and recorded as an {@code audit.ledger.recovered} entry.
     *
     * @throws IOException when the directory holds a ledger of another origin or mode, a key does not match, or the
     *                     files cannot be read or written
     */
    public static LedgerStore open(Path dir, LedgerOptions options) throws IOException {
        return FileStore.open(dir, options);
    }

    /**
     * A reader of the ledger in {@code dir}: no lock, nothing written, safe beside a running writer in this or another
     * process; it sees only complete entries.
     *
     * @throws IOException when {@code dir} holds no ledger or its metadata cannot be read
     */
    public static LedgerReader openReader(Path dir) throws IOException {
        return FileLedgerReader.open(dir);
    }
}
