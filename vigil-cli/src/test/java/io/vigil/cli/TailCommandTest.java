package io.vigil.cli;

import io.vigil.ledger.FileLayout;
import io.vigil.ledger.FileLedger;
import io.vigil.ledger.LedgerOptions;
import io.vigil.ledger.internal.store.FileStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

class TailCommandTest {

    private static List<String> lines(Cli.Result r) {
        assertThat(r.exit()).as(r.toString()).isEqualTo(0);
        return r.out().isEmpty() ? List.of() : List.of(r.out().split("\n"));
    }

    @Test
    void printsTheLastLines(@TempDir Path tmp) throws Exception {
        Path demo = Cli.demo(tmp.resolve("demo"), 300, 2);
        List<String> all = Files.readAllLines(demo.resolve("segments/00000000000000000000.jsonl"));
        assertThat(lines(Cli.run("tail", demo.toString(), "-n", "3"))).isEqualTo(all.subList(297, 300));
        assertThat(lines(Cli.run("tail", demo.toString()))).as("ten by default").isEqualTo(all.subList(290, 300));
        assertThat(lines(Cli.run("tail", demo.toString(), "-n", "0"))).isEmpty();
        assertThat(lines(Cli.run("tail", demo.toString(), "-n", "1000"))).isEqualTo(all);
        List<String> cef = lines(Cli.run("tail", demo.toString(), "-n", "3", "--format", "cef"));
        assertThat(cef).hasSize(3).allSatisfy(l -> assertThat(l).startsWith("CEF:0|Vigil|Vigil|"));
        assertThat(cef.get(2)).contains("cn1=299 ");
        List<String> ocsf = lines(Cli.run("tail", demo.toString(), "-n", "2", "--format", "ocsf"));
        assertThat(ocsf).hasSize(2).allSatisfy(l -> assertThat(l).startsWith("{").contains("\"vigil\":{"));
    }

    @Test
    void readsBackAcrossSegmentsAndIgnoresAnUnfinishedLine(@TempDir Path tmp) throws Exception {
        Path ledger = Cli.smallSegmentLedger(tmp.resolve("l"), 200);
        List<Long> segments = FileLayout.of(ledger).segmentFirstSeqs();
        assertThat(segments).hasSizeGreaterThan(3);
        List<String> last50 = lines(Cli.run("tail", ledger.toString(), "-n", "50"));
        assertThat(last50).hasSize(50);
        for (int i = 0; i < 50; i++) {
            assertThat(last50.get(i)).contains("\"seq\":" + (150 + i) + ",");
        }
        Files.writeString(FileLayout.of(ledger).segment(segments.get(segments.size() - 1)), "{\"seq\":200,\"unfinished",
                StandardOpenOption.APPEND);
        List<String> last2 = lines(Cli.run("tail", ledger.toString(), "-n", "2"));
        assertThat(last2).hasSize(2);
        assertThat(last2.get(1)).contains("\"seq\":199,");
    }

    @Test
    void followsAppendsAcrossNewSegments(@TempDir Path tmp) throws Exception {
        Path ledger = Cli.smallSegmentLedger(tmp.resolve("l"), 40);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        TailCommand.Follower f = new TailCommand.Follower(FileLedger.openReader(ledger), System.err);
        f.printLast(out, 2);
        AtomicBoolean stop = new AtomicBoolean();
        Thread t = follow(f, out, stop::get);
        try {
            LedgerOptions opts = LedgerOptions.defaults("example.com/test").withSegmentBytes(4096);
            try (FileStore s = FileStore.open(ledger, opts)) {
                for (int i = 40; i < 100; i += 5) {
                    s.append(Cli.events(i, 5));
                }
            }
            assertThat(FileLayout.of(ledger).segmentFirstSeqs().size()).isGreaterThan(3);
            await(() -> bytes.toString(StandardCharsets.UTF_8).contains("\"seq\":99,"));
        } finally {
            stop.set(true);
            t.join(5000);
        }
        assertThat(t.isAlive()).as("stops when asked").isFalse();
        List<String> got = List.of(bytes.toString(StandardCharsets.UTF_8).split("\n"));
        assertThat(got).hasSize(62);
        for (int i = 0; i < got.size(); i++) {
            assertThat(got.get(i)).contains("\"seq\":" + (38 + i) + ",");
        }
    }

