package io.vigil.ledger.internal.tree;

import io.vigil.ledger.Hash;
import io.vigil.ledger.merkle.InclusionProof;
import io.vigil.ledger.merkle.MemoryNodeStore;
import io.vigil.ledger.merkle.NaiveMerkle;
import io.vigil.ledger.merkle.Proofs;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileNodeStoreTest {
    @TempDir
    Path tmp;

    Path dir() {
        return tmp.resolve("tree");
    }

    static void assertSameTree(FileNodeStore store, List<Hash> leaves) throws IOException {
        MemoryNodeStore reference = MemoryNodeStore.of(leaves);
        int n = leaves.size();
        assertThat(store.size()).isEqualTo(n);
        assertThat(store.root()).isEqualTo(reference.root());
        for (int level = 0; (n >>> level) > 0; level++) {
            for (long i = 0; i < (n >>> level); i++) {
                assertThat(store.node(level, i)).as("node (%d, %d)", level, i).isEqualTo(reference.node(level, i));
            }
        }
    }

    static long fileSize(Path dir, int level) throws IOException {
        Path p = dir.resolve(String.format("level-%02d.bin", level));
        return Files.exists(p) ? Files.size(p) : -1;
    }

    @Test
    void reopenGivesTheSameRootsAndProofs() throws Exception {
        List<Hash> leaves = NaiveMerkle.leaves(1000, 1);
        try (FileNodeStore store = FileNodeStore.open(dir())) {
            assertThat(store.size()).isZero();
            assertThat(store.root()).isEqualTo(NaiveMerkle.mth(List.of()));
            for (int i = 0; i < leaves.size(); i++) {
                assertThat(store.append(leaves.get(i))).isEqualTo(i);
            }
            assertSameTree(store, leaves);
        }
        for (int level = 0; level <= 9; level++) {
            assertThat(fileSize(dir(), level)).as("level %d", level).isEqualTo(32L * (1000 >>> level));
        }
        assertThat(fileSize(dir(), 10)).isEqualTo(-1);
        try (FileNodeStore store = FileNodeStore.open(dir())) {
            assertSameTree(store, leaves);
            MemoryNodeStore reference = MemoryNodeStore.of(leaves);
            for (long size : new long[] {1, 2, 3, 500, 511, 512, 513, 999, 1000}) {
                assertThat(Proofs.root(store, size)).isEqualTo(Proofs.root(reference, size));
                for (long index : new long[] {0, size / 3, size - 1}) {
                    assertThat(Proofs.inclusion(store, index, size)).isEqualTo(Proofs.inclusion(reference, index, size));
                }
                assertThat(Proofs.consistency(store, size / 2, size))
                        .isEqualTo(Proofs.consistency(reference, size / 2, size));
            }
            // and it keeps growing correctly after a reopen
            List<Hash> more = NaiveMerkle.leaves(1300, 2).subList(1000, 1300);
            store.appendAll(more);
            List<Hash> all = new ArrayList<>(leaves);
            all.addAll(more);
            assertSameTree(store, all);
        }
    }

    @Test
    void readsSeeAppendsBeforeTheyAreFlushed() throws Exception {
        List<Hash> leaves = NaiveMerkle.leaves(37, 3);
        try (FileNodeStore store = FileNodeStore.open(dir())) {
            store.appendAll(leaves);
            assertThat(fileSize(dir(), 0)).isZero(); // still buffered
            assertSameTree(store, leaves);
            InclusionProof p = Proofs.inclusion(store, 20, 37);
            Proofs.verifyInclusion(p, leaves.get(20), store.root());
            store.flush();
            assertThat(fileSize(dir(), 0)).isEqualTo(37 * 32);
            assertSameTree(store, leaves);
        }
    }

    @Test
    void aTornTrailingRecordIsTruncated() throws Exception {
        List<Hash> leaves = NaiveMerkle.leaves(100, 4);
        try (FileNodeStore store = FileNodeStore.open(dir())) {
            store.appendAll(leaves);
        }
        appendBytes(dir().resolve("level-00.bin"), new byte[] {1, 2, 3, 4, 5, 6, 7});
        appendBytes(dir().resolve("level-02.bin"), new byte[] {9, 9, 9});
        try (FileNodeStore store = FileNodeStore.open(dir())) {
            assertSameTree(store, leaves);
        }
        assertThat(fileSize(dir(), 0)).isEqualTo(3200);
        assertThat(fileSize(dir(), 2)).isEqualTo(25 * 32);
    }

    @Test
    void missingHigherLevelNodesAreRecomputed() throws Exception {
        List<Hash> leaves = NaiveMerkle.leaves(100, 5);
        try (FileNodeStore store = FileNodeStore.open(dir())) {
            store.appendAll(leaves);
        }
        // a crash between the writes of different levels: level 1 lost its last node, level 3 two, level 4 all
        truncateFile(dir().resolve("level-01.bin"), 49 * 32);
        truncateFile(dir().resolve("level-03.bin"), 10 * 32);
        Files.delete(dir().resolve("level-04.bin"));
        try (FileNodeStore store = FileNodeStore.open(dir())) {
            assertSameTree(store, leaves);
        }
        assertThat(fileSize(dir(), 1)).isEqualTo(50 * 32);
        assertThat(fileSize(dir(), 3)).isEqualTo(12 * 32);
        assertThat(fileSize(dir(), 4)).isEqualTo(6 * 32);
    }

    @Test
    void nodesTheLeavesDoNotCoverAreDropped() throws Exception {
        List<Hash> leaves = NaiveMerkle.leaves(100, 6);
        try (FileNodeStore store = FileNodeStore.open(dir())) {
            store.appendAll(leaves);
        }
        // the leaf file lost its tail, the levels above were written
        truncateFile(dir().resolve("level-00.bin"), 61 * 32);
        try (FileNodeStore store = FileNodeStore.open(dir())) {
            assertSameTree(store, leaves.subList(0, 61));
            store.appendAll(leaves.subList(61, 100));
            assertSameTree(store, leaves);
        }
        truncateFile(dir().resolve("level-00.bin"), 3 * 32);
        try (FileNodeStore store = FileNodeStore.open(dir())) {
            assertSameTree(store, leaves.subList(0, 3));
        }
        assertThat(fileSize(dir(), 1)).isEqualTo(32);
        assertThat(fileSize(dir(), 2)).isEqualTo(-1); // no longer reached: deleted
    }

    @Test
    void aZeroFilledTailIsDetectedAndRecomputed() throws Exception {
        // a file can come back from a crash at its new length with the unwritten data as zeros
        List<Hash> leaves = NaiveMerkle.leaves(100, 7);
        try (FileNodeStore store = FileNodeStore.open(dir())) {
            store.appendAll(leaves);
        }
        try (FileChannel ch = FileChannel.open(dir().resolve("level-02.bin"), StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(64), 23 * 32);
        }
        try (FileNodeStore store = FileNodeStore.open(dir())) {
            assertSameTree(store, leaves);
        }
    }

    @Test
    void truncateThenAppendGivesTheSameTreeAsNeverHavingTheDroppedLeaves() throws Exception {
        List<Hash> original = NaiveMerkle.leaves(1000, 8);
        List<Hash> replacement = NaiveMerkle.leaves(1000, 9);
        try (FileNodeStore store = FileNodeStore.open(dir())) {
            store.appendAll(original);
            store.truncate(613);
            assertSameTree(store, original.subList(0, 613));
            assertThat(fileSize(dir(), 0)).isEqualTo(613 * 32);
            assertThat(fileSize(dir(), 9)).isEqualTo(32);
            store.appendAll(replacement.subList(613, 1000));
        }
        List<Hash> expected = new ArrayList<>(original.subList(0, 613));
        expected.addAll(replacement.subList(613, 1000));
        try (FileNodeStore store = FileNodeStore.open(dir())) {
            assertSameTree(store, expected);
            store.truncate(0);
            assertThat(store.size()).isZero();
            assertThat(store.root()).isEqualTo(NaiveMerkle.mth(List.of()));
            assertThat(fileSize(dir(), 1)).isEqualTo(-1);
            store.appendAll(original.subList(0, 5));
            assertSameTree(store, original.subList(0, 5));
            assertThatThrownBy(() -> store.truncate(6)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void truncateDropsBufferedNodesToo() throws Exception {
        List<Hash> leaves = NaiveMerkle.leaves(300, 10);
        try (FileNodeStore store = FileNodeStore.open(dir())) {
            store.appendAll(leaves); // 256 written, 44 buffered
            store.truncate(270);
            assertSameTree(store, leaves.subList(0, 270));
        }
        try (FileNodeStore store = FileNodeStore.open(dir())) {
            assertSameTree(store, leaves.subList(0, 270));
        }
    }

    @Test
    @Timeout(60) // a hang guard, not a speed target; speed lives in vigil-bench
    void aHundredThousandLeavesAppendAndReopen() throws Exception {
        List<Hash> leaves = NaiveMerkle.leaves(100_000, 11);
        MemoryNodeStore reference = MemoryNodeStore.of(leaves);
        try (FileNodeStore store = FileNodeStore.open(dir())) {
            store.appendAll(leaves);
            assertThat(store.root()).isEqualTo(reference.root());
        }
        try (FileNodeStore store = FileNodeStore.open(dir())) {
            assertThat(store.size()).isEqualTo(100_000);
            assertThat(store.root()).isEqualTo(reference.root());
            for (long index : new long[] {0, 4_095, 65_536, 99_999}) {
                InclusionProof p = Proofs.inclusion(store, index, 100_000);
                assertThat(p).isEqualTo(Proofs.inclusion(reference, index, 100_000));
                Proofs.verifyInclusion(p, leaves.get((int) index), reference.root());
            }
            assertThat(Proofs.consistency(store, 77_777, 100_000))
                    .isEqualTo(Proofs.consistency(reference, 77_777, 100_000));
        }
    }

    @Test
    void filesAreOwnerOnlyOnPosix() throws Exception {
        if (!tmp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        try (FileNodeStore store = FileNodeStore.open(dir())) {
            store.appendAll(NaiveMerkle.leaves(4, 12));
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir()))).isEqualTo("rwx------");
        try (Stream<Path> files = Files.list(dir())) {
            for (Path p : files.toList()) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p))).as(p.toString())
                        .isEqualTo("rw-------");
            }
        }
    }

    @Test
    void oneOpenerAtATime() throws Exception {
        try (FileNodeStore store = FileNodeStore.open(dir())) {
            store.append(NaiveMerkle.leaves(1, 13).get(0));
            assertThatThrownBy(() -> FileNodeStore.open(dir()))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("already open");
            assertThat(store.size()).isEqualTo(1); // the refused open did not disturb the first
        }
        try (FileNodeStore store = FileNodeStore.open(dir())) {
            assertThat(store.size()).isEqualTo(1);
        }
    }

    @Test
    void aClosedStoreRefusesUseAndClosesTwice() throws Exception {
        FileNodeStore store = FileNodeStore.open(dir());
        store.close();
        store.close();
        assertThatThrownBy(store::size).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> store.append(NaiveMerkle.leaves(1, 1).get(0)))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void badReadsAreRejected() throws Exception {
        try (FileNodeStore store = FileNodeStore.open(dir())) {
            store.appendAll(NaiveMerkle.leaves(10, 14));
            assertThatThrownBy(() -> store.node(0, 10)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.node(1, 5)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.node(4, 0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.node(63, 0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.node(0, -1)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aReaderSeesTheWrittenTreeBesideALiveWriter() throws Exception {
        List<Hash> leaves = NaiveMerkle.leaves(700, 15);
        try (FileNodeStore writer = FileNodeStore.open(dir())) {
            writer.appendAll(leaves.subList(0, 600));
            writer.flush();
            try (FileNodeStore reader = FileNodeStore.openReadOnly(dir())) {
                assertSameTree(reader, leaves.subList(0, 600));
                writer.appendAll(leaves.subList(600, 700));
                writer.flush();
                assertThat(reader.size()).as("a reader's view is fixed when it opens").isEqualTo(600);
                assertSameTree(reader, leaves.subList(0, 600));
                assertThatThrownBy(() -> reader.append(leaves.get(0))).isInstanceOf(UnsupportedOperationException.class);
                assertThatThrownBy(() -> reader.truncate(1)).isInstanceOf(UnsupportedOperationException.class);
                assertThatThrownBy(reader::force).isInstanceOf(UnsupportedOperationException.class);
            }
            // closing the reader's descriptors left the writer's lock alone
            assertThatThrownBy(() -> FileNodeStore.open(dir())).hasMessageContaining("already open");
            writer.append(leaves.get(0));
        }
        assertThatThrownBy(() -> FileNodeStore.openReadOnly(tmp.resolve("nothing")))
                .isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void aReaderWorksAroundDamageWithoutTouchingTheFiles() throws Exception {
        List<Hash> leaves = NaiveMerkle.leaves(300, 16);
        try (FileNodeStore store = FileNodeStore.open(dir())) {
            store.appendAll(leaves);
        }
        appendBytes(dir().resolve("level-00.bin"), new byte[] {1, 2, 3});
        truncateFile(dir().resolve("level-01.bin"), 140 * 32);
        Files.delete(dir().resolve("level-03.bin"));
        try (FileChannel ch = FileChannel.open(dir().resolve("level-02.bin"), StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(32), 70 * 32); // a zeroed node
        }
        truncateFile(dir().resolve("level-05.bin"), 0);
        List<Long> before = fileSizes();
        try (FileNodeStore reader = FileNodeStore.openReadOnly(dir())) {
            assertSameTree(reader, leaves);
            for (long index : new long[] {0, 140, 299}) {
                assertThat(Proofs.inclusion(reader, index, 300))
                        .isEqualTo(Proofs.inclusion(MemoryNodeStore.of(leaves), index, 300));
            }
        }
        assertThat(fileSizes()).isEqualTo(before);
        assertThat(fileSize(dir(), 3)).isEqualTo(-1);
    }

    private List<Long> fileSizes() throws IOException {
        List<Long> out = new ArrayList<>();
        for (int level = 0; level < 12; level++) {
            out.add(fileSize(dir(), level));
        }
        return out;
    }

    @Property(tries = 40)
    void proofsFromTheFileStoreMatchTheNaiveOnes(@ForAll @IntRange(min = 0, max = 600) int n,
            @ForAll @IntRange(min = 0, max = 600) int reopenAt, @ForAll long seed) throws Exception {
        Path d = Files.createTempDirectory("vigil-nodes");
        try {
            List<Hash> leaves = NaiveMerkle.leaves(n, seed);
            int split = Math.min(reopenAt, n);
            try (FileNodeStore store = FileNodeStore.open(d)) {
                store.appendAll(leaves.subList(0, split));
            }
            try (FileNodeStore store = FileNodeStore.open(d)) {
                store.appendAll(leaves.subList(split, n));
                Random r = new Random(seed);
                for (int t = 0; t < 20 && n > 0; t++) {
                    int size = 1 + r.nextInt(n);
                    int index = r.nextInt(size);
                    int size1 = r.nextInt(size + 1);
                    List<Hash> tree = leaves.subList(0, size);
                    assertThat(Proofs.root(store, size)).isEqualTo(NaiveMerkle.mth(tree));
                    assertThat(Proofs.inclusion(store, index, size).path()).isEqualTo(NaiveMerkle.path(index, tree));
                    if (size1 > 0 && size1 < size) {
                        assertThat(Proofs.consistency(store, size1, size).path())
                                .isEqualTo(NaiveMerkle.proof(size1, tree));
                    }
                }
                assertThat(store.root()).isEqualTo(NaiveMerkle.mth(leaves));
            }
        } finally {
            try (Stream<Path> walk = Files.walk(d)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static void appendBytes(Path p, byte[] b) throws IOException {
        Files.write(p, b, StandardOpenOption.APPEND);
    }

    private static void truncateFile(Path p, long length) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(length);
        }
    }
}
