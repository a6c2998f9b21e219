package io.vigil.cli;

import io.vigil.event.Actor;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventCatalog;
import io.vigil.event.EventIds;
import io.vigil.event.Target;
import io.vigil.ledger.LedgerOptions;
import io.vigil.ledger.internal.store.FileStore;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Runs the {@code vigil} command in-process with stdout and stderr captured; builds small ledgers for tests. */
final class Cli {
    private Cli() {
    }

    /** What one run printed and returned. */
    record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    static Result run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        try {
            int code = VigilCommand.execute(args);
            return new Result(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    /** Runs the command with {@code stdin} as its standard input. */
    static Result runWithInput(byte[] stdin, String... args) {
        InputStream in = System.in;
        System.setIn(new ByteArrayInputStream(stdin));
        try {
            return run(args);
        } finally {
            System.setIn(in);
        }
    }

    /** Writes a demo ledger and fails if that did not work. */
    static Path demo(Path dir, int events, long seed) {
        Result r = run("demo", "--out", dir.toString(), "--events", Integer.toString(events), "--seed",
                Long.toString(seed));
        if (r.exit() != 0) {
            throw new AssertionError("demo failed: " + r);
        }
        return dir;
    }

    /** {@code n} simple events from {@code from} on, one second apart from 2026-03-02T00:00:00Z. */
    static List<AuditEvent> events(int from, int n) {
        List<AuditEvent> out = new ArrayList<>();
        long t0 = Instant.parse("2026-03-02T00:00:00Z").toEpochMilli();
        for (int i = from; i < from + n; i++) {
            out.add(AuditEvent.builder(EventCatalog.DATA_READ).id(EventIds.next(t0 + i * 1000L))
                    .timestamp(Instant.ofEpochMilli(t0 + i * 1000L)).actor(Actor.user("u" + (i % 3)))
                    .target(Target.of("doc", "d" + i)).build());
        }
        return out;
    }

    /** A ledger of {@code entries} events written straight to the store, in small segments (several files). */
    static Path smallSegmentLedger(Path dir, int entries) throws IOException {
        LedgerOptions opts = LedgerOptions.defaults("example.com/test").withSegmentBytes(4096);
        try (FileStore s = FileStore.open(dir, opts)) {
            for (int i = 0; i < entries; i += 5) {
                s.append(events(i, Math.min(5, entries - i)));
            }
        }
        return dir;
    }
}
