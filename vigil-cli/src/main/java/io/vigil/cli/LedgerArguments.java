package io.vigil.cli;

import io.vigil.ledger.FileLayout;
import io.vigil.ledger.FileLedger;
import io.vigil.ledger.LedgerReader;
import io.vigil.postgres.PostgresLedger;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * The LEDGER argument of the commands that read a ledger: the directory of a file ledger or a
 * {@code jdbc:postgresql:} URL, checked and opened read-only.
 */
final class LedgerArguments {
    /** The help text of every command's LEDGER parameter. */
    static final String DESCRIPTION = "The ledger directory, or jdbc:postgresql://HOST[:PORT]/DATABASE for a database"
            + " ledger (user and password from PGUSER and PGPASSWORD).";

    private LedgerArguments() {
    }

    /**
     * A reader of the ledger the argument names.
     *
     * @throws ParameterException (exit 2) when the argument names no ledger
     * @throws IOException        when the ledger cannot be read (exit 1, see {@link #cannotRead})
     */
    static LedgerReader openReader(CommandLine cl, String arg) throws IOException {
        if (Databases.isJdbc(arg)) {
            return PostgresLedger.openReader(Databases.dataSource(cl, arg));
        }
        return FileLedger.openReader(directory(cl, arg));
    }

    /**
     * The directory of a file ledger the argument names.
     *
     * @throws ParameterException (exit 2) when it is not a file ledger's directory
     */
    static Path directory(CommandLine cl, String arg) {
        Path dir;
        try {
            dir = Path.of(arg);
        } catch (InvalidPathException e) {
            throw new ParameterException(cl, "'" + arg + "' is not a valid path: " + e.getMessage());
        }
        if (!Files.exists(dir)) {
            throw new ParameterException(cl, "ledger directory " + dir + " does not exist");
        }
        if (!Files.isDirectory(dir)) {
            throw new ParameterException(cl, dir + " is not a directory; give the directory of a file ledger");
        }
        if (!Files.isRegularFile(FileLayout.of(dir).metadata())) {
            throw new ParameterException(cl, dir + " is not a ledger directory (it has no " + FileLayout.METADATA
                    + "); 'vigil demo --out " + dir + "' writes a demo ledger there");
        }
        return dir;
    }

    /** Reports that the ledger could not be read (the URL's password redacted) and returns exit status 1. */
    static int cannotRead(String arg, IOException e) {
        System.out.flush();
        System.err.println("vigil: cannot read " + (Databases.isJdbc(arg) ? Databases.explain(arg, e)
                : arg + ": " + e.getMessage()));
        return 1;
    }

    /** How a message names the ledger: the directory, or the URL without a password. */
    static String display(String arg) {
        return Databases.isJdbc(arg) ? "'" + Databases.redacted(arg) + "'" : arg;
    }
}
