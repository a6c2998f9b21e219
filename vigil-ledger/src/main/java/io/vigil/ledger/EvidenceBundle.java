package io.vigil.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.ledger.checkpoint.CheckpointException;
import io.vigil.ledger.checkpoint.SignedCheckpoint;
import io.vigil.ledger.checkpoint.VerifierKey;
import io.vigil.ledger.merkle.ProofException;
import io.vigil.ledger.merkle.ProofJson;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * An evidence bundle: a zip an auditor takes away and checks offline, without trusting whoever exported it. It holds
 * the selected entries, an inclusion proof of each against one signed checkpoint, the checkpoint that covered the
 * first of them when it was written and the consistency proof from it to the newer one, the verifier key the exporter
 * used, a manifest with the SHA-256 of every file, and a README for the auditor.
 *
 * <p>What a bundle that verifies proves: each entry, byte for byte, is the entry at its seq of the ledger named by the
 * checkpoints' origin, as committed by a checkpoint signed with the key given to the check (not the one in the
 * bundle, which anyone could replace); and that ledger only grew between the two checkpoints. What it does not prove:
 * that the selection is complete (that no other entry matches the filters), or anything about entries not in it.
 */
public final class EvidenceBundle {
    /** The bundle format, in the manifest. */
    public static final String FORMAT = "vigil-evidence/1";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MANIFEST = "manifest.json";
    private static final String ENTRIES = "entries.jsonl";
    private static final String CHECKPOINT = "checkpoint.note";
    private static final String FIRST_CHECKPOINT = "first-checkpoint.note";
    private static final String CONSISTENCY = "consistency.json";
    private static final String KEY = "verifier.pub";
    private static final String README = "README.md";

    private EvidenceBundle() {
    }

    /** The bundle cannot be written: the ledger has no signed checkpoint covering the entries. */
    public static final class Unprovable extends Exception {
        private static final long serialVersionUID = 1L;

        Unprovable(String message) {
            super(message);
        }
    }

