package io.vigil.bench.child;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * This JVM's CPU time by group of threads (the broker's, the JIT's, the collector's, …), read from Linux's
 * {@code /proc/self/task/TID/stat} so that the JVM's own threads, which {@code ThreadMXBean} does not list, count
 * too. A benchmark that runs several parts in one process says with it where the CPU went. Linux only; elsewhere
 * every group reads 0. Threads that ended between two readings are lost, so a group's share is a lower bound.
 */
public final class ThreadCpu {
    /** The kernel's clock ticks per second for {@code /proc} on every mainstream Linux build. */
    private static final double USER_HZ = 100.0;
    private static final Path TASKS = Path.of("/proc/self/task");

    /** A named group of threads, by a pattern over the thread's name as the kernel keeps it (15 characters). */
    public record Group(String name, Pattern threads) {
    }

    private final List<Group> groups;
    private final Map<String, Long> start;

    private ThreadCpu(List<Group> groups) {
        this.groups = List.copyOf(groups);
        this.start = read();
    }

    /** Starts counting; a thread matching no group counts as "other". */
    public static ThreadCpu start(List<Group> groups) {
        return new ThreadCpu(groups);
    }

    /** CPU seconds by group since {@link #start}, in the groups' order, then "other". */
    public Map<String, Double> since() {
        Map<String, Long> now = read();
        Map<String, Double> out = new LinkedHashMap<>();
        groups.forEach(g -> out.put(g.name(), 0.0));
        out.put("other", 0.0);
        for (Map.Entry<String, Long> e : now.entrySet()) {
            long ticks = e.getValue() - start.getOrDefault(e.getKey(), 0L);
            String name = e.getKey().substring(e.getKey().indexOf(' ') + 1);
            String group = groups.stream().filter(g -> g.threads().matcher(name).find()).map(Group::name)
                    .findFirst().orElse("other");
            out.merge(group, ticks / USER_HZ, Double::sum);
        }
        return out;
    }

    /** Each live thread's user + system ticks, keyed by "tid name". */
    private static Map<String, Long> read() {
        Map<String, Long> ticks = new LinkedHashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path task : tasks) {
                try {
                    String stat = Files.readString(task.resolve("stat"), StandardCharsets.US_ASCII);
                    int open = stat.indexOf('(');
                    int close = stat.lastIndexOf(')');
                    String[] rest = stat.substring(close + 2).split(" ");
                    // after the name: state (0) ... utime (11), stime (12)
                    ticks.put(task.getFileName() + " " + stat.substring(open + 1, close),
                            Long.parseLong(rest[11]) + Long.parseLong(rest[12]));
                } catch (IOException | RuntimeException e) {
                    // the thread ended while being read
                }
            }
        } catch (IOException e) {
            return ticks;
        }
        return ticks;
    }
}
