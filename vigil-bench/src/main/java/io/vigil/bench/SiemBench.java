package io.vigil.bench;

import io.vigil.bench.child.CpuMeter;
import io.vigil.bench.workload.VigilEvents;
import io.vigil.bench.workload.Workload;
import io.vigil.event.AuditEvent;
import io.vigil.json.EventJson;
import io.vigil.sink.EntryPosition;
import io.vigil.sink.EventFormat;
import io.vigil.sink.EventFormats;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * What each SIEM format costs an event, in one JVM and one run: the workload's events (built before the clock, each
 * with a seq and hash) are formatted to one line each by every format in turn, {@code --rounds} rounds of
 * {@code --events} events after as many untimed, and the median time an event is reported beside the peer, the
 * event's own canonical JSON line ({@code EventJson.toCanonicalString}, what a JSONL sink writes), as a ratio.
 * Usage: {@code SiemBench [--events N] [--rounds N]}.
 */
public final class SiemBench {
    private SiemBench() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv, Set.of("events", "rounds"), Set.of());
        int n = (int) args.getLong("events", 200_000);
        int rounds = (int) args.getLong("rounds", 5);
        Workload workload = new Workload();
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        List<AuditEvent> events = new ArrayList<>(n);
        List<Optional<EntryPosition>> integrity = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long ms = 1_767_225_600_000L + i * 1_000L;
            events.add(VigilEvents.at(workload.event(i), ms).tenant("bench").build());
            byte[] h = sha.digest(Integer.toString(i).getBytes(StandardCharsets.US_ASCII));
            integrity.add(Optional.of(new EntryPosition(i, HexFormat.of().formatHex(h))));
        }
        Map<String, Function<Integer, String>> formats = new LinkedHashMap<>();
        formats.put("jsonl (peer)", i -> EventJson.toCanonicalString(events.get(i)));
        for (String name : EventFormats.names()) {
            if (name.equals(EventFormats.JSONL)) {
                continue; // the peer, above
            }
            EventFormat f = EventFormats.named(name).orElseThrow();
            formats.put(name, i -> f.format(events.get(i), integrity.get(i)));
        }
        System.out.printf(Locale.ROOT, "%,d events a round, %d rounds after one untimed; %d CPUs; Java %s%n", n, rounds,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        Map<String, double[]> nanos = new LinkedHashMap<>();
        long sink = 0;
        CpuMeter cpu = CpuMeter.start();
        long began = System.nanoTime();
        for (int r = -1; r < rounds; r++) {
            for (Map.Entry<String, Function<Integer, String>> f : formats.entrySet()) {
                long t = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    sink += f.getValue().apply(i).length();
                }
                long took = System.nanoTime() - t;
                if (r >= 0) {
                    nanos.computeIfAbsent(f.getKey(), k -> new double[rounds])[r] = took / (double) n;
                }
            }
        }
        double others = cpu.othersShare(System.nanoTime() - began);
        double peer = Medians.of(nanos.get("jsonl (peer)"));
        System.out.println("| format | time an event (median of rounds) | vs jsonl | bytes an event |");
        System.out.println("|---|---:|---:|---:|");
        for (Map.Entry<String, double[]> e : nanos.entrySet()) {
            Function<Integer, String> f = formats.get(e.getKey());
            long bytes = 0;
            for (int i = 0; i < 1_000; i++) {
                bytes += f.apply(i).getBytes(StandardCharsets.UTF_8).length;
            }
            System.out.printf(Locale.ROOT, "| %s | %.2f µs | %.2f× | %d |%n", e.getKey(), Medians.of(e.getValue()) / 1_000,
                    Medians.of(e.getValue()) / peer, bytes / 1_000);
        }
        System.out.printf(Locale.ROOT, "other processes' share of the CPUs meanwhile: %.0f%% (checksum %d)%n",
                100 * others, sink % 10);
    }
}
