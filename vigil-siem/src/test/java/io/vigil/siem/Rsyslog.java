package io.vigil.siem;

import io.vigil.sink.SyslogTransport;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real rsyslogd, run unprivileged in the foreground on a loopback port with a configuration in its own directory:
 * one listener (imtcp, imtcp over gtls with a certificate made here, or imudp) and every message received written
 * to {@code received.log} as its raw text, one per line (control characters arrive escaped, so a record cannot
 * span lines). Public, in the test jar, for the syslog benchmark too.
 */
public final class Rsyslog implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/sbin/rsyslogd");

    private final Path dir;
    private final SyslogTransport transport;
    private final int port;
    private Process process;

    public Rsyslog(Path dir, SyslogTransport transport) throws Exception {
        this(dir, transport, "IP:127.0.0.1,DNS:localhost");
    }

    /** A receiver whose TLS certificate names {@code subjectAltName}. */
    Rsyslog(Path dir, SyslogTransport transport, String subjectAltName) throws Exception {
        this.dir = Files.createDirectories(dir);
        this.transport = transport;
        this.port = freePort(transport);
        Files.createDirectories(dir.resolve("work"));
        if (transport == SyslogTransport.TLS) {
            run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-keyout", "key.pem", "-out", "cert.pem", "-days", "1", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=" + subjectAltName);
        }
        Files.writeString(dir.resolve("rsyslog.conf"), config(), StandardCharsets.UTF_8);
    }

    public int port() {
        return port;
    }

    /** The certificate the receiver presents over TLS, to trust. */
    public Path certificate() {
        return dir.resolve("cert.pem");
    }

    private String config() {
        String d = dir.toAbsolutePath().toString();
        StringBuilder c = new StringBuilder();
        c.append("global(workDirectory=\"").append(d).append("/work\" maxMessageSize=\"256k\"");
        if (transport == SyslogTransport.TLS) {
            c.append(" defaultNetstreamDriverCAFile=\"").append(d).append("/cert.pem\"")
                    .append(" defaultNetstreamDriverCertFile=\"").append(d).append("/cert.pem\"")
                    .append(" defaultNetstreamDriverKeyFile=\"").append(d).append("/key.pem\"");
        }
        c.append(")\n");
        switch (transport) {
            case TCP -> c.append("module(load=\"imtcp\" maxFrameSize=\"300000\")\n");
            case TLS -> c.append("module(load=\"imtcp\" maxFrameSize=\"300000\" streamDriver.name=\"gtls\" "
                    + "streamDriver.mode=\"1\" streamDriver.authMode=\"anon\")\n");
            case UDP -> c.append("module(load=\"imudp\")\n");
        }
        c.append("input(type=\"").append(transport == SyslogTransport.UDP ? "imudp" : "imtcp")
                .append("\" port=\"").append(port).append("\" address=\"127.0.0.1\")\n");
        c.append("template(name=\"raw\" type=\"string\" string=\"%rawmsg%\\n\")\n");
        c.append("if $msgid == \"probe\" then {\n  action(type=\"omfile\" file=\"").append(d)
                .append("/probe.log\" template=\"raw\")\n  stop\n}\n");
        c.append("if $inputname == \"imtcp\" or $inputname == \"imudp\" then {\n  action(type=\"omfile\" file=\"")
                .append(d).append("/received.log\" template=\"raw\")\n  stop\n}\n");
        c.append("action(type=\"omfile\" file=\"").append(d).append("/rsyslogd.log\")\n");
        return c.toString();
    }

    /** Starts it and returns once it receives. */
    public Rsyslog start() throws Exception {
        Files.deleteIfExists(dir.resolve("pid"));
        process = new ProcessBuilder(BINARY.toString(), "-n", "-f", dir.resolve("rsyslog.conf").toString(),
                "-i", dir.resolve("pid").toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("stderr")
                        .toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!ready()) {
            if (!process.isAlive()) {
                throw new IllegalStateException("rsyslogd exited: " + log());
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("rsyslogd did not start: " + log());
            }
            Thread.sleep(50);
        }
        return this;
    }

    private boolean ready() throws IOException {
        if (transport == SyslogTransport.UDP) {
            // nothing answers over UDP: send a probe until it is written
            byte[] probe = "<14>1 - - - - probe - probe".getBytes(StandardCharsets.US_ASCII);
            try (DatagramSocket s = new DatagramSocket()) {
                s.send(new DatagramPacket(probe, probe.length, InetAddress.getLoopbackAddress(), port));
            }
            return Files.exists(dir.resolve("probe.log"));
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Stops it with SIGTERM, as a service manager does, and waits until it has exited. */
    public void stop() throws Exception {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                throw new IllegalStateException("rsyslogd did not stop within 20 s: " + log());
            }
        }
        process = null;
    }

    /** Every record received so far, raw, in the order written. */
    public List<byte[]> records() throws IOException {
        Path f = dir.resolve("received.log");
        if (!Files.exists(f)) {
            return List.of();
        }
        byte[] all = Files.readAllBytes(f);
        List<byte[]> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < all.length; i++) {
            if (all[i] == '\n') {
                out.add(Arrays.copyOfRange(all, start, i));
                start = i + 1;
            }
        }
        return out;
    }

    /** The CPU time rsyslogd has used, where the system tells; -1 otherwise. */
    public long cpuNanos() {
        return process == null ? -1 : process.info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
    }

    /** How many records were received so far: the lines of {@code received.log}. */
    public long count() throws IOException {
        Path f = dir.resolve("received.log");
        if (!Files.exists(f)) {
            return 0;
        }
        long n = 0;
        try (InputStream in = Files.newInputStream(f)) {
            byte[] buf = new byte[1 << 16];
            for (int r; (r = in.read(buf)) > 0; ) {
                for (int i = 0; i < r; i++) {
                    if (buf[i] == '\n') {
                        n++;
                    }
                }
            }
        }
        return n;
    }

    public String log() {
        try {
            Path f = dir.resolve("stderr");
            return Files.exists(f) ? Files.readString(f) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Override
    public void close() throws Exception {
        stop();
    }

    private void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
    }

    private static int freePort(SyslogTransport transport) throws IOException {
        if (transport == SyslogTransport.UDP) {
            try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            }
        }
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
