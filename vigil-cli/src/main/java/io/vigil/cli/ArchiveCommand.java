package io.vigil.cli;

import io.vigil.ledger.FileLayout;
import io.vigil.ledger.LedgerArchive;
import io.vigil.ledger.LedgerReader;
import io.vigil.ledger.VerificationReport;
import io.vigil.ledger.checkpoint.VerifierKey;
import io.vigil.postgres.PostgresArchive;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code vigil archive}: export a ledger's oldest entries with their proofs, check an export, prune a database. */
@Command(name = "archive",
        mixinStandardHelpOptions = true, versionProvider = VigilCommand.Version.class,
        sortOptions = false,
        description = {"Export the oldest entries of a ledger (a directory or a PostgreSQL database), up to (not"
                + " including) seq --upto, into a directory that proves itself: the entries as JSON lines, the signed"
                + " checkpoint that covers them and the proofs that tie them to it. With --prune (database ledgers"
                + " only), the export is checked against --key and the entries are then deleted from the database,"
                + " which records the cut; what remains still verifies.",
                "",
                "With --check DIR instead of a database, an earlier export is checked offline, with only the key.",
                "",
                "Exporting from a database needs a user in the vigil_reader or vigil_retention role; pruning needs"
                + " vigil_retention"
                + " (user and password from PGUSER and PGPASSWORD). Pruning cannot be undone: keep the export.",
                ""},
        footer = {"", "Examples:",
                "  PGUSER=retention PGPASSWORD=... vigil archive jdbc:postgresql://db/audit \\",
                "      --upto 1000000 --out /archive/audit-2026-q1 --key signer.pub --prune \\",
                "      --location s3://audit-archive/2026-q1",
                "  vigil archive /var/lib/vigil/ledger --upto 500000 --out /archive/ledger-0 --key signer.pub",
                "  vigil archive --check /archive/audit-2026-q1 --key signer.pub"})
final class ArchiveCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "LEDGER",
            description = LedgerArguments.DESCRIPTION)
    String ledger;

    @Option(names = "--upto", paramLabel = "SEQ",
            description = "Export (and prune) the entries before this seq; a signed checkpoint must cover SEQ - 1.")
    Long upto;

    @Option(names = "--out", paramLabel = "DIR", description = "Where the export goes (created 0700; must not hold an"
            + " export already).")
    Path out;

    @Option(names = "--key", paramLabel = "PUB",
            description = "The checkpoint signer's public key (a file holding the key string, or the string itself):"
                    + " the export is checked against it.")
    String key;

    @Option(names = "--prune", description = "After the export checks out, delete the exported entries (database"
            + " ledgers only).")
    boolean prune;

    @Option(names = "--location", paramLabel = "TEXT",
            description = "Where the export will be kept, recorded with the cut (default: the --out directory).")
    String location;

    @Option(names = "--check", paramLabel = "DIR", description = "Check an export offline instead (needs --key).")
    Path check;

    @Override
    public Integer call() throws IOException {
        CommandLine cl = spec.commandLine();
        PrintStream stdout = System.out;
        if (check != null) {
            if (ledger != null || upto != null || out != null || prune || location != null) {
                throw new ParameterException(cl, "--check DIR takes only --key: it reads an export, not a database");
            }
            if (key == null) {
                throw new ParameterException(cl, "--check needs --key: an export is checked against the signer's key");
            }
            if (!Files.isDirectory(check)) {
                throw new ParameterException(cl, "--check " + check + " is not a directory");
            }
            return report(stdout, check, Keys.verifierKey(cl, "--key", key)) ? 0 : 1;
        }
        if (ledger == null || upto == null || out == null) {
            throw new ParameterException(cl, "give the ledger, --upto SEQ and --out DIR (or --check DIR)");
        }
        boolean database = Databases.isJdbc(ledger);
        if (!database && !Files.isRegularFile(FileLayout.of(Path.of(ledger)).metadata())) {
            throw new ParameterException(cl, ledger + " is not a ledger: archive exports file ledgers (a directory"
                    + " with " + FileLayout.METADATA + ") and database ledgers (jdbc:postgresql://…)");
        }
        if (prune && !database) {
            throw new ParameterException(cl, "--prune works on database ledgers (jdbc:postgresql://…); a file"
                    + " ledger's older segment files are archived as they are");
        }
        if (upto <= 0) {
            throw new ParameterException(cl, "--upto must be a seq above 0, not " + upto);
        }
        if (prune && key == null) {
            throw new ParameterException(cl, "--prune needs --key: the export is checked before anything is deleted");
        }
        if (location != null && !prune) {
            throw new ParameterException(cl, "--location is recorded with the cut: it goes with --prune");
        }
        VerifierKey vkey = key == null ? null : Keys.verifierKey(cl, "--key", key);
        long exported;
        try (LedgerReader reader = LedgerArguments.openReader(cl, ledger)) {
            exported = LedgerArchive.export(reader, upto, out);
        } catch (IOException e) {
            System.err.println("vigil: cannot export from " + (database ? Databases.explain(ledger, e)
                    : ledger + ": " + e.getMessage()));
            return 1;
        }
        stdout.printf("exported     %,d entries before seq %,d to %s%n", exported, upto, out);
        if (vkey == null) {
            stdout.println("warning: no --key given: the export was not checked; run vigil archive --check " + out
                    + " --key PUB before pruning");
            return 0;
        }
        if (!report(stdout, out, vkey)) {
            return 1;
        }
        if (prune) {
            DataSource ds = Databases.dataSource(cl, ledger);
            String where = location != null ? location : out.toAbsolutePath().toString();
            try {
                long deleted = PostgresArchive.prune(ds, upto, where);
                stdout.printf("pruned       %,d entries; the ledger now starts at seq %,d (archive: %s)%n", deleted,
                        upto, where);
            } catch (IOException e) {
                System.err.println("vigil: cannot prune " + Databases.explain(ledger, e));
                return 1;
            }
        }
        return 0;
    }

    private static boolean report(PrintStream stdout, Path dir, VerifierKey vkey) throws IOException {
        VerificationReport r = PostgresArchive.verify(dir, vkey);
        stdout.printf("export       %s: %,d entries, checked against %s+%s%n", dir, r.entries(), vkey.name(),
                vkey.keyIdHex());
        VerifyCommand.printVerdict(stdout, r);
        return r.intact();
    }
}
