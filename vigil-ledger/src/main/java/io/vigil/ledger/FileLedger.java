package io.vigil.ledger;

import io.vigil.ledger.checkpoint.NoteFormatException;
import io.vigil.ledger.checkpoint.VerifierKey;
import io.vigil.ledger.internal.read.FileLedgerReader;
import io.vigil.ledger.internal.store.FileStore;
import io.vigil.ledger.internal.store.LedgerMetadata;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

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

    /**
     * What the metadata of the ledger in {@code dir} says of it: origin, key epochs, the signer it names.
     *
     * @throws IOException when {@code dir} holds no ledger, or its metadata cannot be read or names a malformed key
     */
    public static FileLedgerMetadata metadata(Path dir) throws IOException {
        LedgerMetadata m = LedgerMetadata.read(dir);
        Optional<VerifierKey> signer;
        try {
            signer = m.publicKey().map(VerifierKey::parse);
        } catch (NoteFormatException e) {
            throw new IOException(FileLayout.of(dir).metadata() + ": publicKey is not a verifier key: "
                    + e.getMessage(), e);
        }
        return new FileLedgerMetadata(m.origin(), m.epochs().size(), signer);
    }
}