    @Test
    void followPrintsAnEntryOnlyOnceItIsComplete(@TempDir Path tmp) throws Exception {
        List<String> full = Files.readAllLines(segmentOf(Cli.smallSegmentLedger(tmp.resolve("full"), 5)));
        Path segment = cutTo(tmp, full, 3);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        TailCommand.Follower f = new TailCommand.Follower(FileLedger.openReader(tmp.resolve("l")), System.err);
        f.printLast(out, 0);
        AtomicReference<Thread> follower = new AtomicReference<>(follow(f, out, () -> false));
        try {
            String next = full.get(3);
            Files.writeString(segment, next.substring(0, 40), StandardOpenOption.APPEND);
            Thread.sleep(150);
            assertThat(bytes.toString(StandardCharsets.UTF_8)).isEmpty();
            Files.writeString(segment, next.substring(40) + "\n" + full.get(4) + "\n", StandardOpenOption.APPEND);
            await(() -> bytes.toString(StandardCharsets.UTF_8).equals(next + "\n" + full.get(4) + "\n"));
        } finally {
            follower.get().interrupt();
            follower.get().join(5000);
        }
        assertThat(follower.get().isAlive()).as("stops when interrupted").isFalse();
    }

    @Test
    void followNeverSeesAnUnfinishedEntryThatRecoveryCut(@TempDir Path tmp) throws Exception {
        List<String> full = Files.readAllLines(segmentOf(Cli.smallSegmentLedger(tmp.resolve("full"), 2)));
        Path segment = cutTo(tmp, full, 1);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ByteArrayOutputStream diag = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        TailCommand.Follower f = new TailCommand.Follower(FileLedger.openReader(tmp.resolve("l")),
                new PrintStream(diag, true, StandardCharsets.UTF_8));
        f.printLast(out, 1);
        Thread t = follow(f, out, () -> false);
        try {
            long whole = Files.size(segment);
            Files.writeString(segment, "{\"seq\":1,\"torn", StandardOpenOption.APPEND);
            Thread.sleep(150);
            try (var ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
                ch.truncate(whole); // what the writer's recovery does with a torn tail
            }
            Thread.sleep(150);
            Files.writeString(segment, full.get(1) + "\n", StandardOpenOption.APPEND);
            await(() -> bytes.toString(StandardCharsets.UTF_8).equals(full.get(0) + "\n" + full.get(1) + "\n"));
        } finally {
            t.interrupt();
            t.join(5000);
        }
        assertThat(diag.toString(StandardCharsets.UTF_8)).as("nothing unfinished was ever read").isEmpty();
    }

    /** The first segment file of a ledger. */
    private static Path segmentOf(Path ledger) {
        return FileLayout.of(ledger).segment(0);
    }

    /** A ledger {@code l} in {@code tmp} holding the first {@code keep} of {@code lines}; returns its segment. */
    private static Path cutTo(Path tmp, List<String> lines, int keep) throws Exception {
        Path dir = tmp.resolve("l");
        Files.createDirectories(FileLayout.of(dir).segments());
        Files.copy(FileLayout.of(tmp.resolve("full")).metadata(), FileLayout.of(dir).metadata());
        return Files.writeString(segmentOf(dir), String.join("\n", lines.subList(0, keep)) + "\n");
    }

    @Test
    void badInputIsExitCodeTwo(@TempDir Path tmp) {
        Cli.Result negative = Cli.run("tail", tmp.toString(), "-n", "-1");
        assertThat(negative.exit()).isEqualTo(2);
        assertThat(negative.err()).contains("-n must be 0 or more");
        Cli.Result notLedger = Cli.run("tail", tmp.toString());
        assertThat(notLedger.exit()).isEqualTo(2);
        assertThat(notLedger.err()).contains("not a ledger directory");
    }

    private static Thread follow(TailCommand.Follower f, PrintStream out, BooleanSupplier stop) {
        Thread t = new Thread(() -> {
            try {
                f.follow(out, stop, 10);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "test-follow");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(10);
        }
    }
}
