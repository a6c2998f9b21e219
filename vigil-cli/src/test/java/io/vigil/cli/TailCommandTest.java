package io.vigil.cli;

import io.vigil.ledger.LedgerOptions;
import io.vigil.ledger.internal.store.FileStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
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
    }

    @Test
    void readsBackAcrossSegmentsAndIgnoresAnUnfinishedLine(@TempDir Path tmp) throws Exception {
        Path ledger = Cli.smallSegmentLedger(tmp.resolve("l"), 200);
        List<LedgerFiles.Segment> segments = new LedgerFiles(ledger).segments();
        assertThat(segments).hasSizeGreaterThan(3);
        List<String> last50 = lines(Cli.run("tail", ledger.toString(), "-n", "50"));
        assertThat(last50).hasSize(50);
        for (int i = 0; i < 50; i++) {
            assertThat(last50.get(i)).contains("\"seq\":" + (150 + i) + ",");
        }
        Files.writeString(segments.get(segments.size() - 1).path(), "{\"seq\":200,\"unfinished",
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
        TailCommand.Follower f = new TailCommand.Follower(new LedgerFiles(ledger), System.err);
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
            assertThat(new LedgerFiles(ledger).segments().size()).isGreaterThan(3);
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
    void followPrintsALineOnlyOnceItIsComplete(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("l");
        Files.createDirectories(dir.resolve("segments"));
        Files.writeString(dir.resolve("ledger.json"), "{}");
        Path segment = Files.writeString(dir.resolve("segments/00000000000000000000.jsonl"), "one\n");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        TailCommand.Follower f = new TailCommand.Follower(new LedgerFiles(dir), System.err);
        f.printLast(out, 0);
        AtomicReference<Thread> follower = new AtomicReference<>(follow(f, out, () -> false));
        try {
            Files.writeString(segment, "tw", StandardOpenOption.APPEND);
            Thread.sleep(150);
            assertThat(bytes.toString(StandardCharsets.UTF_8)).isEmpty();
            Files.writeString(segment, "o\nthree\n", StandardOpenOption.APPEND);
            await(() -> bytes.toString(StandardCharsets.UTF_8).equals("two\nthree\n"));
        } finally {
            follower.get().interrupt();
            follower.get().join(5000);
        }
        assertThat(follower.get().isAlive()).as("stops when interrupted").isFalse();
    }

    @Test
    void followForgetsAnUnfinishedLineThatRecoveryCut(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("l");
        Files.createDirectories(dir.resolve("segments"));
        Files.writeString(dir.resolve("ledger.json"), "{}");
        Path segment = Files.writeString(dir.resolve("segments/00000000000000000000.jsonl"), "one\n");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ByteArrayOutputStream diag = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        TailCommand.Follower f = new TailCommand.Follower(new LedgerFiles(dir),
                new PrintStream(diag, true, StandardCharsets.UTF_8));
        f.printLast(out, 1);
        Thread t = follow(f, out, () -> false);
        try {
            Files.writeString(segment, "{\"torn", StandardOpenOption.APPEND);
            Thread.sleep(150);
            try (var ch = java.nio.channels.FileChannel.open(segment, StandardOpenOption.WRITE)) {
                ch.truncate(4); // what the writer's recovery does with a torn tail
            }
            Thread.sleep(150);
            Files.writeString(segment, "two\n", StandardOpenOption.APPEND);
            await(() -> bytes.toString(StandardCharsets.UTF_8).equals("one\ntwo\n"));
        } finally {
            t.interrupt();
            t.join(5000);
        }
        assertThat(diag.toString(StandardCharsets.UTF_8)).contains("shrank to 4 bytes");
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
