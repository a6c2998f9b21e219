package io.vigil.postgres;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.ledger.Hash;
import io.vigil.ledger.LedgerArchive;
import io.vigil.ledger.LedgerReader;
import io.vigil.ledger.VerificationReport;
import io.vigil.ledger.checkpoint.CheckpointException;
import io.vigil.ledger.checkpoint.SignedCheckpoint;
import io.vigil.ledger.checkpoint.VerifierKey;
import io.vigil.ledger.internal.EntryCodec;
import io.vigil.ledger.internal.verify.ChainCheck;
import io.vigil.ledger.merkle.ConsistencyProof;
import io.vigil.ledger.merkle.InclusionProof;
import io.vigil.ledger.merkle.NodeSink;
import io.vigil.ledger.merkle.ProofException;
import io.vigil.ledger.merkle.Proofs;
import io.vigil.ledger.merkle.TreeBuilder;

import javax.sql.DataSource;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Retention for a PostgreSQL ledger: export the oldest entries to a directory that proves itself, then prune them.
 *
 * <p>An export of seqs {@code [from, to)} ({@code from} is where the ledger starts: 0, or the last cut) holds
 * {@code entries.jsonl} (the stored lines) and {@code archive.json}: the Merkle frontier at {@code from}, the hash the
 * first entry chains to with its inclusion proof, the signed checkpoint of the smallest size {@code N >= to}, and a
 * consistency proof from {@code to} to {@code N}. {@link #verify} needs only that directory and the public key: it
 * recomputes the chain and the root at {@code to} from the frontier and the entries, and proves that root to be a
 * prefix of the signed one. {@link #prune} then deletes the entries through {@code security_audit_prune()}, which
 * records the cut; the remaining ledger verifies from it (see {@link PostgresVerifier}).
 */
public final class PostgresArchive {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String ENTRIES = LedgerArchive.ENTRIES;
    static final String MANIFEST = LedgerArchive.MANIFEST;

    private PostgresArchive() {
    }

    /**
     * Exports the entries from the ledger's start up to (not including) {@code to} into {@code dir}: the export of
     * {@link LedgerArchive#export}, read through {@link PostgresLedger#openReader}.
     *
     * @return the number of entries exported
     * @throws IOException when no signed checkpoint covers {@code to - 1} yet, or the database or the files fail
     */
    public static long export(DataSource dataSource, long to, Path dir) throws IOException {
        try (LedgerReader reader = PostgresLedger.openReader(dataSource)) {
            return LedgerArchive.export(reader, to, dir);
        }
    }

    /** Checks an export offline against the checkpoint signer's key. */
    public static VerificationReport verify(Path dir, VerifierKey key) throws IOException {
        List<String> warnings = new ArrayList<>();
        JsonNode m = JSON.readTree(Files.readString(dir.resolve(MANIFEST), StandardCharsets.UTF_8));
        String origin = m.path("origin").asText();
        long from = m.path("from").asLong();
        long to = m.path("to").asLong();
        SignedCheckpoint cp;
        try {
            cp = SignedCheckpoint.parse(m.path("checkpoint").asText());
            cp.verify(key);
        } catch (CheckpointException | RuntimeException e) {
            return fail(from, 0, "the export's checkpoint is not validly signed by " + key.name() + ": " + e.getMessage(),
                    warnings);
        }
        if (!cp.checkpoint().origin().equals(origin)) {
            return fail(from, 0, "the export's checkpoint names origin '" + cp.checkpoint().origin() + "', not '"
                    + origin + "'", warnings);
        }
        long n = cp.checkpoint().size();
        List<TreeBuilder.FrontierNode> frontier = new ArrayList<>();
        for (JsonNode f : m.path("frontier")) {
            frontier.add(new TreeBuilder.FrontierNode(f.path("level").asInt(), Hash.fromHex(f.path("hash").asText())));
        }
        TreeBuilder tree = new TreeBuilder(frontier, NodeSink.NONE);
        if (tree.size() != from || to > n || from >= to) {
            return fail(from, 0, "the export's sizes do not fit together (from " + from + ", to " + to + ", frontier of "
                    + tree.size() + ", checkpoint of " + n + ")", warnings);
        }
        String firstPrev = m.path("firstPrevHash").asText();
        if (from > 0) {
            try {
                Proofs.verifyInclusion(new InclusionProof(from - 1, n, hashList(m.path("firstPrevHashInclusion"))),
                        Hash.fromHex(firstPrev), cp.checkpoint().root());
            } catch (ProofException | RuntimeException e) {
                return fail(from, 0, "the hash seq " + from + " chains to is not proven to be seq " + (from - 1)
                        + "'s in the signed checkpoint: " + e.getMessage(), warnings);
            }
        }
        ChainCheck check = ChainCheck.linkedTo(new EntryCodec(List.of()), from, firstPrev,
                from == 0 ? ChainCheck.genesisLink(0) : ChainCheck.cutLink(from));
        try (BufferedReader in = Files.newBufferedReader(dir.resolve(ENTRIES), StandardCharsets.UTF_8)) {
            String text;
            while ((text = in.readLine()) != null) {
                byte[] line = text.getBytes(StandardCharsets.UTF_8);
                if (!check.accept(line, 0, line.length)) {
                    return fail(check.badSeq(), check.nextSeq() - from, check.reason().orElseThrow(), warnings);
                }
                tree.append(Hash.wrap(check.leaf()));
            }
        }
        long seq = check.nextSeq();
        if (seq != to) {
            return fail(seq, seq - from, "the export ends at seq " + seq + " but claims entries up to seq " + (to - 1)
                    + ": entries were removed", warnings);
        }
        try {
            Proofs.verifyConsistency(new ConsistencyProof(to, n, hashList(m.path("consistency"))), tree.root(),
                    cp.checkpoint().root());
        } catch (ProofException | RuntimeException e) {
            return fail(from, to - from, "the Merkle root of seqs 0.." + (to - 1) + " is not a prefix of signed"
                    + " checkpoint " + n + ": entries of the export (from seq " + from + ") were rewritten ("
                    + e.getMessage() + ")", warnings);
        }
        return new VerificationReport(to - from, 1, OptionalLong.empty(), Optional.empty(), warnings,
                Optional.of(tree.root()));
    }

    /**
     * Deletes the entries before {@code upto} through {@code security_audit_prune()}, as a member of
     * {@code vigil_retention}, recording {@code archive} (where their export went) with the cut. Export and verify
     * them first: pruning cannot be undone.
     *
     * @return the number of entries deleted
     */
    public static long prune(DataSource dataSource, long upto, String archive) throws IOException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT security_audit_prune(?, ?)")) {
            ps.setLong(1, upto);
            ps.setString(2, archive);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IOException("PostgreSQL ledger: cannot prune up to seq " + upto + ": " + e.getMessage(), e);
        }
    }

    private static List<Hash> hashList(JsonNode array) {
        List<Hash> out = new ArrayList<>();
        for (JsonNode h : array) {
            out.add(Hash.fromHex(h.asText()));
        }
        return out;
    }

    private static VerificationReport fail(long seq, long entries, String reason, List<String> warnings) {
        return new VerificationReport(entries, 0, OptionalLong.of(seq), Optional.of(reason), warnings, Optional.empty());
    }
}
