package io.vigil.sink;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Options of the syslog sink (RFC 5424 messages, sent over {@link SyslogTransport}). Events are first appended to a
 * durable spool in {@code spoolDir}, so that a write is accepted while the receiver is down, and sent from there in
 * order.
 *
 * @param host             the receiver's host name or address
 * @param port             the receiver's port, 1 to 65535
 * @param transport        TLS, TCP or UDP
 * @param trustFile        PEM certificates of the authorities the receiver's certificate must chain to; empty means
 *                         the JVM's default trust store. TLS only
 * @param appName          the APP-NAME header field, 1 to 48 printable ASCII characters
 * @param hostname         the HOSTNAME header field; empty means this machine's name
 * @param facility         the syslog facility, 0 to 23 (13, log audit, by default)
 * @param enterpriseNumber the private enterprise number in the structured data's SD-ID ({@code vigil@<number>})
 * @param spoolDir         where events wait for the receiver; created 0700
 * @param spoolMaxBytes    the most the spool may hold; a write that would pass it fails, so that the pipeline
 *                         blocks or fails closed as configured rather than losing events
 * @param maxMessageBytes  the largest message sent; a longer message body is cut at a character boundary and marked
 * @param connectTimeout   how long one connection attempt may take
 * @param backoffMin       the first wait after a failed attempt; doubled after each failure
 * @param backoffMax       the longest wait between attempts
 */
public record SyslogOptions(String host, int port, SyslogTransport transport, Optional<Path> trustFile,
                            String appName, Optional<String> hostname, int facility, int enterpriseNumber,
                            Path spoolDir, long spoolMaxBytes, int maxMessageBytes, Duration connectTimeout,
                            Duration backoffMin, Duration backoffMax) {

    /** RFC 5424's facility 13, log audit. */
    public static final int LOG_AUDIT = 13;
    /** The private enterprise number set aside for documentation (RFC 5612); set your organisation's own. */
    public static final int EXAMPLE_ENTERPRISE_NUMBER = 32473;

    /** TLS to {@code host:port} (usually {@link SyslogTransport#defaultPort()}) with the JVM's trust store, app name {@code vigil}, a 1 GiB spool, 64 KiB messages. */
    public static SyslogOptions defaults(String host, int port, Path spoolDir) {
        return new SyslogOptions(host, port, SyslogTransport.TLS, Optional.empty(), "vigil", Optional.empty(),
                LOG_AUDIT, EXAMPLE_ENTERPRISE_NUMBER, spoolDir, 1L << 30, 64 * 1024, Duration.ofSeconds(5),
                Duration.ofMillis(100), Duration.ofSeconds(30));
    }

    public SyslogOptions {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(trustFile, "trustFile");
        Objects.requireNonNull(appName, "appName");
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(spoolDir, "spoolDir");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(backoffMin, "backoffMin");
        Objects.requireNonNull(backoffMax, "backoffMax");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1 to 65535, was " + port);
        }
        if (appName.isEmpty() || appName.length() > 48 || !appName.chars().allMatch(c -> c >= 33 && c <= 126)) {
            throw new IllegalArgumentException("appName must be 1 to 48 printable ASCII characters without spaces");
        }
        if (facility < 0 || facility > 23) {
            throw new IllegalArgumentException("facility must be 0 to 23, was " + facility);
        }
        if (enterpriseNumber < 1) {
            throw new IllegalArgumentException("enterpriseNumber must be positive, was " + enterpriseNumber);
        }
        if (spoolMaxBytes < 1024 * 1024) {
            throw new IllegalArgumentException("spoolMaxBytes must be at least 1 MiB, was " + spoolMaxBytes);
        }
        if (maxMessageBytes < 480) {
            throw new IllegalArgumentException("maxMessageBytes must be at least 480 (RFC 5424 §6.1), was "
                    + maxMessageBytes);
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connectTimeout must be positive");
        }
        if (backoffMin.isNegative() || backoffMin.isZero() || backoffMax.compareTo(backoffMin) < 0) {
            throw new IllegalArgumentException("backoffMin must be positive and at most backoffMax");
        }
    }

    public SyslogOptions withTransport(SyslogTransport v) {
        return new SyslogOptions(host, port, v, trustFile, appName, hostname, facility, enterpriseNumber, spoolDir,
                spoolMaxBytes, maxMessageBytes, connectTimeout, backoffMin, backoffMax);
    }

    public SyslogOptions withTrustFile(Path v) {
        return new SyslogOptions(host, port, transport, Optional.of(v), appName, hostname, facility,
                enterpriseNumber, spoolDir, spoolMaxBytes, maxMessageBytes, connectTimeout, backoffMin, backoffMax);
    }

    public SyslogOptions withAppName(String v) {
        return new SyslogOptions(host, port, transport, trustFile, v, hostname, facility, enterpriseNumber, spoolDir,
                spoolMaxBytes, maxMessageBytes, connectTimeout, backoffMin, backoffMax);
    }

    public SyslogOptions withHostname(String v) {
        return new SyslogOptions(host, port, transport, trustFile, appName, Optional.of(v), facility,
                enterpriseNumber, spoolDir, spoolMaxBytes, maxMessageBytes, connectTimeout, backoffMin, backoffMax);
    }

    public SyslogOptions withFacility(int v) {
        return new SyslogOptions(host, port, transport, trustFile, appName, hostname, v, enterpriseNumber, spoolDir,
                spoolMaxBytes, maxMessageBytes, connectTimeout, backoffMin, backoffMax);
    }

    public SyslogOptions withEnterpriseNumber(int v) {
        return new SyslogOptions(host, port, transport, trustFile, appName, hostname, facility, v, spoolDir,
                spoolMaxBytes, maxMessageBytes, connectTimeout, backoffMin, backoffMax);
    }

    public SyslogOptions withSpoolMaxBytes(long v) {
        return new SyslogOptions(host, port, transport, trustFile, appName, hostname, facility, enterpriseNumber,
                spoolDir, v, maxMessageBytes, connectTimeout, backoffMin, backoffMax);
    }

    public SyslogOptions withMaxMessageBytes(int v) {
        return new SyslogOptions(host, port, transport, trustFile, appName, hostname, facility, enterpriseNumber,
                spoolDir, spoolMaxBytes, v, connectTimeout, backoffMin, backoffMax);
    }

    public SyslogOptions withConnectTimeout(Duration v) {
        return new SyslogOptions(host, port, transport, trustFile, appName, hostname, facility, enterpriseNumber,
                spoolDir, spoolMaxBytes, maxMessageBytes, v, backoffMin, backoffMax);
    }

    public SyslogOptions withBackoff(Duration min, Duration max) {
        return new SyslogOptions(host, port, transport, trustFile, appName, hostname, facility, enterpriseNumber,
                spoolDir, spoolMaxBytes, maxMessageBytes, connectTimeout, min, max);
    }
}
