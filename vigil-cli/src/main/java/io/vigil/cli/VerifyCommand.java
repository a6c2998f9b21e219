package io.vigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.ledger.EvidenceBundle;
import io.vigil.ledger.FileLedger;
import io.vigil.ledger.FileLedgerMetadata;
import io.vigil.ledger.LedgerVerifier;
import io.vigil.ledger.VerificationReport;
import io.vigil.ledger.checkpoint.FileWitness;
import io.vigil.ledger.checkpoint.NoteFormatException;
import io.vigil.ledger.checkpoint.SignedCheckpoint;
import io.vigil.ledger.checkpoint.VerifierKey;
import io.vigil.postgres.PostgresLedger;
import io.vigil.postgres.PostgresVerifier;
import io.vigil.redact.HmacKey;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code vigil verify}: checks a ledger offline, from its bytes alone. */
@Command(name = "verify",
        mixinStandardHelpOptions = true, versionProvider = VigilCommand.Version.class,
        description = {"Verify a ledger offline: every line is well formed, seqs are gapless and in order, every "
                + "prevHash and hash recomputes, the Merkle root at every checkpoint equals the signed root, every "
                + "signature is valid and (with --witness) the ledger is not behind its witness.",
                "",
                "LEDGER is a file ledger's directory or a PostgreSQL ledger's URL (jdbc:postgresql://HOST/DB; the "
                + "user and password from PGUSER and PGPASSWORD). A database ledger is read through one cursor in "
                + "constant memory, and every query column is checked against its entry too.",
                "",
                "LEDGER may also be an evidence bundle (a .zip the server exports): then --key is required, every "
                + "file is checked against the bundle's manifest, each entry against its proof and the signed "
                + "checkpoint, and the report says what the bundle proves, or names the file that fails.",
                "",
                "Prints a short report. Exit status 0 when the ledger is intact; 1 with a line 'FAILED at seq N: "
                + "why' naming the first bad entry when it is not; 2 for bad usage. Progress goes to stderr.", ""},
        footer = {"", "Examples:",
                "  vigil verify /var/lib/vigil/ledger --key /etc/vigil/keys/example.com_audit.pub",
                "  vigil verify /tmp/vigil-demo --key /tmp/vigil-demo/demo-signing.pub --deep",
                "  vigil verify /var/lib/vigil/ledger --key signer.pub \\",
                "      --witness /mnt/witness/audit",
                "  PGUSER=auditor PGPASSWORD=... vigil verify jdbc:postgresql://db.internal/audit --key signer.pub",
                "  vigil verify acme-evidence.zip --key server.pub"})
final class VerifyCommand implements Callable<Integer> {
    /** Checks an evidence bundle offline against the key the auditor holds. */
    private int verifyBundle(CommandLine cl, Path zip) throws IOException {
        if (key == null) {
            throw new ParameterException(cl, "an evidence bundle is checked against a key you hold: --key PUB (not"
                    + " the bundle's own verifier.pub, which whoever changed the bundle could change too)");
        }
        EvidenceBundle.Report report = EvidenceBundle.verify(zip, Keys.verifierKey(cl, "--key", key));
        for (String p : report.proven()) {
            System.out.println("ok: " + p);
        }
        for (String p : report.problems()) {
            System.out.println("FAILED: " + p);
        }
        if (report.ok()) {
            System.out.println("the bundle proves that these entries are, byte for byte, in the ledger the signed "
                    + "checkpoint commits to; it does not prove that the selection is complete");
            return 0;
        }
        return 1;
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "LEDGER",
            description = LedgerArguments.DESCRIPTION)
    String ledger;

    @Option(names = "--key", paramLabel = "PUB",
            description = "The checkpoint signer's public key: a file holding the key string, or the string itself. "
                    + "Without it the key the ledger names for itself is used, which only proves self-consistency.")
    String key;

    @Option(names = "--witness", paramLabel = "DIR",
            description = "A witness directory holding the ledger's latest witnessed checkpoint; detects rollback and forks.")
    Path witnessDir;

