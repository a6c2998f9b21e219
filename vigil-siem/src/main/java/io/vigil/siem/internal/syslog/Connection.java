package io.vigil.siem.internal.syslog;

import io.vigil.sink.SyslogOptions;
import io.vigil.sink.SyslogTransport;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/** One connection to the receiver, framing each message as its transport requires. */
abstract class Connection implements Closeable {

    /** Sends one message; it may stay buffered until {@link #flush()}. */
    abstract void send(byte[] message) throws IOException;

    abstract void flush() throws IOException;

    /** False once the receiver is known to have closed or reset the connection. */
    abstract boolean alive();

    /**
     * True when a message counts as delivered only after the connection has outlived it by a while (TCP, TLS: a
     * receiver that goes away shows it by closing the stream); false when nothing ever confirms it (UDP).
     */
    abstract boolean stream();

    /** The largest message the transport can carry in one piece. */
    static int maxMessage(SyslogOptions o) {
        // a UDP datagram over IPv4 holds at most 65,507 bytes of payload
        return o.transport() == SyslogTransport.UDP ? Math.min(o.maxMessageBytes(), 65_507) : o.maxMessageBytes();
    }

    /** The TLS context: the authorities in {@code trustFile}, or the JVM's default trust store. */
    static SSLContext tlsContext(SyslogOptions o) throws IOException {
        try {
            if (o.trustFile().isEmpty()) {
                return SSLContext.getDefault();
            }
            Path file = o.trustFile().get();
            Collection<? extends Certificate> certs;
            try (InputStream in = Files.newInputStream(file)) {
                certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            } catch (IOException e) {
                throw new IOException("cannot read syslog trust file " + file + ": " + e, e);
            }
            if (certs.isEmpty()) {
                throw new IOException("syslog trust file " + file + " holds no PEM certificate");
            }
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            int i = 0;
            for (Certificate c : certs) {
                trust.setCertificateEntry("ca-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS for the syslog sink" + o.trustFile().map(f -> " from " + f)
                    .orElse("") + ": " + e, e);
        }
    }

    /** Connects as {@code o} says; {@code onDeath} runs once, on another thread, when a stream closes under us. */
    static Connection open(SyslogOptions o, SSLContext tls, Runnable onDeath) throws IOException {
        if (o.transport() == SyslogTransport.UDP) {
            return new Datagram(o);
        }
        int timeout = (int) Math.min(Integer.MAX_VALUE, o.connectTimeout().toMillis());
        Socket plain = new Socket();
        try {
            plain.connect(new InetSocketAddress(o.host(), o.port()), timeout);
            plain.setTcpNoDelay(true);
            plain.setKeepAlive(true);
            Socket s = plain;
            if (o.transport() == SyslogTransport.TLS) {
                SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(plain, o.host(), o.port(), true);
                SSLParameters p = ssl.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS");
                List<String> supported = Arrays.asList(ssl.getSupportedProtocols());
                p.setProtocols(List.of("TLSv1.3", "TLSv1.2").stream().filter(supported::contains)
                        .toArray(String[]::new));
                ssl.setSSLParameters(p);
                ssl.setSoTimeout(timeout);
                ssl.startHandshake();
                s = ssl;
            }
            s.setSoTimeout(0);
            return new Stream(s, onDeath);
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    /** Octet-counted framing over TCP or TLS (RFC 6587 §3.4.1, RFC 5425 §4.3), with a reader watching for EOF. */
    private static final class Stream extends Connection {
        private final Socket socket;
        private final OutputStream out;
        private volatile boolean dead;

        Stream(Socket socket, Runnable onDeath) throws IOException {
            this.socket = socket;
            this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
            InputStream in = socket.getInputStream();
            // Syslog receivers send nothing back; a read returns only when the receiver closes or resets, which is
            // how a restart is noticed before more is written into a connection that no longer delivers.
            Thread reader = new Thread(() -> {
                byte[] sink = new byte[512];
                try {
                    while (in.read(sink) >= 0) {
                        // nothing is expected; whatever comes is ignored
                    }
                } catch (IOException ignored) {
                    // a reset, or our own close: the connection is over either way
                }
                dead = true;
                onDeath.run();
            }, "vigil-syslog-reader");
            reader.setDaemon(true);
            reader.start();
        }

        @Override
        void send(byte[] message) throws IOException {
            if (dead) {
                throw new IOException("the receiver closed the connection");
            }
            out.write(OctetCounting.prefix(message.length));
            out.write(message);
        }

        @Override
        void flush() throws IOException {
            out.flush();
        }

        @Override
        boolean alive() {
            return !dead;
        }

        @Override
        boolean stream() {
            return true;
        }

        @Override
        public void close() throws IOException {
            dead = true;
            socket.close();
        }
    }

    /** One datagram per message (RFC 5426). */
    private static final class Datagram extends Connection {
        private final DatagramSocket socket;

        Datagram(SyslogOptions o) throws IOException {
            InetSocketAddress to = new InetSocketAddress(o.host(), o.port());
            if (to.isUnresolved()) {
                throw new UnknownHostException(o.host());
            }
            socket = new DatagramSocket();
            try {
                socket.connect(to);
            } catch (IOException | RuntimeException e) {
                socket.close();
                throw e;
            }
        }

        @Override
        void send(byte[] message) throws IOException {
            socket.send(new DatagramPacket(message, message.length));
        }

        @Override
        void flush() {
        }

        @Override
        boolean alive() {
            return !socket.isClosed();
        }

        @Override
        boolean stream() {
            return false;
        }

        @Override
        public void close() {
            socket.close();
        }
    }
}
