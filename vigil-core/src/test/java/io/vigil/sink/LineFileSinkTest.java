package io.vigil.sink;

import io.vigil.event.AuditEvent;
import io.vigil.event.EventCatalog;
import io.vigil.json.EventJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LineFileSinkTest {

    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        volatile Instant now;

        ManualClock(Instant start) {
            now = start;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private static List<AuditEvent> events(int from, int count) {
        return IntStream.range(from, from + count).mapToObj(i -> AuditEvent.builder(EventCatalog.DATA_EXPORT)
                .id(UUID.randomUUID()).timestamp(Instant.parse("2026-01-29T12:00:00Z")).detail("n", i)
                .detail("zero", 0).detail("no", false).build()).collect(Collectors.toList());
    }

    @Test
    void createsAPrivateDirectoryAndFileAndWritesPureCanonicalJsonLines(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("nested/audit/audit.jsonl");
        List<AuditEvent> batch = events(0, 3);
        try (AuditSink sink = Sinks.jsonlFile(FileSinkOptions.defaults(file))) {
            assertThat(sink.write(batch)).isEmpty();
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(lines.get(i)).startsWith("{").endsWith("}").contains("\"zero\":0").contains("\"no\":false");
            assertThat(EventJson.parse(lines.get(i))).isEqualTo(batch.get(i));
            assertThat(lines.get(i)).isEqualTo(EventJson.toCanonicalString(batch.get(i)));
        }
    }

    @Test
    void appendsToAnExistingFile(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("audit.jsonl");
        for (int round = 0; round < 2; round++) {
            try (AuditSink sink = Sinks.jsonlFile(FileSinkOptions.defaults(file))) {
                sink.write(events(round * 2, 2));
            }
        }
        assertThat(Files.readAllLines(file)).hasSize(4);
    }

    @Test
    void rotatesBySizeWithoutSplittingOrLosingLines(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("audit.jsonl");
        ManualClock clock = new ManualClock(Instant.parse("2026-01-29T10:00:00Z"));
        try (AuditSink sink = Sinks.jsonlFile(FileSinkOptions.defaults(file).withMaxFileBytes(2048), clock)) {
            for (int i = 0; i < 40; i++) {
                sink.write(events(i * 2, 2));
            }
        }
        List<Path> files = listFiles(tmp);
        assertThat(files.size()).isGreaterThan(3);
        assertThat(files).anySatisfy(p -> assertThat(p.getFileName().toString()).startsWith("audit-2026-01-29-"));
        List<Integer> ns = new ArrayList<>();
        for (Path p : files) {
            assertThat(Files.size(p)).isLessThanOrEqualTo(2048);
            for (String line : Files.readAllLines(p)) {
                ns.add(((Number) EventJson.parse(line).details().get("n")).intValue());
            }
        }
        ns.sort(Integer::compare);
        assertThat(ns).isEqualTo(IntStream.range(0, 80).boxed().collect(Collectors.toList()));
    }

    @Test
    void rotatesWhenTheUtcDayChangesAndCompressesRotatedFiles(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("audit.jsonl");
        ManualClock clock = new ManualClock(Instant.parse("2026-01-29T23:59:00Z"));
        try (AuditSink sink = Sinks.jsonlFile(FileSinkOptions.defaults(file).withGzipRotated(true), clock)) {
            sink.write(events(0, 2));
            clock.now = Instant.parse("2026-01-30T00:00:01Z");
            sink.write(events(2, 1));
        }
        Path gz = tmp.resolve("audit-2026-01-29-1.jsonl.gz");
        assertThat(gz).exists();
        assertThat(tmp.resolve("audit-2026-01-29-1.jsonl")).doesNotExist();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()).hasSize(2);
        }
        assertThat(Files.readAllLines(file)).hasSize(1);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(gz))).isEqualTo("rw-------");
    }

    @Test
    void anEmptyFileTakesTheDateOfItsFirstLine(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("audit.jsonl");
        ManualClock clock = new ManualClock(Instant.parse("2026-01-01T10:00:00Z"));
        try (AuditSink sink = Sinks.jsonlFile(FileSinkOptions.defaults(file), clock)) {
            clock.now = Instant.parse("2026-01-03T10:00:00Z");
            sink.write(events(0, 1));
            sink.write(events(1, 1));
            clock.now = Instant.parse("2026-01-04T10:00:00Z");
            sink.write(events(2, 1));
        }
        assertThat(listFiles(tmp)).extracting(p -> p.getFileName().toString())
                .containsExactly("audit-2026-01-03-1.jsonl", "audit.jsonl");
        assertThat(Files.readAllLines(tmp.resolve("audit-2026-01-03-1.jsonl"))).hasSize(2);
    }

    @Test
    void everyFsyncPolicyWritesTheSameBytes(@TempDir Path tmp) throws Exception {
        List<AuditEvent> batch = events(0, 5);
        List<String> previous = null;
        for (FsyncPolicy policy : FsyncPolicy.values()) {
            Path file = tmp.resolve(policy.configName() + ".jsonl");
            try (AuditSink sink = Sinks.jsonlFile(FileSinkOptions.defaults(file).withFsync(policy))) {
                sink.write(batch);
            }
            List<String> lines = Files.readAllLines(file);
            if (previous != null) {
                assertThat(lines).isEqualTo(previous);
            }
            previous = lines;
        }
    }

    @Test
    void aFileThatCannotBeOpenedIsAnErrorNamingThePath(@TempDir Path tmp) throws Exception {
        Path blocker = tmp.resolve("not-a-dir");
        Files.writeString(blocker, "x");
        Path file = blocker.resolve("audit.jsonl");
        assertThatThrownBy(() -> Sinks.jsonlFile(FileSinkOptions.defaults(file))).isInstanceOf(IOException.class)
                .hasMessageContaining(file.toString());
    }

    private static List<Path> listFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().collect(Collectors.toList());
        }
    }
}
