package io.vigil.cli;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.ledger.Hash;
import io.vigil.ledger.LedgerProofs;
import io.vigil.ledger.LedgerReader;
import io.vigil.ledger.StoredCheckpoint;
import io.vigil.ledger.StoredLine;
import io.vigil.ledger.checkpoint.CheckpointException;
import io.vigil.ledger.checkpoint.NoteFormatException;
import io.vigil.ledger.checkpoint.SignedCheckpoint;
import io.vigil.ledger.checkpoint.VerifierKey;
import io.vigil.ledger.merkle.ConsistencyProof;
import io.vigil.ledger.merkle.InclusionProof;
import io.vigil.ledger.merkle.ProofException;
import io.vigil.ledger.merkle.ProofJson;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code vigil prove}: inclusion and consistency proofs, and their offline check. */
@Command(name = "prove",
        mixinStandardHelpOptions = true, versionProvider = VigilCommand.Version.class,
        description = {"Make and check Merkle proofs (RFC 6962/9162) of a ledger, in a directory or a PostgreSQL database.",
                "",
                "An inclusion proof shows that one entry is in the ledger as of a signed checkpoint; a consistency "
                + "proof shows that a later tree extends an earlier one without changing it. Proofs are JSON "
                + "documents that 'vigil prove check' (or any RFC 9162 implementation) verifies offline.", ""},
        subcommands = {ProveCommand.Inclusion.class, ProveCommand.Consistency.class, ProveCommand.Check.class},
        footer = {"", "Examples:",
                "  vigil prove inclusion /tmp/vigil-demo --seq 42 > seq42.proof.json",
                "  vigil prove check seq42.proof.json --key /tmp/vigil-demo/demo-signing.pub",
                "  vigil prove consistency /tmp/vigil-demo --from 1000 --to 5000"})
