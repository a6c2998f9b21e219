package io.vigil.ledger;

import ch.qos.logback.classic.Level;
import io.vigil.ledger.checkpoint.SigningKey;
import io.vigil.ledger.internal.store.FileStore;
import io.vigil.ledger.tck.EntryLines;
import io.vigil.ledger.tck.SampleEvents;
import io.vigil.ledger.testsupport.LogCapture;
import io.vigil.ledger.testsupport.SegmentFiles;
import io.vigil.sink.EntryPosition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A receipt is a promise: an acknowledged entry survives a crash, unchanged, and the ledger recovers to a state that
 * verifies. The writer runs in a child JVM ({@link CrashRecoveryChild}) that is killed with SIGKILL at a random
 * moment while it writes; this test then reopens the ledger in-process and holds it to every acknowledgement the
 * child printed. A kill cannot lose what the OS already has, so this proves the order of things (an entry is
 * written before its receipt completes; recovery keeps every complete entry and cuts only a torn one), not the
 * device's fsync.
 *
 * <p>{@code -Dvigil.crash.iterations=200} runs more kills (default 20); {@code -Dvigil.crash.seed=N} replays the
 * kill delays of a failed run.
 */
class CrashRecoveryTest {
    private static final int ITERATIONS = Integer.getInteger("vigil.crash.iterations", 20);
    private static final long SEED = Long.getLong("vigil.crash.seed", 6_962L);
    /** Crashes in a row on one ledger before a fresh one is started (bounds the ledger's size). */
    private static final int CRASHES_PER_LEDGER = 4;
    private static final Pattern ACK = Pattern.compile("ACK (\\d+) ([0-9a-f]{64})");

    @TempDir
    Path temp;

    /** What the child acknowledged before it died. */
    private record Crash(Map<Long, String> acks, long killedAfterMillis) {
    }

