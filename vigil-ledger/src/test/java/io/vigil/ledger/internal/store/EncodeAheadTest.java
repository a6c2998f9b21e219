package io.vigil.ledger.internal.store;

import io.vigil.event.Actor;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventCatalog;
import io.vigil.event.EventIds;
import io.vigil.event.Target;
import io.vigil.ledger.LedgerOptions;
import io.vigil.ledger.LedgerVerifier;
import io.vigil.ledger.VerificationReport;
import io.vigil.sink.EntryPosition;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Large batches are serialized on the encoder thread and spliced; small ones are encoded inline. Both must write the
 * very same bytes, so the same events appended either way give identical segments and receipts.
 */
class EncodeAheadTest {

    @Provide
    Arbitrary<String> text() {
        // quotes, backslashes, controls, non-ASCII and astral characters: everything the escaping has to get right
        return Arbitraries.strings().withChars("ab\"\\\n\t\u0001é€").withCharRange('\u00a0', '\u00ff')
                .withChars("\uD83D\uDE00 ").ofMinLength(1).ofMaxLength(40)
                .filter(s -> !Character.isHighSurrogate(s.charAt(s.length() - 1)) && validSurrogates(s));
    }

    @Provide
    Arbitrary<List<String>> texts() {
        return text().list().ofMinSize(32).ofMaxSize(90);
    }

    private static boolean validSurrogates(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    @Property(tries = 40)
    void theEncoderThreadWritesWhatInlineEncodingWrites(@ForAll("texts") List<String> texts,
                                                        @ForAll @IntRange(min = 0, max = 3) int variant) throws IOException {
        List<AuditEvent> events = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            String t = texts.get(i);
            long millis = 1_700_000_000_000L + i;
            AuditEvent.Builder b = AuditEvent.builder(EventCatalog.AUTH_LOGIN_FAILURE).id(EventIds.next(millis))
                    .timestamp(Instant.ofEpochMilli(millis)).actor(Actor.user("u-" + t)).detail("note", t)
                    .detail("n", i);
            if ((i + variant) % 2 == 0) {
                b.reason(t).target(Target.of("account", t)).requestId("req-" + i);
            }
            if ((i + variant) % 3 == 0) {
                b.tenant("t-" + variant).sessionId("s-" + t);
            }
            events.add(b.build());
        }
        Path root = Files.createTempDirectory("vigil-encode-ahead");
        try {
            Path ahead = root.resolve("ahead");
            Path inline = root.resolve("inline");
            List<EntryPosition> aheadPositions;
            List<EntryPosition> inlinePositions = new ArrayList<>();
            try (FileStore store = FileStore.open(ahead, LedgerOptions.defaults("test.vigil.example/encode"))) {
                aheadPositions = store.append(events); // one batch of 32 or more: the encoder thread
                aheadPositions = new ArrayList<>(aheadPositions);
                aheadPositions.addAll(store.append(events.subList(0, 31))); // and a small one after it
            }
            try (FileStore store = FileStore.open(inline, LedgerOptions.defaults("test.vigil.example/encode"))) {
                for (AuditEvent e : events) {
                    inlinePositions.addAll(store.append(List.of(e)));
                }
                inlinePositions.addAll(store.append(events.subList(0, 31)));
            }
            assertThat(aheadPositions).isEqualTo(inlinePositions);
            assertThat(segments(ahead)).isEqualTo(segments(inline));
            VerificationReport report = LedgerVerifier.of(ahead).verify();
            assertThat(report.intact()).as(report.toString()).isTrue();
            assertThat(report.entries()).isEqualTo(events.size() + 31);
        } finally {
            try (Stream<Path> walk = Files.walk(root)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                    try {
                        Files.delete(p);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
        }
    }

    private static List<String> segments(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir.resolve("segments"))) {
            for (Path p : files.sorted().toList()) {
                out.add(p.getFileName() + "\n" + Files.readString(p));
            }
        }
        return out;
    }
}
