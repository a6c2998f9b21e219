package io.vigil.ledger.tck;

import io.vigil.AuditLog;
import io.vigil.AuditReceipt;
import io.vigil.PipelineOptions;
import io.vigil.ledger.AuditQuery;
import io.vigil.ledger.Hash;
import io.vigil.ledger.LedgerEntry;
import io.vigil.ledger.LedgerOptions;
import io.vigil.ledger.LedgerReader;
import io.vigil.ledger.LedgerSink;
import io.vigil.ledger.LedgerStore;
import io.vigil.ledger.QueryPage;
import io.vigil.ledger.StoredCheckpoint;
import io.vigil.ledger.VerificationReport;
import io.vigil.ledger.checkpoint.CheckpointException;
import io.vigil.ledger.checkpoint.FileWitness;
import io.vigil.ledger.checkpoint.SignedCheckpoint;
import io.vigil.ledger.checkpoint.SigningKey;
import io.vigil.ledger.checkpoint.VerifierKey;
import io.vigil.ledger.checkpoint.Witness;
import io.vigil.ledger.merkle.ConsistencyProof;
import io.vigil.ledger.merkle.InclusionProof;
import io.vigil.ledger.merkle.ProofException;
import io.vigil.ledger.merkle.Proofs;
import io.vigil.sink.EntryPosition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The guarantees every {@link LedgerStore} gives, written once and run against each store, as Micrometer's
 * {@code MeterRegistryCompatibilityKit} is for meter registries. A store's test extends this class and implements
 * the hooks; it ships as {@code io.vigil:vigil-ledger-tck} so that every store, in whatever module, runs the same tests.
 *
 * <p>The hooks:
 * <ul>
 *   <li>{@link #open}: create or reopen the one store under test (each test gets a fresh, empty one);</li>
 *   <li>{@link #verify(VerifierKey)}, {@link #verify(VerifierKey, Witness)}: the store's full offline
 *       verification;</li>
 *   <li>the tamper hooks: change the stored entries natively, as someone with write access to the storage (files,
 *       rows) but without the signing key would. Seqs name positions in the ledger as it was written;</li>
 *   <li>{@link #snapshot()} and {@link #rollbackTo}: copy the whole stored state, and later put that copy back.</li>
 * </ul>
 * The kit calls the verification, tamper and snapshot hooks only while no store is open.
 *
 * <p>What is proven: appends get gapless seqs from 0 whose hashes chain from the genesis value of the origin as
 * ledger format v1 says (recomputed here independently of the main code); receipts from an {@link AuditLog} carry
 * them; reopening continues the chain; roots and proofs verify; checkpoints are signed; an untouched store verifies;
 * and every kind of tampering is found at the right first bad seq: a changed byte or field, a deleted, inserted or
 * swapped entry, a cut tail, a rewrite that re-chains everything after it, and (with a witness) a rollback. Each
 * tamper case runs at seq 0, inside a segment and on both sides of a segment boundary, for stores that have them.
 */
public abstract class LedgerStoreCompatibilityKit {
    /** The origin of every ledger the kit writes. */
    protected static final String ORIGIN = "example.com/audit/kit";
    /** Entries in the ledgers the tamper tests attack: several checkpoints and, at 64 KiB, many segments. */
    protected static final int LEDGER_SIZE = 2_500;
    protected static final int CHECKPOINT_EVERY = 500;
    protected static final long SEGMENT_BYTES = 64 * 1024;
    /** Appends use seeded random batch sizes up to this: segment and checkpoint boundaries land at irregular seqs. */
    protected static final int MAX_BATCH = 120;

    /** A store's whole state, copied by {@link #snapshot()}. */
    public interface Snapshot {
    }

    /** Where in the ledger a tamper test strikes. */
    protected enum Where {
        /** seq 0, whose prevHash is the genesis value. */
        FIRST_ENTRY,
        /** An entry well inside the ledger, away from any segment boundary. */
        INSIDE_A_SEGMENT,
        /** The last entry of a segment that has a successor (stores with segments only). */
        LAST_OF_A_SEGMENT,
        /** The first entry of a segment other than the first (stores with segments only). */
        FIRST_OF_A_SEGMENT
    }

    /** The checkpoint signer of this test's ledger (a new one per test). */
    protected final SigningKey signingKey = SigningKey.generate("kit.example.com");

    /**
     * The clock of every store the kit opens ({@link #options()}): it stands still unless a test advances it, so
     * time-based checkpoints are tested on every store without waiting.
     */
    protected final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));

    /** A place for the kit's own files (the witness). */
    @TempDir
    protected Path kitDir;

    /** hash(seq) of every entry written by {@link #write}, by seq. */
    private final List<String> hashes = new ArrayList<>();
    /** The checkpoint sizes after the last {@link #write}. */
    private List<Long> checkpointSizes = List.of();

    // ---- hooks ---------------------------------------------------------------------------------------------------

    /** Creates the store under test, or reopens it with everything written so far. */
    protected abstract LedgerStore open(String origin, LedgerOptions options) throws IOException;

    /** A read-only reader of the store under test, through its public factory ({@code openReader}). */
    protected abstract LedgerReader openReader() throws IOException;

    /** The store's full verification, checking checkpoints against {@code key}. */
    protected abstract VerificationReport verify(VerifierKey key) throws IOException;

    /** As {@link #verify(VerifierKey)}, also holding the ledger to what {@code witness} has seen. */
    protected abstract VerificationReport verify(VerifierKey key, Witness witness) throws IOException;

    /** Flips one byte inside a string value (not a hash) of the entry at {@code seq}; JSON stays well formed. */
    protected abstract void changeOneByte(long seq) throws IOException;

    /** Replaces the value of top-level {@code field} of entry {@code seq} with raw JSON; no hash is fixed. */
    protected abstract void changeField(long seq, String field, String newJsonValue) throws IOException;

    /** Removes the entry at {@code seq}. */
    protected abstract void deleteEntry(long seq) throws IOException;

    /** Stores {@code line} as an extra entry right after the entry at {@code seq}. */
    protected abstract void insertEntryAfter(long seq, String line) throws IOException;

    /** Exchanges the entries at {@code a} and {@code b}. */
    protected abstract void swapEntries(long a, long b) throws IOException;

    /** Removes every entry from {@code seq} on. */
    protected abstract void cutTailFrom(long seq) throws IOException;

    /**
     * Applies {@code change} to the line of entry {@code seq}, then re-chains it and every later entry: sets each
     * one's {@code prevHash} to the new hash of the one before and recomputes its {@code hash}, so the chain is
     * internally valid again. Checkpoints are left as they are (the attacker has no signing key); derived data the
     * store keeps besides the entries (such as a persisted Merkle tree) is left as it is too.
     */
    protected abstract void rewriteFrom(long seq, UnaryOperator<String> change) throws IOException;

    /** Copies the store's whole state. */
    protected abstract Snapshot snapshot() throws IOException;

    /** Replaces the store's whole state with {@code snapshot}. */
    protected abstract void rollbackTo(Snapshot snapshot) throws IOException;

    /**
     * The first seq of every physical segment after the first, for stores that split entries into segments (where
     * edits at a boundary take other code paths); empty for stores without.
     */
    protected List<Long> segmentStarts() throws IOException {
        return List.of();
    }

    /** The options the kit writes with: signed checkpoints every {@value #CHECKPOINT_EVERY} entries, small segments. */
    protected LedgerOptions options() {
        return LedgerOptions.defaults(ORIGIN).withSigningKey(signingKey)
                .withCheckpoints(CHECKPOINT_EVERY, Duration.ofHours(1)).withSegmentBytes(SEGMENT_BYTES)
                .withClock(clock);
    }

    // ---- reading (LedgerReader) ----------------------------------------------------------------------------------

    /** Entries in the ledgers the reader tests read: two checkpoints or more and, in files, a few segments. */
    private static final int READ_SIZE = 700;

    private ReaderFixture writeForReading() throws IOException {
        try (LedgerStore store = open(ORIGIN, options())) {
            return ReaderFixture.write(store, READ_SIZE, MAX_BATCH);
        }
    }

    @Test
    void aReaderSeesEveryEntryAsItWasAppendedLineForLine() throws IOException {
        ReaderFixture f = writeForReading();
        try (LedgerReader reader = openReader()) {
            assertThat(reader.origin()).isEqualTo(ORIGIN);
            assertThat(reader.size()).isEqualTo(READ_SIZE);
            assertThat(reader.start()).isZero();
            assertThat(reader.keyed()).isFalse();
            try (Stream<LedgerEntry> all = reader.entries(0, READ_SIZE)) {
                List<LedgerEntry> entries = all.toList();
                assertThat(entries).extracting(LedgerEntry::line).containsExactlyElementsOf(f.lines());
                assertThat(entries).extracting(LedgerEntry::event).containsExactlyElementsOf(f.events());
                assertThat(entries).extracting(LedgerEntry::seq)
                        .containsExactlyElementsOf(LongStream.range(0, READ_SIZE).boxed().toList());
                assertThat(entries).allSatisfy(e -> assertThat(e.line()).contains("\"hash\":\"" + e.hash() + "\""));
            }
            for (long seq : List.of(0L, 1L, 349L, READ_SIZE - 1L)) {
                assertThat(reader.entry(seq).line()).isEqualTo(f.lines().get((int) seq));
            }
            try (Stream<LedgerEntry> middle = reader.entries(123, 456)) {
                assertThat(middle.map(LedgerEntry::line).toList()).isEqualTo(f.lines().subList(123, 456));
            }
            try (Stream<LedgerEntry> none = reader.entries(READ_SIZE, READ_SIZE)) {
                assertThat(none).isEmpty();
            }
        }
    }

    @Test
    void aReaderQueriesWithEachFilterAndPagesByCursor() throws IOException {
        ReaderFixture f = writeForReading();
        Instant from = ReaderFixture.T0.plusSeconds(100);
        Instant to = ReaderFixture.T0.plusSeconds(250);
        try (LedgerReader reader = openReader()) {
            AuditQuery all = AuditQuery.all().limit(AuditQuery.MAX_LIMIT);
            assertThat(seqs(reader, all.user("user-3"))).isEqualTo(f.seqsWhere(n -> n % 7 == 3));
            assertThat(seqs(reader, all.type("auth.login.failure"))).isEqualTo(f.seqsWhere(n -> n % 4 == 0));
            assertThat(seqs(reader, all.type("auth.login.*"))).isEqualTo(f.seqsWhere(n -> n % 4 < 2));
            assertThat(seqs(reader, all.resource("doc", Optional.empty()))).hasSize(READ_SIZE);
            assertThat(seqs(reader, all.resource("doc", Optional.of("d-4")))).isEqualTo(f.seqsWhere(n -> n % 11 == 4));
            assertThat(seqs(reader, all.resource("invoice", Optional.empty()))).isEmpty();
            assertThat(seqs(reader, all.ip("10.0.2.1"))).isEqualTo(f.seqsWhere(n -> n % 5 == 2));
            assertThat(seqs(reader, all.tenant("t-1"))).isEqualTo(f.seqsWhere(n -> n % 3 == 1));
            assertThat(seqs(reader, all.from(from).to(to))).isEqualTo(f.seqsWhere(n -> n >= 100 && n < 250));
            assertThat(seqs(reader, all.user("user-3").tenant("t-1").type("auth.*")))
                    .isEqualTo(f.seqsWhere(n -> n % 7 == 3 && n % 3 == 1 && n % 4 < 2));

            QueryPage first = reader.query(AuditQuery.all().user("user-5").limit(10));
            assertThat(first.entries()).extracting(LedgerEntry::line)
                    .containsExactlyElementsOf(f.seqsWhere(n -> n % 7 == 5).subList(0, 10).stream()
                            .map(n -> f.lines().get(n.intValue())).toList());
            List<Long> paged = new ArrayList<>();
            AuditQuery q = AuditQuery.all().user("user-5").limit(7);
            int pages = 0;
            while (true) {
                QueryPage page = reader.query(q);
                pages++;
                page.entries().forEach(e -> paged.add(e.seq()));
                if (page.nextCursor().isEmpty()) {
                    break;
                }
                q = q.after(page.nextCursor().get());
            }
            List<Long> expected = f.seqsWhere(n -> n % 7 == 5);
            assertThat(paged).isEqualTo(expected);
            assertThat(pages).isEqualTo((expected.size() + 6) / 7);
        }
    }

    private static List<Long> seqs(LedgerReader reader, AuditQuery query) throws IOException {
        QueryPage page = reader.query(query);
        assertThat(page.nextCursor()).as("one page holds them all").isEmpty();
        return page.entries().stream().map(LedgerEntry::seq).toList();
    }

    @Test
    void aReadersProofsVerifyAgainstItsRootsAndTheSignedCheckpoints() throws IOException, ProofException,
            CheckpointException {
        ReaderFixture f = writeForReading();
        try (LedgerReader reader = openReader()) {
            List<StoredCheckpoint> cps = reader.checkpoints();
            assertThat(cps).extracting(StoredCheckpoint::size).containsExactlyElementsOf(f.checkpoints())
                    .hasSizeGreaterThanOrEqualTo(2).last().isEqualTo((long) READ_SIZE);
            assertThat(cps).allSatisfy(c -> {
                assertThat(c.recordedAt()).as("the time the writer recorded").isPresent();
                assertThat(c.checkpoint().checkpoint().origin()).isEqualTo(ORIGIN);
            });
            List<byte[]> leaves = new ArrayList<>();
            Pattern hashMember = Pattern.compile("\"hash\":\"([0-9a-f]{64})\"");
            for (String line : f.lines()) {
                Matcher m = hashMember.matcher(line);
                assertThat(m.find()).as("a hash in %s", line).isTrue();
                leaves.add(Hash.fromHex(m.group(1)).bytes());
            }
            for (StoredCheckpoint cp : cps) {
                cp.checkpoint().verify(signingKey.verifierKey());
                long size = cp.size();
                Hash root = reader.root(size);
                assertThat(root).isEqualTo(cp.checkpoint().checkpoint().root());
                assertThat(root.bytes()).isEqualTo(merkleTreeHash(leaves.subList(0, (int) size)));
                for (long seq : List.of(0L, size / 2, size - 1)) {
                    Proofs.verifyInclusion(reader.inclusionProof(seq, size), Hash.fromHex(reader.entry(seq).hash()),
                            cp.checkpoint().checkpoint().root());
                }
            }
            Proofs.verifyInclusion(reader.inclusionProof(42, 43), Hash.fromHex(reader.entry(42).hash()),
                    reader.root(43));
            Proofs.verifyConsistency(reader.consistencyProof(cps.get(0).size(), READ_SIZE),
                    cps.get(0).checkpoint().checkpoint().root(), cps.get(cps.size() - 1).checkpoint().checkpoint().root());
            Proofs.verifyConsistency(reader.consistencyProof(17, 333), reader.root(17), reader.root(333));
            assertThat(reader.root(0)).isEqualTo(Hash.wrap(merkleTreeHash(List.of())));
        }
    }

    @Test
    void aReaderRefusesSeqsAndSizesOutsideTheLedgerInOneWording() throws IOException {
        writeForReading();
        String notIn = "seq " + READ_SIZE + " is not in the ledger (size " + READ_SIZE + ")";
        String tooBig = "size " + (READ_SIZE + 1) + " is not within the ledger (size " + READ_SIZE + ")";
        try (LedgerReader reader = openReader()) {
            assertThatThrownBy(() -> reader.entry(READ_SIZE)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(notIn);
            assertThatThrownBy(() -> reader.entry(-1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("seq -1 is not in the ledger (size " + READ_SIZE + ")");
            assertThatThrownBy(() -> reader.inclusionProof(READ_SIZE, READ_SIZE))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage(notIn);
            assertThatThrownBy(() -> reader.inclusionProof(0, READ_SIZE + 1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage(tooBig);
            assertThatThrownBy(() -> reader.root(READ_SIZE + 1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(tooBig);
            assertThatThrownBy(() -> reader.consistencyProof(1, READ_SIZE + 1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage(tooBig);
            assertThatThrownBy(() -> reader.consistencyProof(5, 4)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("size 5 is not within 0..4 (the later size)");
            assertThatThrownBy(() -> reader.entries(10, READ_SIZE + 1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("seqs 10 to " + (READ_SIZE + 1) + " (exclusive) are not within the ledger (size "
                            + READ_SIZE + ")");
        }
    }

    // ---- appending ------------------------------------------------------------------------------------------------

    @Test
    void appendAssignsGaplessSeqsFromZeroWhoseHashesChain() throws IOException {
        List<EntryPosition> positions = new ArrayList<>();
        try (LedgerStore store = open(ORIGIN, options())) {
            assertThat(store.origin()).isEqualTo(ORIGIN);
            assertThat(store.size()).isZero();
            positions.addAll(store.append(SampleEvents.loginFailures(0, 1)));
            positions.addAll(store.append(SampleEvents.loginFailures(1, 37)));
            assertThat(store.append(List.of())).as("an empty batch takes no seq").isEmpty();
            positions.addAll(store.append(SampleEvents.loginFailures(38, 262)));

            assertThat(positions).extracting(EntryPosition::seq)
                    .containsExactlyElementsOf(LongStream.range(0, 300).boxed().toList());
            assertThat(store.size()).isEqualTo(300);
            // Recompute the chain from the stored lines with the test's own reading of ledger format v1.
            String prev = EntryLines.genesis(ORIGIN);
            for (EntryPosition p : positions) {
                String line = store.line(p.seq());
                assertThat(EntryLines.seq(line)).isEqualTo(p.seq());
                assertThat(EntryLines.prevHash(line)).as("prevHash(%d)", p.seq()).isEqualTo(prev);
                assertThat(EntryLines.hash(line)).as("stored hash(%d)", p.seq()).isEqualTo(p.hash());
                assertThat(EntryLines.computeHash(line)).as("hash(%d) recomputed from its line", p.seq())
                        .isEqualTo(p.hash());
                assertThat(store.entryHash(p.seq()).hex()).as("entryHash(%d)", p.seq()).isEqualTo(p.hash());
                assertThat(EntryLines.value(line, "details")).as("the event itself")
                        .isEqualTo("{\"n\":" + p.seq() + "}");
                prev = p.hash();
            }
        }
    }

    @Test
    void receiptsFromAnAuditLogCarryTheSeqAndHashOfTheEntry() throws Exception {
        LedgerStore store = open(ORIGIN, options());
        List<CompletableFuture<AuditReceipt>> pending = new ArrayList<>();
        // Closing the log closes its sinks, and the ledger sink closes the store.
        try (AuditLog log = AuditLog.builder().sink("ledger", new LedgerSink(store)).selfAudit(false)
                .pipeline(PipelineOptions.DEFAULT.withShutdownHook(false)).build()) {
            for (int n = 0; n < 500; n++) {
                pending.add(log.record(SampleEvents.loginFailure(n)));
            }
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        }
        List<AuditReceipt> receipts = pending.stream().map(CompletableFuture::join).toList();
        // One recording thread: the ledger's order is the order of record().
        assertThat(receipts).extracting(r -> r.seq().orElse(-1))
                .containsExactlyElementsOf(LongStream.range(0, 500).boxed().toList());
        assertThat(receipts).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(AuditReceipt.Status.WRITTEN);
            assertThat(r.hash()).hasValueSatisfying(h -> assertThat(h).matches("[0-9a-f]{64}"));
        });
        try (LedgerStore reopened = open(ORIGIN, options())) {
            assertThat(reopened.size()).isEqualTo(500);
            for (AuditReceipt r : receipts) {
                long seq = r.seq().getAsLong();
                assertThat(reopened.entryHash(seq).hex()).as("hash of seq %d", seq).isEqualTo(r.hash().get());
                assertThat(EntryLines.string(reopened.line(seq), "id")).isEqualTo(r.eventId().toString());
            }
        }
    }

    @Test
    void reopeningContinuesTheChain() throws IOException {
        write(321);
        try (LedgerStore store = open(ORIGIN, options())) {
            assertThat(store.size()).isEqualTo(321);
            assertThat(store.entryHash(320).hex()).isEqualTo(hashes.get(320));
            List<EntryPosition> more = store.append(SampleEvents.loginFailures(321, 10));
            assertThat(more.get(0).seq()).isEqualTo(321);
            more.forEach(p -> hashes.add(p.hash()));
            assertThat(EntryLines.prevHash(store.line(321)))
                    .as("the first entry after reopening links to the last before")
                    .isEqualTo(hashes.get(320));
        }
        write(200);
        assertIntact(verify(signingKey.verifierKey()), 531);
    }

    // ---- Merkle tree, proofs, checkpoints ------------------------------------------------------------------------

    @Test
    void rootsAndProofsVerifyAtRandomPoints() throws IOException, ProofException {
        write(LEDGER_SIZE);
        List<byte[]> leaves = hashes.stream().map(h -> Hash.fromHex(h).bytes()).toList();
        Random rnd = new Random(6962);
        try (LedgerStore store = open(ORIGIN, options())) {
            List<Long> sizes = new ArrayList<>(List.of(1L, 2L, 3L, 1024L, 1025L, (long) LEDGER_SIZE));
            for (int i = 0; i < 20; i++) {
                sizes.add(1L + rnd.nextInt(LEDGER_SIZE));
            }
            for (long size : sizes) {
                assertThat(store.root(size)).as("root(%d)", size)
                        .isEqualTo(Hash.of(merkleTreeHash(leaves.subList(0, (int) size))));
            }
            for (int i = 0; i < 40; i++) {
                long size = 1L + rnd.nextInt(LEDGER_SIZE);
                long seq = rnd.nextInt((int) size);
                InclusionProof proof = store.inclusionProof(seq, size);
                Proofs.verifyInclusion(proof, store.entryHash(seq), store.root(size));
                long other = (seq + 1) % size;
                if (other != seq) {
                    assertThatThrownBy(() -> Proofs.verifyInclusion(proof, store.entryHash(other), store.root(size)))
                            .as("the proof for seq %d does not prove seq %d", seq, other)
                            .isInstanceOf(ProofException.class);
                }
            }
            for (int i = 0; i < 40; i++) {
                long size2 = 2L + rnd.nextInt(LEDGER_SIZE - 1);
                long size1 = 1L + rnd.nextInt((int) size2 - 1);
                ConsistencyProof proof = store.consistencyProof(size1, size2);
                Proofs.verifyConsistency(proof, store.root(size1), store.root(size2));
                Hash wrong = store.root(size1 == 1 ? 2 : size1 - 1);
                assertThatThrownBy(() -> Proofs.verifyConsistency(proof, wrong, store.root(size2)))
                        .as("consistency %d..%d with a wrong old root", size1, size2)
                        .isInstanceOf(ProofException.class);
            }
        }
    }

    @Test
    void checkpointsAreSignedAtTheConfiguredIntervalAndVerify() throws IOException {
        write(LEDGER_SIZE);
        try (LedgerStore store = open(ORIGIN, options())) {
            List<SignedCheckpoint> checkpoints = store.checkpoints();
            assertThat(checkpoints).extracting(c -> c.checkpoint().size()).isSortedAccordingTo(Long::compare)
                    .doesNotHaveDuplicates().last().isEqualTo((long) LEDGER_SIZE);
            long previous = 0;
            for (SignedCheckpoint c : checkpoints) {
                long size = c.checkpoint().size();
                assertThat(size - previous).as("entries between checkpoints (batches are never split)")
                        .isLessThan(CHECKPOINT_EVERY + MAX_BATCH);
                previous = size;
                assertThat(c.checkpoint().origin()).isEqualTo(ORIGIN);
                assertThat(c.checkpoint().root()).as("signed root at %d", size).isEqualTo(store.root(size));
                assertThatCode(() -> c.verify(signingKey.verifierKey())).doesNotThrowAnyException();
                assertThatThrownBy(() -> c.verify(SigningKey.generate("kit.example.com").verifierKey()))
                        .isInstanceOf(CheckpointException.class);
            }
            store.append(SampleEvents.loginFailures(LEDGER_SIZE, 3));
            Optional<SignedCheckpoint> now = store.checkpoint();
            assertThat(now).hasValueSatisfying(c -> assertThat(c.checkpoint().size()).isEqualTo(LEDGER_SIZE + 3));
            assertThat(store.checkpoints()).last().extracting(SignedCheckpoint::checkpoint)
                    .isEqualTo(now.get().checkpoint());
        }
    }

    @Test
    void aCheckpointIsSignedOnceTheIntervalHasPassedOnTheStoresClock() throws IOException {
        Duration interval = Duration.ofMinutes(10);
        LedgerOptions byTime = options().withCheckpoints(1_000_000, interval);
        try (LedgerStore store = open(ORIGIN, byTime)) {
            store.append(SampleEvents.loginFailures(0, 5));
            clock.advance(interval.minusMillis(1));
            store.append(SampleEvents.loginFailures(5, 1));
            assertThat(store.checkpoints()).as("before the interval has passed").isEmpty();
            clock.advance(Duration.ofMillis(1));
            Instant due = clock.instant();
            store.append(SampleEvents.loginFailures(6, 1));
            assertThat(store.checkpoints()).extracting(c -> c.checkpoint().size()).containsExactly(7L);
            store.append(SampleEvents.loginFailures(7, 2));
            assertThat(store.checkpoints()).as("the interval runs again from the last checkpoint").hasSize(1);
            clock.advance(interval);
            store.append(SampleEvents.loginFailures(9, 1));
            assertThat(store.checkpoints()).extracting(c -> c.checkpoint().size()).containsExactly(7L, 10L);
            try (LedgerReader reader = openReader()) {
                assertThat(reader.checkpoints()).extracting(StoredCheckpoint::recordedAt)
                        .as("each checkpoint records the store's clock when it was signed")
                        .containsExactly(Optional.of(due), Optional.of(clock.instant()));
            }
        }
        assertIntact(verify(signingKey.verifierKey()), 10);
    }

    @Test
    void withoutASigningKeyNoCheckpointIsSigned() throws IOException {
        LedgerOptions unsigned = LedgerOptions.defaults(ORIGIN).withSegmentBytes(SEGMENT_BYTES);
        try (LedgerStore store = open(ORIGIN, unsigned)) {
            store.append(SampleEvents.loginFailures(0, 10));
            assertThat(store.checkpoint()).isEmpty();
            assertThat(store.checkpoints()).isEmpty();
        }
    }

    // ---- verification of an untouched store ---------------------------------------------------------------------

    @Test
    void anUntouchedLedgerVerifiesIntact() throws IOException {
        write(LEDGER_SIZE);
        VerificationReport report = verify(signingKey.verifierKey());
        assertIntact(report, LEDGER_SIZE);
        assertThat(report.checkpointsVerified()).isEqualTo(checkpointSizes.size());
        List<byte[]> leaves = hashes.stream().map(h -> Hash.fromHex(h).bytes()).toList();
        assertThat(report.root()).hasValue(Hash.of(merkleTreeHash(leaves)));
    }

    @Test
    void checkpointsSignedByAnotherKeyFailVerification() throws IOException {
        write(CHECKPOINT_EVERY * 2);
        VerificationReport report = verify(SigningKey.generate("kit.example.com").verifierKey());
        assertThat(report.intact()).isFalse();
        assertThat(report.reason()).hasValueSatisfying(r -> assertThat(r).containsIgnoringCase("signed"));
    }

    // ---- tampering -----------------------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Where.class)
    void aChangedByteIsFoundAtItsSeq(Where where) throws IOException {
        write(LEDGER_SIZE);
        long k = seqAt(where);
        changeOneByte(k);
        assertDetectedAt(verify(signingKey.verifierKey()), k, "changed|does not match");
    }

    @ParameterizedTest
    @EnumSource(Where.class)
    void aChangedFieldIsFoundAtItsSeq(Where where) throws IOException {
        write(LEDGER_SIZE);
        long k = seqAt(where);
        changeField(k, "outcome", "\"success\""); // a failed login made to look like a successful one
        assertDetectedAt(verify(signingKey.verifierKey()), k, "changed|does not match");
    }

    /** The ledger's own members: a wrong seq, a prevHash or hash that is another entry's valid-looking hash. */
    @ParameterizedTest
    @ValueSource(strings = {"seq", "prevHash", "hash"})
    void aChangedLedgerFieldIsFoundAtItsSeq(String field) throws IOException {
        write(LEDGER_SIZE);
        long k = seqAt(Where.INSIDE_A_SEGMENT);
        changeField(k, field, field.equals("seq") ? String.valueOf(k + 7) : EntryLines.quote(hashes.get((int) k + 7)));
        assertDetectedAt(verify(signingKey.verifierKey()), k, "changed|does not match|missing|belongs");
    }

    @ParameterizedTest
    @EnumSource(Where.class)
    void aDeletedEntryIsFoundAtItsSeq(Where where) throws IOException {
        write(LEDGER_SIZE);
        long k = seqAt(where);
        deleteEntry(k);
        assertDetectedAt(verify(signingKey.verifierKey()), k, "missing|removed");
    }

    /**
     * The attacker forges an entry that claims seq k+1 and links correctly to entry k (hashes are public, so anyone
     * can compute them), and slips it in after k. From k+1 on the ledger is no longer what was written, and two
     * different entries claim seq k+1: the first bad seq is k+1, whichever of the two the verifier suspects.
     */
    @ParameterizedTest
    @EnumSource(Where.class)
    void aForgedEntryInsertedAfterKIsFoundAtKPlusOne(Where where) throws IOException {
        write(LEDGER_SIZE);
        long k = seqAt(where);
        String forged = EntryLines.rehash(EntryLines.withValue(storedLine(k + 1), "outcome", "\"success\""));
        assertThat(EntryLines.prevHash(forged)).as("the forgery links to entry k").isEqualTo(hashes.get((int) k));
        insertEntryAfter(k, forged);
        assertDetectedAt(verify(signingKey.verifierKey()), k + 1, "insert|appears|twice|claim|duplicate");
    }

    /** A verbatim copy of an older entry replayed after k. */
    @ParameterizedTest
    @EnumSource(Where.class)
    void aReplayedEntryInsertedAfterKIsFoundAtKPlusOne(Where where) throws IOException {
        write(LEDGER_SIZE);
        long k = seqAt(where);
        insertEntryAfter(k, storedLine(k / 2));
        assertDetectedAt(verify(signingKey.verifierKey()), k + 1, "insert|appears|twice|claim|duplicate");
    }

    @ParameterizedTest
    @EnumSource(Where.class)
    void swappedNeighboursAreFoundAtTheFirst(Where where) throws IOException {
        write(LEDGER_SIZE);
        long k = seqAt(where);
        swapEntries(k, k + 1);
        assertDetectedAt(verify(signingKey.verifierKey()), k, "missing|reorder|out of place|appears|belongs");
    }

    @ParameterizedTest
    @EnumSource(Where.class)
    void aCutTailIsFoundAtTheFirstMissingSeq(Where where) throws IOException {
        write(LEDGER_SIZE);
        long k = seqAt(where);
        assertThat(checkpointSizes).as("a checkpoint covers the cut entries").anyMatch(size -> size > k);
        cutTailFrom(k);
        assertDetectedAt(verify(signingKey.verifierKey()), k, "removed|cut|covers");
    }

    /** A cut exactly at a checkpoint's size leaves that checkpoint valid; the next one still covers the cut. */
    @Test
    void aTailCutAtACheckpointSizeIsFound() throws IOException {
        write(LEDGER_SIZE);
        long k = checkpointSizes.get(1);
        cutTailFrom(k);
        assertDetectedAt(verify(signingKey.verifierKey()), k, "removed|cut|covers");
    }

    /**
     * The attacker changes entry k and re-chains everything after it, so every prevHash and hash is consistent
     * again. Only the signed checkpoints, whose roots the attacker cannot re-sign, still hold the original.
     */
    @ParameterizedTest
    @EnumSource(Where.class)
    void aRewriteThatReChainsIsFoundAtTheFirstRewrittenSeq(Where where) throws IOException {
        write(LEDGER_SIZE);
        long k = seqAt(where);
        assertThat(checkpointSizes).as("a checkpoint covers seq %d", k).anyMatch(size -> size > k);
        rewriteFrom(k, line -> EntryLines.withValue(line, "outcome", "\"success\""));
        assertDetectedAt(verify(signingKey.verifierKey()), k, "rewritten|differs|root");
    }

    /**
     * Putting back an older copy of the whole store leaves a ledger that is consistent in itself: its chain and
     * checkpoints all verify. Only a witness that saw a later checkpoint can tell entries went missing.
     */
    @Test
    void aRollbackToAnOlderConsistentStateIsFoundOnlyWithAWitness() throws IOException {
        try (FileWitness witness = new FileWitness(kitDir.resolve("witness"), signingKey.verifierKey(), ORIGIN)) {
            LedgerOptions witnessed = options().withWitness(witness);
            write(1_200, witnessed);
            Snapshot older = snapshot();
            write(800, witnessed);
            assertThat(witness.latest()).hasValueSatisfying(c -> assertThat(c.checkpoint().size()).isEqualTo(2_000));

            rollbackTo(older);

            assertIntact(verify(signingKey.verifierKey()), 1_200);
            VerificationReport report = verify(signingKey.verifierKey(), witness);
            assertThat(report.intact()).isFalse();
            assertThat(report.firstBadSeq()).as("reason: %s", report.reason()).hasValue(1_200);
            assertThat(report.reason()).hasValueSatisfying(r -> assertThat(r).containsIgnoringCase("witness")
                    .containsPattern("(?i)rolled back|cut|missing"));
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    /** Appends {@code count} events in seeded random batches, signs a checkpoint of the end state and closes. */
    protected final void write(int count) throws IOException {
        write(count, options());
    }

    protected final void write(int count, LedgerOptions options) throws IOException {
        Random rnd = new Random(31L * hashes.size() + count);
        try (LedgerStore store = open(ORIGIN, options)) {
            assertThat(store.size()).as("entries before this write").isEqualTo(hashes.size());
            int left = count;
            while (left > 0) {
                int n = Math.min(1 + rnd.nextInt(MAX_BATCH), left);
                for (EntryPosition p : store.append(SampleEvents.loginFailures(hashes.size(), n))) {
                    hashes.add(p.hash());
                }
                left -= n;
            }
            store.checkpoint();
            checkpointSizes = store.checkpoints().stream().map(c -> c.checkpoint().size()).toList();
        }
    }

    /** The line of entry {@code seq} as the store returns it (opens and closes the store). */
    protected final String storedLine(long seq) throws IOException {
        try (LedgerStore store = open(ORIGIN, options())) {
            return store.line(seq);
        }
    }

    /** The seq a tamper test strikes at {@code where}; skips the test for segment positions in stores without. */
    protected final long seqAt(Where where) throws IOException {
        List<Long> starts = segmentStarts();
        switch (where) {
            case FIRST_ENTRY:
                return 0;
            case INSIDE_A_SEGMENT:
                long k = hashes.size() * 2L / 5;
                while (nearABoundary(k, starts)) {
                    k++;
                }
                return k;
            case FIRST_OF_A_SEGMENT:
            case LAST_OF_A_SEGMENT:
                assumeTrue(!starts.isEmpty(), "the store has no segments");
                long start = starts.get(starts.size() / 2);
                return where == Where.FIRST_OF_A_SEGMENT ? start : start - 1;
            default:
                throw new AssertionError(where);
        }
    }

    /** True when a swap or insert at {@code k} would touch a segment's first entry. */
    private static boolean nearABoundary(long k, List<Long> segmentStarts) {
        return LongStream.rangeClosed(k - 1, k + 2).anyMatch(segmentStarts::contains);
    }

    protected static void assertIntact(VerificationReport report, long entries) {
        assertThat(report.reason()).as("reason of %s", report).isEmpty();
        assertThat(report.intact()).isTrue();
        assertThat(report.firstBadSeq()).isEmpty();
        assertThat(report.entries()).isEqualTo(entries);
    }

    /**
     * Tampering was found: the first bad seq is {@code seq}, and the reason names it and says what happened
     * ({@code what}: a case-insensitive regular expression).
     */
    protected static void assertDetectedAt(VerificationReport report, long seq, String what) {
        assertThat(report.intact()).as("intact() of %s", report).isFalse();
        assertThat(report.firstBadSeq()).as("first bad seq (reason: %s)", report.reason().orElse("-")).hasValue(seq);
        assertThat(report.reason()).hasValueSatisfying(r -> assertThat(r)
                .containsPattern(Pattern.compile("\\bseq " + seq + "\\b"))
                .containsPattern(Pattern.compile(what, Pattern.CASE_INSENSITIVE)));
    }

    /** RFC 6962 §2.1 MTH, straight from the definition, as an independent check of the store's tree. */
    protected static byte[] merkleTreeHash(List<byte[]> leafHashes) {
        int n = leafHashes.size();
        if (n == 0) {
            return sha256(new byte[0]);
        }
        if (n == 1) {
            return leafHashes.get(0);
        }
        int k = Integer.highestOneBit(n - 1);
        return sha256(new byte[] {1}, merkleTreeHash(leafHashes.subList(0, k)),
                merkleTreeHash(leafHashes.subList(k, n)));
    }

    private static byte[] sha256(byte[]... parts) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            for (byte[] p : parts) {
                d.update(p);
            }
            return d.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
