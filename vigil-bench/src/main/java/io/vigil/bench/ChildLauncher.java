package io.vigil.bench;

import io.vigil.bench.child.ChildMain;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts {@link ChildMain} in a fresh JVM with this JVM's class path and the same flags for every implementation, so
 * no logging stack shares a heap, JIT profile or background thread with another.
 */
final class ChildLauncher {
    /**
     * Flags given to every child: the heap, and the queue length every stack gets. The Log4j2 ones only matter to
     * the Log4j2 child (the others never load Log4j2); passing them to all keeps the command lines identical. The
     * heap is pre-touched because on this project's VMs the first touch of a page costs tens of microseconds, which
     * would otherwise be charged to whichever stack happens to allocate new memory first.
     */
    static List<String> defaultJvmArgs(int queue) {
        List<String> args = new ArrayList<>(List.of("-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"));
        args.addAll(stackArgs(queue));
        return args;
    }

    /** The flags that configure the stacks themselves; needed by every child, whatever its heap. */
    static List<String> stackArgs(int queue) {
        return List.of("-Dvigil.bench.queue=" + queue,
                "-Dlog4j2.contextSelector=org.apache.logging.log4j.core.async.AsyncLoggerContextSelector",
                "-Dlog4j2.asyncLoggerRingBufferSize=" + queue);
    }

    /** What a child printed on its RESULT line. */
    record Result(String impl, int threads, long events, long nanos, long bytes, long lines, long lost, String check,
                  long gcs, long gcMillis, double others, int exitCode) {
        boolean ok() {
            return exitCode == 0 && lines == events && "ok".equals(check);
        }

        double seconds() {
            return nanos / 1e9;
        }
    }

    private final List<String> jvmArgs;
    private final String classPath;

    ChildLauncher(List<String> jvmArgs) {
        this.jvmArgs = List.copyOf(jvmArgs);
        this.classPath = System.getProperty("java.class.path");
    }

    List<String> command(String impl, int threads, long events, Path file, long seed) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(ChildMain.class.getName());
        cmd.add(impl);
        cmd.add(Integer.toString(threads));
        cmd.add(Long.toString(events));
        cmd.add(file.toAbsolutePath().toString());
        cmd.add(Long.toString(seed));
        return cmd;
    }

    /**
     * Runs {@code main} in a fresh JVM with {@code jvmArgs} and this JVM's class path, and returns the key=value pairs
     * of the {@code RESULT} line it printed; its standard error shows where the user looks.
     *
     * @throws IOException when it did not finish in time, failed, or printed no RESULT line
     */
    static Map<String, String> result(Class<?> main, List<String> jvmArgs, List<String> args, long timeoutSeconds)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String result = null;
        List<String> all = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                all.add(line);
                if (line.startsWith("RESULT ")) {
                    result = line;
                }
            }
        }
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(main.getSimpleName() + " " + args.get(0) + " did not finish in " + timeoutSeconds + " s");
        }
        if (result == null || p.exitValue() != 0) {
            throw new IOException(main.getSimpleName() + " " + args + " failed (exit " + p.exitValue() + "): "
                    + String.join("\n", all));
        }
        Map<String, String> kv = new HashMap<>();
        for (String part : result.substring(7).split(" ")) {
            int eq = part.indexOf('=');
            kv.put(part.substring(0, eq), part.substring(eq + 1));
        }
        return kv;
    }

    Result run(String impl, int threads, long events, Path file, long seed, long timeoutSeconds)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command(impl, threads, events, file, seed));
        pb.redirectError(ProcessBuilder.Redirect.INHERIT); // warnings from a stack show up where the user looks
        Process p = pb.start();
        List<String> lines = new ArrayList<>();
        // Read stdout on another thread so a hung child is caught by the timeout instead of blocking the read.
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    synchronized (lines) {
                        lines.add(line);
                    }
                }
            } catch (IOException ignored) {
                // the process was killed; what was read so far is reported below
            }
        }, "child-stdout");
        reader.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(impl + " child did not finish within " + timeoutSeconds + " s");
        }
        reader.join();
        String resultLine = null;
        for (String line : lines) {
            if (line.startsWith("RESULT ")) {
                resultLine = line;
            }
        }
        if (resultLine == null) {
            throw new IOException(impl + " child exited " + p.exitValue() + " without a RESULT line; its output: "
                    + String.join("\n", lines));
        }
        Map<String, String> kv = new HashMap<>();
        for (String part : resultLine.substring("RESULT ".length()).split(" ")) {
            int eq = part.indexOf('=');
            kv.put(part.substring(0, eq), part.substring(eq + 1));
        }
        return new Result(kv.get("impl"), Integer.parseInt(kv.get("threads")), Long.parseLong(kv.get("events")),
                Long.parseLong(kv.get("nanos")), Long.parseLong(kv.get("bytes")), Long.parseLong(kv.get("lines")),
                Long.parseLong(kv.get("lost")), kv.get("check"), Long.parseLong(kv.get("gcs")),
                Long.parseLong(kv.get("gcMillis")), Double.parseDouble(kv.get("others")), p.exitValue());
    }
}
