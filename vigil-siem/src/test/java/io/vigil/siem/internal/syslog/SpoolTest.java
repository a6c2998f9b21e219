package io.vigil.siem.internal.syslog;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SpoolTest {
    @TempDir
    Path tmp;

    private static List<byte[]> messages(String prefix, int n) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add((prefix + i).getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    private static List<String> readAll(Spool s, long from) throws IOException {
        List<String> out = new ArrayList<>();
        for (long p = from; p < s.end(); ) {
            Spool.Entry e = s.read(p);
            out.add(new String(e.message(), StandardCharsets.UTF_8));
            p = e.next();
        }
        return out;
    }

    private List<Path> segments(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".spool")).sorted().toList();
        }
    }

    @Test
    void appendsReadsAndResumesFromThePersistedPosition() throws IOException {
        Path dir = tmp.resolve("spool");
        long second;
        try (Spool s = new Spool(dir, 1 << 20, 1 << 16)) {
            s.append(messages("a", 3));
            s.append(messages("b", 2));
            assertThat(readAll(s, s.acked())).containsExactly("a0", "a1", "a2", "b0", "b1");
            long first = s.read(s.acked()).next();
            second = s.read(first).next();
            s.acknowledge(first);
            s.persist();
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        for (Path p : segments(dir)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p))).isEqualTo("rw-------");
        }
        try (Spool s = new Spool(dir, 1 << 20, 1 << 16)) {
            assertThat(readAll(s, s.acked())).containsExactly("a1", "a2", "b0", "b1");
            assertThat(s.read(s.acked()).next()).isEqualTo(second);
            assertThat(s.pendingBytes()).isEqualTo(s.end() - s.acked());
        }
    }

    @Test
    void aTornRecordAtTheEndIsDroppedOnOpen() throws IOException {
        Path dir = tmp.resolve("spool");
        try (Spool s = new Spool(dir, 1 << 20, 1 << 16)) {
            s.append(messages("m", 2));
        }
        Path seg = segments(dir).get(0);
        try (FileChannel c = FileChannel.open(seg, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            c.write(ByteBuffer.wrap(new byte[] {0, 0, 0, 9, 'x', 'y'}));
        }
        try (Spool s = new Spool(dir, 1 << 20, 1 << 16)) {
            assertThat(readAll(s, s.acked())).containsExactly("m0", "m1");
            s.append(messages("n", 1));
            assertThat(readAll(s, s.acked())).containsExactly("m0", "m1", "n0");
        }
    }

    @Test
    void aFullSpoolRefusesTheWholeBatchAndKeepsWhatItHas() throws IOException {
        Path dir = tmp.resolve("spool");
        try (Spool s = new Spool(dir, 1 << 20, 1 << 18)) {
            byte[] big = new byte[100_000];
            int accepted = 0;
            while (true) {
                try {
                    s.append(List.of(big, big));
                    accepted += 2;
                } catch (IOException e) {
                    assertThat(e).hasMessageContaining("is full").hasMessageContaining(dir.toString());
                    break;
                }
            }
            long end = s.end();
            assertThat(accepted).isEqualTo(10);
            assertThatCode(() -> s.append(List.of(new byte[1]))).doesNotThrowAnyException();
            assertThat(s.end()).isEqualTo(end + 5);
        }
    }

    @Test
    void sentSegmentsAreDeletedOnceAcknowledged() throws IOException {
        Path dir = tmp.resolve("spool");
        try (Spool s = new Spool(dir, 1 << 20, 1000)) {
            for (int i = 0; i < 10; i++) {
                s.append(List.of(new byte[400], new byte[400]));
            }
            assertThat(segments(dir)).hasSize(10);
            long half = 5 * 808;
            s.acknowledge(half);
            s.persist();
            assertThat(segments(dir)).hasSize(5);
            assertThat(s.diskBytes()).isEqualTo(5 * 808);
            s.acknowledge(s.end());
            s.persist();
            assertThat(segments(dir)).hasSize(1);
        }
        try (Spool s = new Spool(dir, 1 << 20, 1000)) {
            assertThat(s.pendingBytes()).isZero();
            s.append(messages("z", 1));
            assertThat(readAll(s, s.acked())).containsExactly("z0");
        }
    }

    @Test
    void oneSpoolHasOneSink() throws IOException {
        Path dir = tmp.resolve("spool");
        try (Spool s = new Spool(dir, 1 << 20, 1 << 16)) {
            assertThatThrownBy(() -> new Spool(dir, 1 << 20, 1 << 16)).isInstanceOf(IOException.class)
                    .hasMessageContaining("in use");
        }
    }
}