    /**
     * Writes a bundle of {@code entries} (in seq order) to {@code out}: proven against the latest signed checkpoint,
     * with {@code description} (who exported, which filters) in the manifest.
     *
     * @throws Unprovable when no signed checkpoint covers the last entry, or the ledger's files disagree
     */
    public static void write(LedgerReader reader, List<LedgerEntry> entries, VerifierKey key,
                             Map<String, String> description, OutputStream out) throws IOException, Unprovable {
        List<StoredCheckpoint> cps = reader.checkpoints();
        if (cps.isEmpty()) {
            throw new Unprovable("the ledger has no signed checkpoint yet");
        }
        StoredCheckpoint latest = cps.get(cps.size() - 1);
        long lastSeq = entries.isEmpty() ? -1 : entries.get(entries.size() - 1).seq();
        if (latest.size() <= lastSeq) {
            throw new Unprovable("the latest signed checkpoint (size " + latest.size() + ") does not cover seq "
                    + lastSeq + "; sign a checkpoint first");
        }
        Map<String, byte[]> files = new LinkedHashMap<>();
        StringBuilder lines = new StringBuilder();
        for (LedgerEntry e : entries) {
            lines.append(e.line()).append('\n');
            try {
                files.put("proofs/" + e.seq() + ".json", LedgerProofs.inclusion(reader, e, latest.size(),
                        Optional.of(latest.checkpoint())).getBytes(StandardCharsets.UTF_8));
            } catch (LedgerProofs.Mismatch m) {
                throw new Unprovable(m.getMessage());
            }
        }
        files.put(ENTRIES, lines.toString().getBytes(StandardCharsets.UTF_8));
        files.put(CHECKPOINT, latest.checkpoint().encode().getBytes(StandardCharsets.UTF_8));
        long firstSeq = entries.isEmpty() ? -1 : entries.get(0).seq();
        Optional<StoredCheckpoint> first = cps.stream().filter(c -> c.size() > firstSeq).findFirst();
        if (first.isPresent() && first.get().size() < latest.size()) {
            files.put(FIRST_CHECKPOINT, first.get().checkpoint().encode().getBytes(StandardCharsets.UTF_8));
            try {
                files.put(CONSISTENCY, LedgerProofs.consistency(reader, first.get().size(), latest.size(),
                        Optional.of(first.get().checkpoint()), Optional.of(latest.checkpoint()))
                        .getBytes(StandardCharsets.UTF_8));
            } catch (LedgerProofs.Mismatch m) {
                throw new Unprovable(m.getMessage());
            }
        }
        files.put(KEY, (key.encode() + "\n").getBytes(StandardCharsets.UTF_8));
        files.put(README, readme(reader.origin(), entries.size(), latest.size(), description)
                .getBytes(StandardCharsets.UTF_8));

        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("format", FORMAT);
        manifest.put("origin", reader.origin());
        manifest.put("entries", entries.size());
        manifest.put("checkpointSize", latest.size());
        ObjectNode about = manifest.putObject("description");
        description.forEach(about::put);
        ObjectNode hashes = manifest.putObject("sha256");
        files.forEach((name, bytes) -> hashes.put(name, sha256(bytes)));
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            put(zip, MANIFEST, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                put(zip, f.getKey(), f.getValue());
            }
        }
    }

    private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes);
        zip.closeEntry();
    }

    private static String readme(String origin, int entries, long size, Map<String, String> description) {
        StringBuilder b = new StringBuilder();
        b.append("# Evidence bundle\n\n");
        b.append(entries).append(" entries of the audit ledger `").append(origin).append("`, each with a proof that ")
                .append("it is in the ledger as committed by the signed checkpoint of size ").append(size)
                .append(" (`checkpoint.note`).\n\n");
        description.forEach((k, v) -> b.append("- ").append(k).append(": ").append(v).append('\n'));
        b.append("\n## Check it\n\n");
        b.append("    vigil verify THIS.zip --key FILE\n\n");
        b.append("Use a verifier key you obtained from the ledger's owner yourself, not `verifier.pub` from this ")
                .append("bundle: whoever could change the bundle could change that file too.\n\n");
        b.append("## What a bundle that checks proves\n\n");
        b.append("- every file is as exported (`manifest.json` holds their SHA-256);\n");
        b.append("- each line of `entries.jsonl` is, byte for byte, the ledger's entry at its seq: its hash is ")
                .append("recomputed from the line, and `proofs/SEQ.json` leads from that hash to the root that the ")
                .append("checkpoint, signed with your key, commits to;\n");
        b.append("- when `first-checkpoint.note` and `consistency.json` are present: the ledger at the first ")
                .append("checkpoint is a prefix of the ledger at the second: nothing was changed or removed ")
                .append("between them.\n\n");
        b.append("It does not prove that the selection is complete (that no other entry matches the filters), nor ")
                .append("anything about entries not in the bundle.\n");
        return b.toString();
    }

    /** What checking a bundle found. */
    public record Report(boolean ok, List<String> proven, List<String> problems) {
        public Report {
            proven = List.copyOf(proven);
            problems = List.copyOf(problems);
        }
    }

    /** Checks a bundle offline against {@code key}; every problem names the file it is in. */
    public static Report verify(Path zip, VerifierKey key) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(zip); ZipInputStream z = new ZipInputStream(in)) {
            ZipEntry e;
            while ((e = z.getNextEntry()) != null) {
                if (files.put(e.getName(), z.readAllBytes()) != null) {
                    return failed("the zip holds " + e.getName() + " twice");
                }
            }
        }
        List<String> problems = new ArrayList<>();
        List<String> proven = new ArrayList<>();
        byte[] manifestBytes = files.get(MANIFEST);
        if (manifestBytes == null) {
            return failed("no " + MANIFEST + ": not an evidence bundle");
        }
        JsonNode manifest;
        try {
            manifest = JSON.readTree(manifestBytes);
        } catch (IOException e) {
            return failed(MANIFEST + " is not JSON: " + e.getMessage());
        }
        if (!FORMAT.equals(manifest.path("format").asText())) {
            return failed(MANIFEST + ": format is not " + FORMAT);
        }
        JsonNode hashes = manifest.path("sha256");
        hashes.fieldNames().forEachRemaining(name -> {
            byte[] bytes = files.get(name);
            if (bytes == null) {
                problems.add(name + ": listed in the manifest but missing");
            } else if (!sha256(bytes).equals(hashes.get(name).asText())) {
                problems.add(name + ": changed since export (its SHA-256 differs from the manifest's)");
            }
        });
        for (String name : files.keySet()) {
            if (!name.equals(MANIFEST) && !hashes.has(name)) {
                problems.add(name + ": not in the manifest (added after export)");
            }
        }
        if (!problems.isEmpty()) {
            return new Report(false, proven, problems);
        }
        SignedCheckpoint cp = checkpoint(files, CHECKPOINT, key, problems);
        if (cp == null) {
            return new Report(false, proven, problems);
        }
        proven.add(CHECKPOINT + ": signed by " + key.name() + "; ledger " + cp.checkpoint().origin() + ", size "
                + cp.checkpoint().size() + ", root " + cp.checkpoint().root().hex());
        String text = new String(files.getOrDefault(ENTRIES, new byte[0]), StandardCharsets.UTF_8);
        int n = 0;
        for (String line : text.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            n++;
            checkEntry(line, n, files, cp, problems);
        }
        if (problems.isEmpty()) {
            proven.add(ENTRIES + ": " + n + " entries, each the ledger's entry at its seq as the checkpoint commits");
        }
        if (files.containsKey(FIRST_CHECKPOINT)) {
            SignedCheckpoint first = checkpoint(files, FIRST_CHECKPOINT, key, problems);
            if (first != null) {
                checkConsistency(files, first, cp, problems, proven);
            }
        }
        return new Report(problems.isEmpty(), proven, problems);
    }

    private static SignedCheckpoint checkpoint(Map<String, byte[]> files, String name, VerifierKey key,
                                               List<String> problems) {
        byte[] bytes = files.get(name);
        if (bytes == null) {
            problems.add(name + ": missing");
            return null;
        }
        try {
            SignedCheckpoint cp = SignedCheckpoint.parse(new String(bytes, StandardCharsets.UTF_8));
            cp.verify(key);
            return cp;
        } catch (CheckpointException | IllegalArgumentException e) { // a malformed note is an IllegalArgumentException
            problems.add(name + ": " + e.getMessage());
            return null;
        }
    }

    private static void checkEntry(String line, int n, Map<String, byte[]> files, SignedCheckpoint cp,
                                   List<String> problems) {
        StoredLine stored;
        try {
            stored = StoredLine.parse(line);
        } catch (RuntimeException e) {
            problems.add(ENTRIES + " line " + n + ": not a ledger entry: " + e.getMessage());
            return;
        }
        if (!stored.recomputedHash().hex().equals(stored.hash())) {
            problems.add(ENTRIES + " line " + n + " (seq " + stored.seq() + "): its hash does not match its content");
            return;
        }
        String proofName = "proofs/" + stored.seq() + ".json";
        byte[] proofBytes = files.get(proofName);
        if (proofBytes == null) {
            problems.add(proofName + ": missing for seq " + stored.seq());
            return;
        }
        try {
            ProofJson.Document doc = ProofJson.parse(new String(proofBytes, StandardCharsets.UTF_8));
            if (!(doc instanceof ProofJson.Inclusion inc)) {
                problems.add(proofName + ": not an inclusion proof");
                return;
            }
            if (inc.proof().leafIndex() != stored.seq() || inc.proof().treeSize() != cp.checkpoint().size()) {
                problems.add(proofName + ": proves seq " + inc.proof().leafIndex() + " in a tree of size "
                        + inc.proof().treeSize() + ", not seq " + stored.seq() + " in the checkpoint's "
                        + cp.checkpoint().size());
                return;
            }
            if (!inc.leafHash().map(h -> h.equals(stored.recomputedHash())).orElse(false)
                    || !inc.root().map(r -> r.equals(cp.checkpoint().root())).orElse(false)) {
                problems.add(proofName + ": does not lead from the entry's hash to the checkpoint's root");
                return;
            }
            inc.verify();
        } catch (ProofException | RuntimeException e) {
            problems.add(proofName + ": " + e.getMessage());
        }
    }

    private static void checkConsistency(Map<String, byte[]> files, SignedCheckpoint first, SignedCheckpoint last,
                                         List<String> problems, List<String> proven) {
        byte[] bytes = files.get(CONSISTENCY);
        if (bytes == null) {
            problems.add(CONSISTENCY + ": missing beside " + FIRST_CHECKPOINT);
            return;
        }
        try {
            ProofJson.Document doc = ProofJson.parse(new String(bytes, StandardCharsets.UTF_8));
            if (!(doc instanceof ProofJson.Consistency c) || !c.root1().equals(first.checkpoint().root())
                    || !c.root2().equals(last.checkpoint().root())) {
                problems.add(CONSISTENCY + ": does not link the two checkpoints' roots");
                return;
            }
            c.verify();
            proven.add(CONSISTENCY + ": the ledger at size " + first.checkpoint().size() + " is a prefix of the "
                    + "ledger at size " + last.checkpoint().size());
        } catch (ProofException | RuntimeException e) {
            problems.add(CONSISTENCY + ": " + e.getMessage());
        }
    }

    private static Report failed(String problem) {
        return new Report(false, List.of(), List.of(problem));
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