    @Test
    void aKilledWriterLosesNoAcknowledgedEntryAndTheLedgerRecovers() throws Exception {
        SigningKey key = SigningKey.generate("crash.example.com");
        Path keyFile = temp.resolve("signing.key");
        Files.writeString(keyFile, key.encode());
        Random rnd = new Random(SEED);
        Map<Long, String> acknowledged = new TreeMap<>();
        int torn = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            Path dir = temp.resolve("ledger-" + i / CRASHES_PER_LEDGER);
            if (i % CRASHES_PER_LEDGER == 0) {
                acknowledged.clear();
            }
            long delay = 50 + rnd.nextInt(351);
            String where = "crash " + i + " (seed " + SEED + ", killed " + delay + " ms after the first ack, in "
                    + dir + ")";
            Crash crash = crashOnce(dir, keyFile, rnd.nextLong(), delay, where);
            // Acknowledgements from earlier crashes of this ledger must survive this crash and its recovery too.
            acknowledged.putAll(crash.acks());
            if (checkRecovery(dir, key, acknowledged, where)) {
                torn++;
            }
            if (i % CRASHES_PER_LEDGER == CRASHES_PER_LEDGER - 1) {
                deleteTree(dir);
            }
        }
        System.err.printf("CrashRecoveryTest: %d kill(s), %d left a torn line%n", ITERATIONS, torn);
    }

    /** Starts the child, waits for its first ack plus {@code delayMillis}, kills it, and collects its acks. */
    private Crash crashOnce(Path dir, Path keyFile, long childSeed, long delayMillis, String where) throws Exception {
        Path stderr = temp.resolve(dir.getFileName() + ".stderr");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m",
                "-cp", System.getProperty("java.class.path"),
                CrashRecoveryChild.class.getName(), dir.toString(), keyFile.toString(), Long.toString(childSeed))
                .redirectError(stderr.toFile()).start();
        Map<Long, String> acks = new ConcurrentHashMap<>();
        CountDownLatch firstAck = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    Matcher m = ACK.matcher(line); // a line cut short by the kill does not match: not acknowledged
                    if (m.matches()) {
                        acks.put(Long.parseLong(m.group(1)), m.group(2));
                        firstAck.countDown();
                    }
                }
            } catch (IOException e) {
                // the pipe closes when the child dies
            }
        }, "child-acks");
        reader.start();
        try {
            if (!firstAck.await(60, TimeUnit.SECONDS)) {
                fail("%s: the child acknowledged nothing within 60 s; its stderr:%n%s", where,
                        Files.readString(stderr));
            }
            Thread.sleep(delayMillis);
            if (!child.isAlive()) {
                fail("%s: the child died before it was killed (exit %d); its stderr:%n%s", where, child.exitValue(),
                        Files.readString(stderr));
            }
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no close, no final checkpoint
        }
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("%s: the child is dead", where).isTrue();
        reader.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(acks).as(where).isNotEmpty();
        return new Crash(Map.copyOf(acks), delayMillis);
    }

    /**
     * Reopens the killed ledger and checks it: every acknowledged entry is there with its acknowledged hash, a torn
     * line was cut and reported, and the whole ledger verifies.
     *
     * @return whether the kill had torn a line
     */
    private boolean checkRecovery(Path dir, SigningKey key, Map<Long, String> acknowledged, String where)
            throws IOException {
        boolean torn = endsInsideALine(SegmentFiles.lastSegment(dir));
        long maxAcked = acknowledged.keySet().stream().max(Long::compare).orElseThrow();
        try (LogCapture logs = LogCapture.of("io.vigil.ledger");
             FileStore store = FileStore.open(dir, CrashRecoveryChild.options(key))) {
            assertThat(store.size()).as("%s: entries after recovery", where).isGreaterThan(maxAcked);
            List<String> recoveries = logs.messagesAtLeast(Level.ERROR).stream()
                    .filter(m -> m.contains("LEDGER RECOVERED")).toList();
            if (torn) {
                assertThat(recoveries).as("%s: the torn line was reported", where).hasSize(1);
                assertThat(EntryLines.string(store.line(store.size() - 1), "type"))
                        .as("%s: the recovery is itself on the record", where).isEqualTo("audit.ledger.recovered");
            } else {
                assertThat(recoveries).as("%s: nothing was torn, so nothing was cut", where).isEmpty();
            }
            List<Long> seqs = List.copyOf(acknowledged.keySet());
            for (long seq : List.of(seqs.get(0), seqs.get(seqs.size() / 2), maxAcked)) {
                assertThat(store.entryHash(seq).hex()).as("%s: entryHash(%d)", where, seq)
                        .isEqualTo(acknowledged.get(seq));
            }
        }
        // Read the entries back from the files, not through the store, and hold them to every acknowledgement.
        List<String> lines = SegmentFiles.load(dir).lines();
        for (Map.Entry<Long, String> ack : acknowledged.entrySet()) {
            String line = lines.get(Math.toIntExact(ack.getKey()));
            assertThat(EntryLines.seq(line)).as("%s: the line at seq %d", where, ack.getKey()).isEqualTo(ack.getKey());
            assertThat(EntryLines.hash(line)).as("%s: hash of acknowledged seq %d", where, ack.getKey())
                    .isEqualTo(ack.getValue());
        }
        VerificationReport report = LedgerVerifier.of(dir).key(key.verifierKey()).verify();
        assertThat(report.reason()).as("%s: verification", where).isEmpty();
        assertThat(report.entries()).isEqualTo(lines.size());
        return torn;
    }

    @Test
    void aTornLastLineIsCutReportedAndRecordedAndTheLedgerVerifies() throws IOException {
        SigningKey key = SigningKey.generate("crash.example.com");
        Path dir = temp.resolve("ledger");
        List<EntryPosition> written;
        try (FileStore store = FileStore.open(dir, CrashRecoveryChild.options(key))) {
            written = store.append(SampleEvents.loginFailures(0, 700));
        }
        // A crash while entry 700 was being written: the first half of its line reached the file, the rest did not.
        Path last = SegmentFiles.lastSegment(dir);
        String entry699 = SegmentFiles.load(dir).line(699);
        String entry700 = EntryLines.rehash(EntryLines.withValue(EntryLines.withValue(entry699, "seq", "700"),
                "prevHash", EntryLines.quote(written.get(699).hash())));
        byte[] half = Arrays.copyOf(entry700.getBytes(StandardCharsets.UTF_8), entry700.length() / 2);
        Files.write(last, half, StandardOpenOption.APPEND);

        try (LogCapture logs = LogCapture.of("io.vigil.ledger");
             FileStore store = FileStore.open(dir, CrashRecoveryChild.options(key))) {
            assertThat(logs.messagesAtLeast(Level.ERROR)).anySatisfy(m -> assertThat(m)
                    .startsWith("ERROR LEDGER RECOVERED").contains("cut " + half.length + " byte(s) after seq 699"));
            assertThat(store.size()).as("700 entries and the recovery event").isEqualTo(701);
            for (EntryPosition p : written) {
                assertThat(store.entryHash(p.seq()).hex()).isEqualTo(p.hash());
            }
            String recovered = store.line(700);
            assertThat(EntryLines.string(recovered, "type")).isEqualTo("audit.ledger.recovered");
            assertThat(EntryLines.prevHash(recovered)).isEqualTo(written.get(699).hash());
            assertThat(EntryLines.value(recovered, "details"))
                    .contains("\"cutBytes\":" + half.length, "\"lastIntactSeq\":699");
        }
        assertThat(endsInsideALine(last)).as("no partial line is left").isFalse();
        assertThat(SegmentFiles.load(dir).lines()).hasSize(701);
        VerificationReport report = LedgerVerifier.of(dir).key(key.verifierKey()).verify();
        assertThat(report.reason()).isEmpty();
        assertThat(report.entries()).isEqualTo(701);
    }

    /**
     * A crash (or a full disk) while a checkpoint line is appended leaves part of that line in
     * {@code checkpoints.jsonl}. That checkpoint was never complete, so never sent to a witness: dropping the
     * fragment loses nothing, and the ledger must open and verify.
     */
    @Test
    void aTornCheckpointLineDoesNotKeepTheLedgerFromOpening() throws IOException {
        SigningKey key = SigningKey.generate("crash.example.com");
        Path dir = temp.resolve("ledger");
        try (FileStore store = FileStore.open(dir, CrashRecoveryChild.options(key))) {
            store.append(SampleEvents.loginFailures(0, 1_500)); // a checkpoint at 1500, written right after the batch
        }
        Path checkpoints = dir.resolve("checkpoints.jsonl");
        List<String> cps = Files.readAllLines(checkpoints);
        String lastCp = cps.get(cps.size() - 1);
        Files.writeString(checkpoints, lastCp.substring(0, lastCp.length() / 2), StandardOpenOption.APPEND);

        try (FileStore store = FileStore.open(dir, CrashRecoveryChild.options(key))) {
            assertThat(store.size()).isEqualTo(1_500);
            store.append(SampleEvents.loginFailures(1_500, 10));
        }
        VerificationReport report = LedgerVerifier.of(dir).key(key.verifierKey()).verify();
        assertThat(report.reason()).isEmpty();
        assertThat(report.entries()).isEqualTo(1_510);
    }

    /**
     * Recovery exists to cut what a crash leaves: the unfinished end of the last batch. A bad entry followed by good
     * ones is not that (a crash does not write after the point it stops); it is tampering or media damage, and
     * the entries after it were acknowledged and signed. Whatever the store does on open (refuse, or continue and
     * leave it to verification), it must not delete that evidence.
     */
    @Test
    void recoveryNeverDeletesEntriesThatASignedCheckpointCovers() throws IOException {
        SigningKey key = SigningKey.generate("crash.example.com");
        Path dir = temp.resolve("ledger");
        try (FileStore store = FileStore.open(dir, CrashRecoveryChild.options(key))) {
            store.append(SampleEvents.loginFailures(0, 700)); // closing signs a checkpoint of all 700
        }
        SegmentFiles files = SegmentFiles.load(dir);
        List<Long> starts = files.firstSeqs();
        assertThat(starts.get(starts.size() - 1)).as("seq 690 is in the last segment").isLessThan(690);
        List<String> before = files.lines();
        files.setLine(690, EntryLines.withValue(files.line(690), "outcome", "\"success\""));
        files.save();

        try (FileStore store = FileStore.open(dir, CrashRecoveryChild.options(key))) {
            assertThat(store.size())
                    .as("entries after reopening a ledger of 700 signed entries whose seq 690 is damaged")
                    .isGreaterThanOrEqualTo(700);
        } catch (IOException refused) {
            // refusing to open a damaged ledger is a fair answer too
        }
        List<String> after = SegmentFiles.load(dir).lines();
        assertThat(after).as("the acknowledged, signed entries after the damaged one").hasSizeGreaterThanOrEqualTo(700);
        assertThat(after.subList(691, 700)).isEqualTo(before.subList(691, 700));
        VerificationReport report = LedgerVerifier.of(dir).key(key.verifierKey()).verify();
        assertThat(report.firstBadSeq()).as("reason: %s", report.reason()).hasValue(690);
    }

    private static boolean endsInsideALine(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        return bytes.length > 0 && bytes[bytes.length - 1] != '\n';
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