    @Option(names = "--since", paramLabel = "CHECKPOINT_FILE",
            description = "Verify incrementally from this trusted checkpoint (a signed checkpoint note, e.g. a "
                    + "witness's latest.checkpoint, or a line of checkpoints.jsonl, the last one when there are several);"
                    + " earlier entries are taken as proven.")
    Path since;

    @Option(names = "--deep", description = "Also parse every entry into the event model (slower).")
    boolean deep;

    @Option(names = "--hmac-key", paramLabel = "FILE", arity = "1..*",
            description = "HMAC key files (base64) of a keyed ledger, one per key epoch, in epoch order.")
    List<Path> hmacKeyFiles = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        CommandLine cl = spec.commandLine();
        if (Databases.isJdbc(ledger)) {
            return verifyDatabase(cl);
        }
        if (ledger.endsWith(".zip") && Files.isRegularFile(Path.of(ledger))) {
            return verifyBundle(cl, Path.of(ledger));
        }
        Path dir = LedgerArguments.directory(cl, ledger);
        FileLedgerMetadata meta = FileLedger.metadata(dir);
        List<HmacKey> hmacKeys = Keys.hmacKeys(cl, hmacKeyFiles);
        if (hmacKeys.size() < meta.keyEpochs()) {
            throw new ParameterException(cl, "ledger " + dir + " is keyed (" + meta.keyEpochs()
                    + " HMAC key epoch(s)); pass --hmac-key FILE for each, in epoch order");
        }
        Optional<VerifierKey> vkey = key == null ? Optional.empty() : Optional.of(Keys.verifierKey(cl, "--key", key));
        LedgerVerifier verifier = LedgerVerifier.of(dir).deep(deep).hmacKeys(hmacKeys);
        vkey.ifPresent(verifier::key);
        if (since != null) {
            verifier.since(readCheckpoint(cl, since));
        }
        FileWitness witness = null;
        PrintStream out = System.out;
        try {
            if (witnessDir != null) {
                witness = openWitness(cl, meta, vkey);
                verifier.witness(witness);
            }
            ProgressBar bar = new ProgressBar(System.err, "verify", verifier.totalBytes(), true);
            verifier.progress(bar::update);
            VerificationReport report;
            try {
                report = verifier.verify();
            } finally {
                bar.end();
            }
            print(out, dir, meta, vkey, report);
            return report.intact() ? 0 : 1;
        } finally {
            if (witness != null) {
                witness.close();
            }
        }
    }

    private int verifyDatabase(CommandLine cl) throws IOException {
        if (since != null || deep || !hmacKeyFiles.isEmpty()) {
            throw new ParameterException(cl, "--since, --deep and --hmac-key apply to file ledgers; a database ledger is"
                    + " always verified in full, every column checked against its entry");
        }
        if (key == null) {
            throw new ParameterException(cl, "a database ledger does not name its signer: pass --key with the"
                    + " checkpoint signer's public key");
        }
        VerifierKey vkey = Keys.verifierKey(cl, "--key", key);
        DataSource ds = Databases.dataSource(cl, ledger);
        String origin;
        try {
            origin = PostgresLedger.origin(ds).orElse(null);
        } catch (IOException e) {
            System.err.println("vigil: cannot read " + Databases.explain(ledger, e));
            return 1;
        }
        if (origin == null) {
            System.out.println("FAILED at seq 0: the database holds no ledger (security_audit_ledger is empty)");
            return 1;
        }
        PostgresVerifier verifier = PostgresVerifier.of(ds).key(vkey);
        FileWitness witness = null;
        try {
            if (witnessDir != null) {
                if (!Files.isDirectory(witnessDir)) {
                    throw new ParameterException(cl, "--witness " + witnessDir + " is not a directory");
                }
                witness = new FileWitness(witnessDir, vkey, origin);
                verifier.witness(witness);
            }
            long[] seen = {0};
            verifier.progress(n -> {
                if (n - seen[0] >= 100_000) {
                    System.err.printf("verify: %,d entries checked%n", n);
                    seen[0] = n;
                }
            });
            VerificationReport r;
            try {
                r = verifier.verify();
            } catch (IOException e) {
                System.err.println("vigil: cannot verify " + Databases.explain(ledger, e));
                return 1;
            }
            PrintStream out = System.out;
            out.printf("ledger       %s  (origin %s, PostgreSQL)%n", Databases.redacted(ledger), origin);
            out.printf("entries      %,d%s%n", r.entries(),
                    r.entries() > 0 ? String.format("  (seq 0..%d)", r.entries() - 1) : "");
            out.printf("checkpoints  %,d verified, signer %s+%s (given with --key)%n", r.checkpointsVerified(),
                    vkey.name(), vkey.keyIdHex());
            if (witnessDir != null) {
                out.printf("witness      %s%n", witnessDir);
            }
            printVerdict(out, r);
            return r.intact() ? 0 : 1;
        } finally {
            if (witness != null) {
                witness.close();
            }
        }
    }

    private FileWitness openWitness(CommandLine cl, FileLedgerMetadata meta, Optional<VerifierKey> vkey)
            throws IOException {
        if (!Files.isDirectory(witnessDir)) {
            throw new ParameterException(cl, "--witness " + witnessDir + " is not a directory");
        }
        if (!Files.exists(witnessDir.resolve(FileWitness.LATEST))) {
            System.err.println("vigil: warning: witness " + witnessDir + " holds no checkpoint yet ("
                    + FileWitness.LATEST + " is missing)");
        }
        VerifierKey k;
        if (vkey.isPresent()) {
            k = vkey.get();
        } else if (meta.namedSigner().isPresent()) {
            k = meta.namedSigner().get();
        } else {
            throw new ParameterException(cl, "--witness needs --key: the ledger names no signing key");
        }
        return new FileWitness(witnessDir, k, meta.origin());
    }

    /** A signed checkpoint from a file: the note text itself, or a JSON object with a "note" member. */
    static SignedCheckpoint readCheckpoint(CommandLine cl, Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ParameterException(cl, "--since " + file + ": no such file");
        }
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            String trimmed = text.strip();
            if (trimmed.startsWith("{")) {
                JsonNode n = JSON.readTree(trimmed.lines().reduce((a, b) -> b).orElse(trimmed));
                JsonNode note = n.get("note");
                if (note == null || !note.isTextual()) {
                    throw new ParameterException(cl, "--since " + file + ": the JSON has no \"note\" member");
                }
                text = note.asText();
            }
            return SignedCheckpoint.parse(text);
        } catch (NoteFormatException | IOException e) {
            throw new ParameterException(cl, "--since " + file + " is not a signed checkpoint: " + e.getMessage());
        }
    }

    private void print(PrintStream out, Path dir, FileLedgerMetadata meta, Optional<VerifierKey> vkey,
                       VerificationReport r) {
        out.printf("ledger       %s  (origin %s, %s mode)%n", dir, meta.origin(),
                meta.keyed() ? "keyed" : "plain");
        out.printf("entries      %,d%s%n", r.entries(), r.entries() > 0 ? String.format("  (seq 0..%d)", r.entries() - 1) : "");
        String signer = vkey.map(k -> signerName(k) + " (given with --key)")
                .orElse(meta.namedSigner().map(k -> signerName(k) + " (named by the ledger itself)").orElse("none"));
        out.printf("checkpoints  %,d verified, signer %s%n", r.checkpointsVerified(), signer);
        if (since != null) {
            out.printf("since        %s (entries before it were taken as proven)%n", since);
        }
        if (witnessDir != null) {
            out.printf("witness      %s%n", witnessDir);
        }
        printVerdict(out, r);
    }

    /** A signer as its key string begins: name and key id, without the key itself. */
    private static String signerName(VerifierKey k) {
        return k.name() + "+" + k.keyIdHex();
    }

    /** The root, the warnings and the verdict: the last lines of every verification's report. */
    static void printVerdict(PrintStream out, VerificationReport r) {
        r.root().ifPresent(h -> out.printf("root         %s  (size %,d)%n", h.hex(), r.entries()));
        for (String w : r.warnings()) {
            out.println("warning: " + w);
        }
        if (r.intact()) {
            out.println("OK: the ledger is intact");
        } else {
            String where = r.firstBadSeq().isPresent() ? " at seq " + r.firstBadSeq().getAsLong() : "";
            out.println("FAILED" + where + ": " + r.reason().orElse("unknown"));
        }
    }
}
