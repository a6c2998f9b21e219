package io.vigil.bench.gateway;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One HTTP/1.1 keep-alive connection on a plain socket that sends one fixed request again and again. A plain socket
 * rather than {@code java.net.http.HttpClient}: the load generator shares the machine with the server, so the less
 * CPU it takes per request the less it distorts what is measured. It reconnects when the server closes.
 */
public final class KeepAliveConnection implements AutoCloseable {
    private static final int TIMEOUT_MILLIS = 30_000;

    /** The status of a response and whether the server closes the connection after it. */
    public record Response(int status, boolean closes) {
    }

    private final InetSocketAddress address;
    private final byte[] request;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    private KeepAliveConnection(InetSocketAddress address, byte[] request) {
        this.address = address;
        this.request = request;
    }

    /** A connection to {@code 127.0.0.1:port} that sends {@code GET path} with the given extra header lines. */
    public static KeepAliveConnection get(int port, String path, String... headerLines) {
        StringBuilder r = new StringBuilder("GET ").append(path).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1:").append(port).append("\r\n")
                .append("Accept: application/json\r\n");
        for (String h : headerLines) {
            r.append(h).append("\r\n");
        }
        r.append("\r\n");
        return new KeepAliveConnection(new InetSocketAddress("127.0.0.1", port),
                r.toString().getBytes(StandardCharsets.US_ASCII));
    }

    /** Sends the request (connecting first if needed) and reads the whole response. */
    public int exchange() throws IOException {
        if (socket == null) {
            connect();
        }
        out.write(request);
        out.flush();
        Response response = read(in);
        if (response.closes()) {
            close();
        }
        return response.status();
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing a socket we are done with; nothing depends on it
            }
            socket = null;
        }
    }

    private void connect() throws IOException {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.setSoTimeout(TIMEOUT_MILLIS);
            s.connect(address, TIMEOUT_MILLIS);
            in = new BufferedInputStream(s.getInputStream(), 8192);
            out = s.getOutputStream();
        } catch (IOException e) {
            s.close();
            throw e;
        }
        socket = s;
    }

    /**
     * Reads one response from {@code in}: the status line, the headers, and the body (by {@code Content-Length},
     * chunked, or up to the end of the stream when the server closes without a length), which is skipped.
     */
    public static Response read(InputStream in) throws IOException {
        String statusLine = line(in);
        if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12) {
            throw new IOException("not an HTTP/1.x status line: " + statusLine);
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        boolean closes = statusLine.startsWith("HTTP/1.0");
        for (String h = line(in); !h.isEmpty(); h = line(in)) {
            int colon = h.indexOf(':');
            if (colon < 0) {
                throw new IOException("malformed header line: " + h);
            }
            String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = h.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
            switch (name) {
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.endsWith("chunked");
                case "connection" -> closes = value.contains("close") || (closes && !value.contains("keep-alive"));
                default -> { }
            }
        }
        boolean bodyless = status / 100 == 1 || status == 204 || status == 304;
        if (bodyless) {
            return new Response(status, closes);
        }
        if (chunked) {
            for (long size = chunkSize(line(in)); size > 0; size = chunkSize(line(in))) {
                skip(in, size);
                if (!line(in).isEmpty()) {
                    throw new IOException("chunk not followed by CRLF");
                }
            }
            while (!line(in).isEmpty()) { // trailer fields, if any
            }
        } else if (length >= 0) {
            skip(in, length);
        } else if (closes) {
            while (in.read() >= 0) { // the body runs to the end of the stream
            }
        }
        return new Response(status, closes);
    }

    private static long chunkSize(String line) throws IOException {
        int semi = line.indexOf(';');
        try {
            return Long.parseLong((semi < 0 ? line : line.substring(0, semi)).trim(), 16);
        } catch (NumberFormatException e) {
            throw new IOException("bad chunk size line: " + line, e);
        }
    }

    private static void skip(InputStream in, long n) throws IOException {
        for (long left = n; left > 0; ) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new EOFException("response ended " + left + " bytes before its end");
                }
                skipped = 1;
            }
            left -= skipped;
        }
    }

    /** One line without its CRLF (or LF); the stream ending before it is an error. */
    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder(64);
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new EOFException(sb.isEmpty() ? "connection closed by the server" : "response cut off: " + sb);
            }
            sb.append((char) c);
        }
        int end = sb.length();
        if (end > 0 && sb.charAt(end - 1) == '\r') {
            sb.setLength(end - 1);
        }
        return sb.toString();
    }
}
