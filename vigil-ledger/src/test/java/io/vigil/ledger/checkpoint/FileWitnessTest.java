package io.vigil.ledger.checkpoint;

import io.vigil.ledger.Hash;
import io.vigil.ledger.merkle.ConsistencyProof;
import io.vigil.ledger.merkle.MemoryNodeStore;
import io.vigil.ledger.merkle.MerkleHashes;
import io.vigil.ledger.merkle.Proofs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The witness against real trees and proofs from {@link Proofs}. */
class FileWitnessTest {
    private static final String ORIGIN = "example.com/audit";
    private static final SigningKey KEY = SigningKey.generate(ORIGIN);
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-01-02T03:04:05Z"), ZoneOffset.UTC);

    @TempDir
    Path tmp;
    Path dir;
    FileWitness witness;
    /** The honest log: leaf i is the hash of "entry i". */
    MemoryNodeStore log;

    @BeforeEach
    void open() throws IOException {
        dir = tmp.resolve("witness");
        witness = new FileWitness(dir, KEY.verifierKey(), ORIGIN, CLOCK);
        log = tree(100, -1);
    }

    @AfterEach
    void close() throws IOException {
        witness.close();
    }

    /** A tree of {@code n} leaves; leaf {@code changed} (if ≥ 0) differs from the honest log's. */
    private static MemoryNodeStore tree(int n, int changed) {
        List<Hash> leaves = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String entry = i == changed ? "forged entry " + i : "entry " + i;
            leaves.add(MerkleHashes.leafHash(entry.getBytes(StandardCharsets.UTF_8)));
        }
        return MemoryNodeStore.of(leaves);
    }

    private static SignedCheckpoint checkpoint(MemoryNodeStore t, long size) throws IOException {
        return SignedCheckpoint.sign(new Checkpoint(ORIGIN, size, Proofs.root(t, size)), KEY);
    }

    private Optional<ConsistencyProof> proof(MemoryNodeStore t, long from, long to) throws IOException {
        return Optional.of(Proofs.consistency(t, from, to));
    }

    @Test
    void acceptsTheFirstCheckpointWithoutProofAndStoresItPrivately() throws Exception {
        assertThat(witness.latest()).isEmpty();
        SignedCheckpoint first = checkpoint(log, 10);
        witness.submit(first, Optional.empty());
        assertThat(witness.latest()).contains(first);
        assertThat(Files.readString(dir.resolve(FileWitness.LATEST))).isEqualTo(first.encode());
        assertThat(witness.history()).containsExactly(first);
        assertThat(Files.readString(dir.resolve(FileWitness.HISTORY)))
                .startsWith("{\"accepted\":\"2025-01-02T03:04:05Z\",\"size\":10,").endsWith("\"}\n");
        if (Files.getFileAttributeView(dir, PosixFileAttributeView.class) != null) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        }
        assertThat(dir.resolve("latest.checkpoint.tmp")).doesNotExist();
    }

    @Test
    void acceptsGrowthWithAValidProof() throws Exception {
        witness.submit(checkpoint(log, 0), Optional.empty());
        witness.submit(checkpoint(log, 7), proof(log, 0, 7)); // from the empty tree
        witness.submit(checkpoint(log, 8), proof(log, 7, 8));
        witness.submit(checkpoint(log, 64), proof(log, 8, 64));
        SignedCheckpoint last = checkpoint(log, 100);
        witness.submit(last, proof(log, 64, 100));
        assertThat(witness.latest()).contains(last);
        assertThat(witness.history()).extracting(sc -> sc.checkpoint().size()).containsExactly(0L, 7L, 8L, 64L, 100L);
    }

    @Test
    void theSameCheckpointAgainChangesNothing() throws Exception {
        SignedCheckpoint c = checkpoint(log, 10);
        witness.submit(c, Optional.empty());
        witness.submit(checkpoint(log, 10), Optional.empty());
        witness.submit(checkpoint(log, 10), proof(log, 10, 10));
        assertThat(witness.history()).hasSize(1);
    }

    @Test
    void rejectsASmallerSize() throws Exception {
        witness.submit(checkpoint(log, 10), Optional.empty());
        SignedCheckpoint smaller = checkpoint(log, 9);
        assertThatThrownBy(() -> witness.submit(smaller, Optional.empty()))
                .isInstanceOf(WitnessRejectedException.class)
                .hasMessageContaining("shrank")
                .hasMessageContaining("submitted size 9 root " + smaller.checkpoint().root().hex())
                .hasMessageContaining("witnessed size 10 root " + Proofs.root(log, 10).hex())
                .satisfies(e -> {
                    WitnessRejectedException w = (WitnessRejectedException) e;
                    assertThat(w.submitted().size()).isEqualTo(9);
                    assertThat(w.witnessed()).hasValueSatisfying(h -> assertThat(h.size()).isEqualTo(10));
                });
        assertUnchanged(10);
    }

    @Test
    void rejectsTheSameSizeWithAnotherRoot() throws Exception {
        witness.submit(checkpoint(log, 10), Optional.empty());
        MemoryNodeStore forged = tree(100, 3);
        assertThatThrownBy(() -> witness.submit(checkpoint(forged, 10), Optional.empty()))
                .isInstanceOf(WitnessRejectedException.class)
                .hasMessageContaining("different roots for the same tree size")
                .hasMessageContaining(Proofs.root(forged, 10).hex())
                .hasMessageContaining(Proofs.root(log, 10).hex());
        assertUnchanged(10);
    }

    @Test
    void rejectsAnotherOrigin() throws Exception {
        SignedCheckpoint other = SignedCheckpoint.sign(new Checkpoint("example.com/other", 5, Proofs.root(log, 5)),
                KEY);
        assertThatThrownBy(() -> witness.submit(other, Optional.empty()))
                .isInstanceOf(WitnessRejectedException.class)
                .hasMessageContaining("origin 'example.com/other' is not this witness's log 'example.com/audit'");
        assertThat(witness.latest()).isEmpty();
        assertThat(dir.resolve(FileWitness.HISTORY)).doesNotExist();
    }

    @Test
    void rejectsCheckpointsNotSignedByTheLogKey() throws Exception {
        witness.submit(checkpoint(log, 10), Optional.empty());
        // A key with the log's name but not the log's key material.
        SigningKey impostor = SigningKey.generate(ORIGIN);
        SignedCheckpoint forged = SignedCheckpoint.sign(new Checkpoint(ORIGIN, 20, Proofs.root(log, 20)), impostor);
        assertThatThrownBy(() -> witness.submit(forged, proof(log, 10, 20)))
                .isInstanceOf(WitnessRejectedException.class).hasMessageContaining("is not signed by key");
        // A genuine signature moved onto another body.
        SignedCheckpoint genuine = checkpoint(log, 20);
        String moved = genuine.encode().replace(Proofs.root(log, 20).base64(), Proofs.root(tree(20, 0), 20).base64());
        assertThatThrownBy(() -> witness.submit(SignedCheckpoint.parse(moved), proof(tree(20, 0), 10, 20)))
                .isInstanceOf(WitnessRejectedException.class).hasMessageContaining("invalid signature");
        assertUnchanged(10);
    }

    @Test
    void rejectsMissingWrongAndFalseProofs() throws Exception {
        witness.submit(checkpoint(log, 10), Optional.empty());
        SignedCheckpoint next = checkpoint(log, 20);
        assertThatThrownBy(() -> witness.submit(next, Optional.empty())).isInstanceOf(WitnessRejectedException.class)
                .hasMessageContaining("a consistency proof from size 10 to 20 is required");
        assertThatThrownBy(() -> witness.submit(next, proof(log, 9, 20)))
                .isInstanceOf(WitnessRejectedException.class)
                .hasMessageContaining("the consistency proof is from size 9 to 20, but the witness needs one from 10"
                        + " to 20");
        assertThatThrownBy(() -> witness.submit(next, proof(log, 10, 21)))
                .isInstanceOf(WitnessRejectedException.class).hasMessageContaining("from size 10 to 21");

        ConsistencyProof good = Proofs.consistency(log, 10, 20);
        List<Hash> path = new ArrayList<>(good.path());
        path.set(0, MerkleHashes.leafHash(new byte[] {1}));
        assertThatThrownBy(() -> witness.submit(next, Optional.of(new ConsistencyProof(10, 20, path))))
                .isInstanceOf(WitnessRejectedException.class)
                .hasMessageContaining("does not show that the log grew");
        assertThatThrownBy(() -> witness.submit(next,
                Optional.of(new ConsistencyProof(10, 20, good.path().subList(1, good.path().size())))))
                .isInstanceOf(WitnessRejectedException.class).hasMessageContaining("needs exactly");

        // A rewritten log: entry 3 changed, then grown. Its own proof cannot reach the witnessed root.
        MemoryNodeStore forged = tree(100, 3);
        assertThatThrownBy(() -> witness.submit(checkpoint(forged, 20), proof(forged, 10, 20)))
                .isInstanceOf(WitnessRejectedException.class)
                .hasMessageContaining("submitted size 20 root " + Proofs.root(forged, 20).hex())
                .hasMessageContaining("witnessed size 10 root " + Proofs.root(log, 10).hex());
        assertUnchanged(10);

        witness.submit(next, Optional.of(good)); // still works after all that
        assertThat(witness.latest().orElseThrow().checkpoint().size()).isEqualTo(20);
    }

    @Test
    void survivesReopen() throws Exception {
        witness.submit(checkpoint(log, 10), Optional.empty());
        witness.submit(checkpoint(log, 30), proof(log, 10, 30));
        witness.close();

        witness = new FileWitness(dir, VerifierKey.parse(KEY.verifierKey().encode()), ORIGIN, CLOCK);
        assertThat(witness.latest()).contains(checkpoint(log, 30));
        assertThat(witness.history()).hasSize(2);
        assertThatThrownBy(() -> witness.submit(checkpoint(log, 20), Optional.empty()))
                .isInstanceOf(WitnessRejectedException.class).hasMessageContaining("shrank");
        witness.submit(checkpoint(log, 31), proof(log, 30, 31));
        assertThat(witness.history()).hasSize(3);
    }

    @Test
    void oneWitnessPerDirectory() throws Exception {
        assertThatThrownBy(() -> new FileWitness(dir, KEY.verifierKey(), ORIGIN))
                .isInstanceOf(IOException.class).hasMessageContaining("in use");
        witness.close();
        witness.close(); // idempotent
        assertThatThrownBy(() -> witness.latest()).isInstanceOf(IllegalStateException.class);
        try (FileWitness again = new FileWitness(dir, KEY.verifierKey(), ORIGIN)) {
            assertThat(again.latest()).isEmpty();
        }
    }

    @Test
    void refusesToContinueFromStateItWouldNotAccept() throws Exception {
        witness.submit(checkpoint(log, 10), Optional.empty());
        witness.close();

        SigningKey otherKey = SigningKey.generate(ORIGIN);
        assertThatThrownBy(() -> new FileWitness(dir, otherKey.verifierKey(), ORIGIN))
                .isInstanceOf(IOException.class).hasMessageContaining("cannot be trusted")
                .hasMessageContaining("not signed by key");
        assertThatThrownBy(() -> new FileWitness(dir, KEY.verifierKey(), "example.com/other"))
                .isInstanceOf(IOException.class).hasMessageContaining("is for origin 'example.com/audit'");

        Path latest = dir.resolve(FileWitness.LATEST);
        Files.writeString(latest, Files.readString(latest).replace("\n10\n", "\n11\n"));
        assertThatThrownBy(() -> new FileWitness(dir, KEY.verifierKey(), ORIGIN))
                .isInstanceOf(IOException.class).hasMessageContaining("invalid signature");
        Files.writeString(latest, "garbage");
        assertThatThrownBy(() -> new FileWitness(dir, KEY.verifierKey(), ORIGIN))
                .isInstanceOf(IOException.class).hasMessageContaining("malformed note");

        witness = new FileWitness(tmp.resolve("fresh"), KEY.verifierKey(), ORIGIN); // for @AfterEach
    }

    @Test
    void cutsATornHistoryLineOnOpen() throws Exception {
        witness.submit(checkpoint(log, 10), Optional.empty());
        witness.close();
        Path history = dir.resolve(FileWitness.HISTORY);
        long intact = Files.size(history);
        Files.writeString(history, "{\"accepted\":\"2025-", StandardOpenOption.APPEND);

        witness = new FileWitness(dir, KEY.verifierKey(), ORIGIN, CLOCK);
        assertThat(Files.size(history)).isEqualTo(intact);
        witness.submit(checkpoint(log, 12), proof(log, 10, 12));
        assertThat(witness.history()).extracting(sc -> sc.checkpoint().size()).containsExactly(10L, 12L);
    }

    @Test
    void cleansUpALeftoverTemporaryFile() throws Exception {
        witness.close();
        Files.writeString(dir.resolve("latest.checkpoint.tmp"), "half-written");
        witness = new FileWitness(dir, KEY.verifierKey(), ORIGIN, CLOCK);
        assertThat(dir.resolve("latest.checkpoint.tmp")).doesNotExist();
        assertThat(witness.latest()).isEmpty();
    }

    @Test
    void refusesAPathThatIsNotADirectory() throws Exception {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        assertThatThrownBy(() -> new FileWitness(file, KEY.verifierKey(), ORIGIN))
                .isInstanceOf(IOException.class).hasMessageContaining("not a directory");
    }

    private void assertUnchanged(long size) throws IOException {
        assertThat(witness.latest().orElseThrow().checkpoint().size()).isEqualTo(size);
        assertThat(witness.history()).hasSize(1);
        assertThat(SignedCheckpoint.parse(Files.readString(dir.resolve(FileWitness.LATEST))).checkpoint().size())
                .isEqualTo(size);
    }
}