final class ProveCommand implements Runnable {
    private static final ObjectMapper JSON = new ObjectMapper();
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "say which: 'vigil prove inclusion', 'vigil prove consistency'"
                + " or 'vigil prove check'");
    }

    /** The latest stored checkpoint of exactly {@code size} entries. */
    private static long latestCheckpointSize(List<StoredCheckpoint> cps) {
        return cps.isEmpty() ? 0 : cps.get(cps.size() - 1).size();
    }

    private static String pretty(String json) throws IOException {
        ObjectNode o = (ObjectNode) JSON.readTree(json);
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter().withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE);
        return JSON.writer(printer).writeValueAsString(o);
    }

    // ------------------------------------------------------------------------------------------- inclusion

    @Command(name = "inclusion",
            mixinStandardHelpOptions = true, versionProvider = VigilCommand.Version.class,
            description = {"Print the proof that the entry at --seq is in the ledger's Merkle tree of --size entries,"
                    + " as JSON: leafIndex, treeSize, leafHash, root, path, the signed checkpoint of that size when"
                    + " there is one, and the entry itself.",
                    "",
                    "The default size is the latest checkpoint's when it covers the entry (so the root is signed),"
                    + " else the ledger's current size. Reads the ledger without writing or locking it.", ""},
            footer = {"", "Example:", "  vigil prove inclusion /tmp/vigil-demo --seq 42 > seq42.proof.json",
                    "  vigil prove check seq42.proof.json --key /tmp/vigil-demo/demo-signing.pub"})
    static final class Inclusion implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "LEDGER", description = LedgerArguments.DESCRIPTION)
        String ledger;

        @Option(names = "--seq", required = true, paramLabel = "N", description = "The entry to prove.")
        long seq;

        @Option(names = "--size", paramLabel = "M", description = "Tree size to prove against (seq < M <= ledger size).")
        Long size;

        @Override
        public Integer call() throws Exception {
            CommandLine cl = spec.commandLine();
            try (LedgerReader reader = LedgerArguments.openReader(cl, ledger)) {
                long entries = reader.size();
                if (seq < 0 || seq >= entries) {
                    throw new ParameterException(cl, "--seq " + seq + " is not in the ledger: it has " + entries
                            + " entries" + (entries > 0 ? " (seq 0.." + (entries - 1) + ")" : ""));
                }
                List<StoredCheckpoint> cps = reader.checkpoints();
                long latest = latestCheckpointSize(cps);
                long m = size != null ? size : seq < latest && latest <= entries ? latest : entries;
                if (m <= seq || m > entries) {
                    throw new ParameterException(cl, "--size " + m + " must be larger than --seq " + seq
                            + " and at most the ledger's size " + entries);
                }
                Optional<SignedCheckpoint> cp = LedgerProofs.checkpointOfSize(cps, m);
                String json;
                try {
                    json = LedgerProofs.inclusion(reader, reader.entry(seq), m, cp);
                } catch (LedgerProofs.Mismatch | IOException e) {
                    System.err.println("vigil: " + e.getMessage() + "; run 'vigil verify "
                            + LedgerArguments.display(ledger) + "'");
                    return 1;
                }
                System.out.println(pretty(json));
                if (cp.isEmpty()) {
                    System.err.println("vigil: note: no signed checkpoint has size " + m + ", so the proof's root is"
                            + " not signed" + (latest > seq ? "" : " yet (the entry is after the latest checkpoint, "
                            + latest + "; the next checkpoint will cover it)"));
                }
                return 0;
            } catch (IOException e) {
                return LedgerArguments.cannotRead(ledger, e);
            }
        }

    }

    // ------------------------------------------------------------------------------------------- consistency

    @Command(name = "consistency",
            mixinStandardHelpOptions = true, versionProvider = VigilCommand.Version.class,
            description = {"Print the proof that the ledger's tree of --to entries extends its tree of --from entries"
                    + " without changing any of them, as JSON with both roots and, where checkpoints of those"
                    + " sizes exist, their signed notes (checkpoint1, checkpoint2).",
                    "",
                    "--to defaults to the latest checkpoint's size (or the ledger's size when it has none).", ""},
            footer = {"", "Example:", "  vigil prove consistency /tmp/vigil-demo --from 1000 --to 5000 > grew.proof.json",
                    "  vigil prove check grew.proof.json --key /tmp/vigil-demo/demo-signing.pub"})
    static final class Consistency implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "LEDGER", description = LedgerArguments.DESCRIPTION)
        String ledger;

        @Option(names = "--from", required = true, paramLabel = "A", description = "The earlier tree size.")
        long from;

        @Option(names = "--to", paramLabel = "B", description = "The later tree size (A <= B <= ledger size).")
        Long to;

        @Override
        public Integer call() throws Exception {
            CommandLine cl = spec.commandLine();
            try (LedgerReader reader = LedgerArguments.openReader(cl, ledger)) {
                long entries = reader.size();
                List<StoredCheckpoint> cps = reader.checkpoints();
                long latest = latestCheckpointSize(cps);
                long b = to != null ? to : latest > 0 && latest <= entries ? latest : entries;
                if (from < 0 || from > b || b > entries) {
                    throw new ParameterException(cl, "sizes must satisfy 0 <= --from <= --to <= " + entries
                            + " (the ledger's size); were " + from + " and " + b);
                }
                Optional<SignedCheckpoint> cp1 = LedgerProofs.checkpointOfSize(cps, from);
                Optional<SignedCheckpoint> cp2 = LedgerProofs.checkpointOfSize(cps, b);
                String json;
                try {
                    json = LedgerProofs.consistency(reader, from, b, cp1, cp2);
                } catch (LedgerProofs.Mismatch e) {
                    System.err.println("vigil: " + e.getMessage() + "; run 'vigil verify "
                            + LedgerArguments.display(ledger) + "'");
                    return 1;
                }
                System.out.println(pretty(json));
                if (cp1.isEmpty() || cp2.isEmpty()) {
                    System.err.println("vigil: note: no signed checkpoint has size "
                            + (cp1.isEmpty() && cp2.isEmpty() ? from + " or " + b : cp1.isEmpty() ? from : b)
                            + "; that root is not signed");
                }
                return 0;
            } catch (IOException e) {
                return LedgerArguments.cannotRead(ledger, e);
            }
        }

    }

    // ------------------------------------------------------------------------------------------- check

    @Command(name = "check",
            mixinStandardHelpOptions = true, versionProvider = VigilCommand.Version.class,
            description = {"Verify a proof file offline, without the ledger: the Merkle path must lead from the leaf"
                    + " (or old root) to the root; an embedded checkpoint must be of the proof's tree size and"
                    + " root and, with --key, validly signed; an embedded entry must be the proven leaf.",
                    "",
                    "Exit status 0 when everything checked holds, 1 when something does not (the reason is"
                    + " printed), 2 for bad usage.", ""},
            footer = {"", "Example:", "  vigil prove check seq42.proof.json --key /tmp/vigil-demo/demo-signing.pub"})
    static final class Check implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE", description = "The proof file ('-' reads stdin).")
        String file;

        @Option(names = "--key", paramLabel = "PUB",
                description = "The signer's public key (a file holding the key string, or the string itself), to check embedded checkpoints' signatures.")
        String key;

        @Override
        public Integer call() throws Exception {
            CommandLine cl = spec.commandLine();
            Optional<VerifierKey> vkey = key == null ? Optional.empty() : Optional.of(Keys.verifierKey(cl, "--key", key));
            String text;
            if (file.equals("-")) {
                text = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
            } else {
                Path p = Path.of(file);
                if (!Files.isRegularFile(p)) {
                    throw new ParameterException(cl, "proof file " + file + " does not exist");
                }
                text = Files.readString(p, StandardCharsets.UTF_8);
            }
            PrintStream out = System.out;
            List<String> checked = new ArrayList<>();
            List<String> warnings = new ArrayList<>();
            try {
                ProofJson.Document doc = ProofJson.parse(text);
                doc.verify();
                JsonNode raw = JSON.readTree(text);
                String origin = raw.path("origin").isTextual() ? raw.get("origin").asText() : null;
                String summary;
                if (doc instanceof ProofJson.Inclusion inc) {
                    InclusionProof p = inc.proof();
                    summary = "seq " + p.leafIndex() + " is included in the tree of size " + p.treeSize()
                            + " with root " + inc.root().get().hex();
                    checked.add("path: " + p.path().size() + " hash(es) lead from leafHash to root");
                    if (raw.has("entry")) {
                        checkEntry(raw, inc, checked, warnings);
                    }
                    checkCheckpoint(inc.checkpoint(), "checkpoint", p.treeSize(), inc.root().get(), origin, vkey,
                            checked, warnings);
                } else {
                    ProofJson.Consistency c = (ProofJson.Consistency) doc;
                    ConsistencyProof p = c.proof();
                    summary = "the tree of size " + p.size2() + " (root " + c.root2().hex() + ") extends the tree of"
                            + " size " + p.size1() + " (root " + c.root1().hex() + ")";
                    checked.add("path: " + p.path().size() + " hash(es) link root1 to root2");
                    checkCheckpoint(optionalText(raw, "checkpoint1"), "checkpoint1", p.size1(), c.root1(), origin,
                            vkey, checked, warnings);
                    checkCheckpoint(optionalText(raw, "checkpoint2"), "checkpoint2", p.size2(), c.root2(), origin,
                            vkey, checked, warnings);
                }
                out.println("OK: " + summary);
                checked.forEach(s -> out.println("  " + s));
                warnings.forEach(s -> out.println("warning: " + s));
                return 0;
            } catch (ProofException | CheckFailure | IOException e) {
                checked.forEach(s -> out.println("  " + s));
                out.println("FAILED: " + e.getMessage());
                return 1;
            }
        }

        private static Optional<String> optionalText(JsonNode raw, String name) throws CheckFailure {
            JsonNode n = raw.get(name);
            if (n == null) {
                return Optional.empty();
            }
            if (!n.isTextual()) {
                throw new CheckFailure("\"" + name + "\" must be the text of a signed checkpoint");
            }
            return Optional.of(n.asText());
        }

        private static void checkEntry(JsonNode raw, ProofJson.Inclusion inc, List<String> checked,
                                       List<String> warnings) throws CheckFailure {
            JsonNode e = raw.get("entry");
            if (!e.isTextual()) {
                throw new CheckFailure("\"entry\" must be the ledger line as a string");
            }
            StoredLine s;
            try {
                s = StoredLine.parse(e.asText());
            } catch (IllegalArgumentException malformed) {
                throw new CheckFailure("the embedded entry is not a well-formed ledger line: " + malformed.getMessage());
            }
            long index = inc.proof().leafIndex();
            if (s.seq() != index) {
                throw new CheckFailure("the embedded entry is seq " + s.seq() + ", but the proof is for seq " + index);
            }
            String leaf = inc.leafHash().get().hex();
            if (!s.hash().equals(leaf)) {
                throw new CheckFailure("the embedded entry's hash " + s.hash() + " is not the proof's leafHash " + leaf);
            }
            boolean keyed = "keyed".equals(raw.path("mode").asText());
            if (s.recomputedHash().hex().equals(leaf)) {
                checked.add("entry: seq " + index + ", its content hashes to leafHash");
            } else if (keyed) {
                checked.add("entry: seq " + index + ", its hash is leafHash");
                warnings.add("the ledger is keyed (HMAC): the entry's content cannot be re-hashed without the key");
            } else {
                throw new CheckFailure("the embedded entry's content does not hash to leafHash: the entry was changed");
            }
        }

        private static void checkCheckpoint(Optional<String> note, String what, long size, Hash root, String origin,
                                            Optional<VerifierKey> vkey, List<String> checked, List<String> warnings)
                throws CheckFailure {
            if (note.isEmpty()) {
                warnings.add("the proof carries no signed " + what.replace("checkpoint", "checkpoint ").trim()
                        + " of size " + size + ": that root is only as trustworthy as where you got it");
                return;
            }
            SignedCheckpoint cp;
            try {
                cp = SignedCheckpoint.parse(note.get());
            } catch (NoteFormatException e) {
                throw new CheckFailure("\"" + what + "\" is not a signed checkpoint: " + e.getMessage());
            }
            if (cp.checkpoint().size() != size) {
                throw new CheckFailure("\"" + what + "\" is of size " + cp.checkpoint().size() + ", not " + size);
            }
            if (!cp.checkpoint().root().equals(root)) {
                throw new CheckFailure("\"" + what + "\" has root " + cp.checkpoint().root().hex() + ", not the"
                        + " proof's " + root.hex());
            }
            if (origin != null && !cp.checkpoint().origin().equals(origin)) {
                throw new CheckFailure("\"" + what + "\" is for origin '" + cp.checkpoint().origin() + "', not '"
                        + origin + "'");
            }
            if (vkey.isPresent()) {
                try {
                    cp.verify(vkey.get());
                } catch (CheckpointException e) {
                    throw new CheckFailure(e.getMessage());
                }
                checked.add(what + ": size " + size + ", root matches, signed by " + vkey.get().name() + "+"
                        + vkey.get().keyIdHex());
            } else {
                checked.add(what + ": size " + size + ", root matches (origin " + cp.checkpoint().origin() + ")");
                warnings.add(what + "'s signature was not checked: pass --key PUB");
            }
        }
    }

    /** A check of a proof document failed. */
    static final class CheckFailure extends Exception {
        private static final long serialVersionUID = 1L;

        CheckFailure(String message) {
            super(message);
        }
    }
}
