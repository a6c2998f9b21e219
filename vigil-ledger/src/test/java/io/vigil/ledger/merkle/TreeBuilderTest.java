package io.vigil.ledger.merkle;

import io.vigil.ledger.Hash;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TreeBuilderTest {
    record Reported(int level, long index, Hash hash) {}

    @Property(tries = 100)
    void reportsEveryPerfectNodeOnceInOrderWithTheNaiveHash(@ForAll @IntRange(min = 0, max = 300) int n,
            @ForAll long seed) {
        List<Hash> leaves = NaiveMerkle.leaves(n, seed);
        NaiveMerkle.Source naive = new NaiveMerkle.Source(leaves);
        List<Reported> reported = new ArrayList<>();
        TreeBuilder b = new TreeBuilder((level, index, hash) -> reported.add(new Reported(level, index, hash)));
        for (int i = 0; i < n; i++) {
            int before = reported.size();
            b.append(leaves.get(i));
            // the leaf first, then each parent it completed, bottom up: one per trailing one bit of the old size
            List<Reported> now = reported.subList(before, reported.size());
            assertThat(now).hasSize(1 + Integer.numberOfTrailingZeros(i + 1));
            for (int j = 0; j < now.size(); j++) {
                assertThat(now.get(j).level()).isEqualTo(j);
            }
        }
        long[] next = new long[64];
        for (Reported r : reported) {
            assertThat(r.index()).as("level %d in order", r.level()).isEqualTo(next[r.level()]++);
            assertThat(r.hash()).isEqualTo(naive.node(r.level(), r.index()));
        }
        for (int level = 0; level < 64; level++) {
            assertThat(next[level]).as("all nodes of level %d", level).isEqualTo((long) n >>> level);
        }
    }

    @Property(tries = 100)
    void resumingFromTheFrontierOrARestoreContinuesTheSameTree(@ForAll @IntRange(min = 0, max = 200) int split,
            @ForAll @IntRange(min = 0, max = 100) int more, @ForAll long seed) throws Exception {
        List<Hash> leaves = NaiveMerkle.leaves(split + more, seed);
        TreeBuilder first = new TreeBuilder();
        first.appendAll(leaves.subList(0, split));
        assertThat(first.frontier()).hasSize(Integer.bitCount(split));

        TreeBuilder fromFrontier = new TreeBuilder(first.frontier(), NodeSink.NONE);
        TreeBuilder restored = TreeBuilder.restore(new NaiveMerkle.Source(leaves.subList(0, split)));
        assertThat(fromFrontier.size()).isEqualTo(split);
        assertThat(restored.size()).isEqualTo(split);
        assertThat(restored.frontier()).isEqualTo(first.frontier());
        for (Hash leaf : leaves.subList(split, leaves.size())) {
            first.append(leaf);
            fromFrontier.append(leaf);
            restored.append(leaf);
            assertThat(fromFrontier.root()).isEqualTo(first.root());
            assertThat(restored.root()).isEqualTo(first.root());
        }
        assertThat(first.root()).isEqualTo(NaiveMerkle.mth(leaves));
    }

    @Property(tries = 50)
    void restoringAnOlderSizeOfALargerSourceContinuesFromThere(@ForAll @IntRange(min = 0, max = 200) int size,
            @ForAll @IntRange(min = 0, max = 50) int extra, @ForAll long seed) throws Exception {
        List<Hash> leaves = NaiveMerkle.leaves(size + extra, seed);
        TreeBuilder b = TreeBuilder.restore(MemoryNodeStore.of(leaves), size, NodeSink.NONE);
        assertThat(b.size()).isEqualTo(size);
        assertThat(b.root()).isEqualTo(NaiveMerkle.mth(leaves.subList(0, size)));
        b.appendAll(leaves.subList(size, leaves.size()));
        assertThat(b.root()).isEqualTo(NaiveMerkle.mth(leaves));
    }

    @Test
    void restoreRejectsASizeTheSourceDoesNotHave() {
        MemoryNodeStore src = MemoryNodeStore.of(NaiveMerkle.leaves(5, 1));
        assertThatThrownBy(() -> TreeBuilder.restore(src, 6, NodeSink.NONE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TreeBuilder.restore(src, -1, NodeSink.NONE))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void restoreReadsOneNodePerSetBit() throws Exception {
        NaiveMerkle.Source src = new NaiveMerkle.Source(NaiveMerkle.leaves(300, 7));
        TreeBuilder.restore(src);
        assertThat(src.reads).isEqualTo(Integer.bitCount(300));
    }

    @Test
    void frontierLevelsMustDecrease() {
        Hash h = MerkleHashes.emptyRoot();
        assertThatThrownBy(() -> new TreeBuilder(
                List.of(new TreeBuilder.FrontierNode(1, h), new TreeBuilder.FrontierNode(2, h)), NodeSink.NONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("strictly decrease");
        assertThatThrownBy(() -> new TreeBuilder(
                List.of(new TreeBuilder.FrontierNode(1, h), new TreeBuilder.FrontierNode(1, h)), NodeSink.NONE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TreeBuilder.FrontierNode(63, h)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new TreeBuilder(List.of(new TreeBuilder.FrontierNode(62, h)), NodeSink.NONE).size())
                .isEqualTo(1L << 62);
    }
}
