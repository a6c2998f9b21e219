package io.vigil.spring.boot.autoconfigure;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Vigil's settings under {@code vigil.*}. The keys of the log itself (filters, pipeline, redaction, sinks) are the
 * keys of {@code docs/configuration.md}, written in Spring's kebab case ({@code vigil.pipeline.queue-capacity}) or
 * as in the YAML file ({@code vigil.pipeline.queueCapacity}); they are validated by the same rules as the file, and
 * a bad value fails start-up with its key and the allowed values. The other groups ({@code ledger}, {@code security},
 * {@code web}, {@code logback}, {@code audited}, {@code tokens}) exist only in Spring. The log's own filter
 * ({@code vigil.categories}, …) has the same keys as each sink's ({@code vigil.sinks[i].filter.*}).
 */
@ConfigurationProperties(prefix = "vigil")
public class VigilProperties extends FilterProperties {

    /** Whether Vigil audits anything. False: no Vigil bean is created. Unlike the YAML file, on by default. */
    private boolean enabled = true;

    /** The service name stamped on every event; defaults to spring.application.name. */
    private String service;

    /** Whether requestId, sessionId and traceId are kept on events. */
    private boolean includeRequestIds = true;

    private final Pipeline pipeline = new Pipeline();
    private final Redaction redaction = new Redaction();
    /** Extra sinks besides the ledger: files, stdout, syslog and Kafka, as sinks[] in docs/configuration.md. */
    private final List<Sink> sinks = new ArrayList<>();
    private final Ledger ledger = new Ledger();
    private final Security security = new Security();
    private final Web web = new Web();
    private final Logback logback = new Logback();
    private final AuditedMethods audited = new AuditedMethods();
    private final Tokens tokens = new Tokens();

    public boolean isEnabled() { return enabled; }
    public void setEnabled(boolean v) { enabled = v; }
    public String getService() { return service; }
    public void setService(String v) { service = v; }
    public boolean isIncludeRequestIds() { return includeRequestIds; }
    public void setIncludeRequestIds(boolean v) { includeRequestIds = v; }
    public Pipeline getPipeline() { return pipeline; }
    public Redaction getRedaction() { return redaction; }
    public List<Sink> getSinks() { return sinks; }
    public Ledger getLedger() { return ledger; }
    public Security getSecurity() { return security; }
    public Web getWeb() { return web; }
    public Logback getLogback() { return logback; }
    public AuditedMethods getAudited() { return audited; }
    public Tokens getTokens() { return tokens; }

    /** The queue between callers and sinks. */
    public static class Pipeline {
        /** Events the queue holds (2 to 67108864, rounded up to a power of two); default 65536. */
        private Integer queueCapacity;
        /** Most events handed to the sinks at once (1 to 65536); default 1024. */
        private Integer batchSize;
        /** When the queue is full: block (wait block-timeout, then drop), drop, or fail (the caller gets an exception). Default block. */
        private String overflow;
        /** How long "block" waits for room, e.g. 100ms. */
        private String blockTimeout;
        /** How long closing the log waits for the queue to drain, e.g. 10s. */
        private String shutdownTimeout;
        private final Retry retry = new Retry();

        public Integer getQueueCapacity() { return queueCapacity; }
        public void setQueueCapacity(Integer v) { queueCapacity = v; }
        public Integer getBatchSize() { return batchSize; }
        public void setBatchSize(Integer v) { batchSize = v; }
        public String getOverflow() { return overflow; }
        public void setOverflow(String v) { overflow = v; }
        public String getBlockTimeout() { return blockTimeout; }
        public void setBlockTimeout(String v) { blockTimeout = v; }
        public String getShutdownTimeout() { return shutdownTimeout; }
        public void setShutdownTimeout(String v) { shutdownTimeout = v; }
        public Retry getRetry() { return retry; }
    }

    /** Retries of a failing sink write. */
    public static class Retry {
        /** Attempts in all (1 to 1000); default 5. */
        private Integer maxAttempts;
        /** Wait after the first failure, doubled after each further one, e.g. 50ms. */
        private String initialBackoff;
        /** Longest wait between attempts, e.g. 2s. */
        private String maxBackoff;

        public Integer getMaxAttempts() { return maxAttempts; }
        public void setMaxAttempts(Integer v) { maxAttempts = v; }
        public String getInitialBackoff() { return initialBackoff; }
        public void setInitialBackoff(String v) { initialBackoff = v; }
        public String getMaxBackoff() { return maxBackoff; }
        public void setMaxBackoff(String v) { maxBackoff = v; }
    }

    /** What is masked or cut before any sink sees an event. */
    public static class Redaction {
        /** False turns masking off; the size limits still apply. */
        private Boolean enabled;
        /** Key fragments that mark a detail as secret, added to the built-in list. */
        private List<String> keys = new ArrayList<>();
        /** Detail keys never masked, e.g. passwordPolicy. */
        private List<String> allowKeys = new ArrayList<>();
        /** What a masked value becomes; default [REDACTED]. */
        private String replacement;
        /** Detail keys whose values are replaced by a keyed hash; needs hmac-key-file. */
        private List<String> hmacKeys = new ArrayList<>();
        /** File holding the HMAC key for hmac-keys, base64, at least 32 bytes. */
        private String hmacKeyFile;
        /** Longest string kept in details, reason and error (at least 16); default 4096. */
        private Integer maxFieldLength;
        /** Largest details object kept, e.g. 32KB. */
        private String maxDetailsBytes;
        /** Deepest nesting kept in details (1 to 32); default 8. */
        private Integer maxDetailsDepth;

        public Boolean getEnabled() { return enabled; }
        public void setEnabled(Boolean v) { enabled = v; }
        public List<String> getKeys() { return keys; }
        public void setKeys(List<String> v) { keys = v; }
        public List<String> getAllowKeys() { return allowKeys; }
        public void setAllowKeys(List<String> v) { allowKeys = v; }
        public String getReplacement() { return replacement; }
        public void setReplacement(String v) { replacement = v; }
        public List<String> getHmacKeys() { return hmacKeys; }
        public void setHmacKeys(List<String> v) { hmacKeys = v; }
        public String getHmacKeyFile() { return hmacKeyFile; }
        public void setHmacKeyFile(String v) { hmacKeyFile = v; }
        public Integer getMaxFieldLength() { return maxFieldLength; }
        public void setMaxFieldLength(Integer v) { maxFieldLength = v; }
        public String getMaxDetailsBytes() { return maxDetailsBytes; }
        public void setMaxDetailsBytes(String v) { maxDetailsBytes = v; }
        public Integer getMaxDetailsDepth() { return maxDetailsDepth; }
        public void setMaxDetailsDepth(Integer v) { maxDetailsDepth = v; }
    }

    /** An extra sink: a rotating JSONL file or stdout. */
    public static class Sink {
        /** file, stdout, syslog (needs vigil-siem) or kafka (needs vigil-kafka). */
        private String type;
        /** Unique name; defaults to the type. "ledger" is taken by the ledger. */
        private String name;
        /** The line each event becomes: jsonl (default), ocsf, ecs or cef (the last three need vigil-siem). */
        private String format;
        /** The file of a file sink. */
        private String path;
        /** When a file sink forces bytes to the device: none, batch or always. */
        private String fsync;
        private final Rotation rotation = new Rotation();
        private final FilterProperties filter = new FilterProperties();
        /** A syslog sink's receiver host. */
        private String host;
        /** A syslog sink's receiver port; 6514 for tls, 514 for tcp and udp. */
        private Integer port;
        /** A syslog sink's transport: tls (default), tcp or udp. */
        private String transport;
        /** PEM certificates a tls syslog receiver's certificate must chain to; the JVM's trust store if unset. */
        private String trustFile;
        /** A syslog sink's APP-NAME; default vigil. */
        private String appName;
        /** A syslog sink's HOSTNAME; default this machine's name. */
        private String hostname;
        /** A syslog sink's facility, 0 to 23; default 13 (log audit). */
        private Integer facility;
        /** The private enterprise number in a syslog sink's SD-ID; default 32473 (for documentation). */
        private Integer enterpriseNumber;
        private final Spool spool = new Spool();
        /** The largest syslog message, e.g. 64KB; longer event text is cut and marked, never split. */
        private String maxMessageSize;
        /** How long one syslog connection attempt may take, e.g. 5s. */
        private String connectTimeout;
        private final Backoff backoff = new Backoff();
        /** A Kafka sink's brokers, host:port[,host:port...]. */
        private String bootstrap;
        /** A Kafka sink's topic. */
        private String topic;
        /** What keys a Kafka sink's records: tenant (default) or chain. */
        private String keyBy;
        /** A Kafka sink's chain: its key under key-by chain and its transactional id; default this machine's name. */
        private String chain;
        /** Most events a Kafka record carries, one line each; default 64 for jsonl, 1 for the SIEM formats. */
        private Integer eventsPerRecord;
        /** Further Kafka producer settings, passed as they are (security.protocol, ...). */
        private final Map<String, String> properties = new LinkedHashMap<>();

        public String getType() { return type; }
        public void setType(String v) { type = v; }
        public String getName() { return name; }
        public void setName(String v) { name = v; }
        public String getFormat() { return format; }
        public void setFormat(String v) { format = v; }
        public String getPath() { return path; }
        public void setPath(String v) { path = v; }
        public String getFsync() { return fsync; }
        public void setFsync(String v) { fsync = v; }
        public Rotation getRotation() { return rotation; }
        public FilterProperties getFilter() { return filter; }
        public String getHost() { return host; }
        public void setHost(String v) { host = v; }
        public Integer getPort() { return port; }
        public void setPort(Integer v) { port = v; }
        public String getTransport() { return transport; }
        public void setTransport(String v) { transport = v; }
        public String getTrustFile() { return trustFile; }
        public void setTrustFile(String v) { trustFile = v; }
        public String getAppName() { return appName; }
        public void setAppName(String v) { appName = v; }
        public String getHostname() { return hostname; }
        public void setHostname(String v) { hostname = v; }
        public Integer getFacility() { return facility; }
        public void setFacility(Integer v) { facility = v; }
        public Integer getEnterpriseNumber() { return enterpriseNumber; }
        public void setEnterpriseNumber(Integer v) { enterpriseNumber = v; }
        public Spool getSpool() { return spool; }
        public String getMaxMessageSize() { return maxMessageSize; }
        public void setMaxMessageSize(String v) { maxMessageSize = v; }
        public String getConnectTimeout() { return connectTimeout; }
        public void setConnectTimeout(String v) { connectTimeout = v; }
        public Backoff getBackoff() { return backoff; }
        public String getBootstrap() { return bootstrap; }
        public void setBootstrap(String v) { bootstrap = v; }
        public String getTopic() { return topic; }
        public void setTopic(String v) { topic = v; }
        public String getKeyBy() { return keyBy; }
        public void setKeyBy(String v) { keyBy = v; }
        public String getChain() { return chain; }
        public void setChain(String v) { chain = v; }
        public Integer getEventsPerRecord() { return eventsPerRecord; }
        public void setEventsPerRecord(Integer v) { eventsPerRecord = v; }
        public Map<String, String> getProperties() { return properties; }
    }

    /** A syslog sink's spool. */
    public static class Spool {
        /** Where events wait for the receiver; default ~/.vigil/spool/NAME. */
        private String dir;
        /** The most the spool holds, e.g. 1GB (the default). */
        private String maxSize;

        public String getDir() { return dir; }
        public void setDir(String v) { dir = v; }
        public String getMaxSize() { return maxSize; }
        public void setMaxSize(String v) { maxSize = v; }
    }

    /** A syslog sink's waits between connection attempts. */
    public static class Backoff {
        /** The first wait, e.g. 100ms (the default); doubled after each failure. */
        private String min;
        /** The longest wait, e.g. 30s (the default). */
        private String max;

        public String getMin() { return min; }
        public void setMin(String v) { min = v; }
        public String getMax() { return max; }
        public void setMax(String v) { max = v; }
    }

    /** Rotation of a file sink. */
    public static class Rotation {
        /** Rotate before the file grows past this, e.g. 100MB; 0 for no limit. */
        private String maxSize;
        /** Rotate when the UTC date changes. */
        private Boolean daily;
        /** Compress rotated files. */
        private Boolean gzip;

        public String getMaxSize() { return maxSize; }
        public void setMaxSize(String v) { maxSize = v; }
        public Boolean getDaily() { return daily; }
        public void setDaily(Boolean v) { daily = v; }
        public Boolean getGzip() { return gzip; }
        public void setGzip(Boolean v) { gzip = v; }
    }

    /** Where the tamper-evident ledger lives. */
    public static class Ledger {
        /** file (a ledger directory, the default) or postgres (security_audit_log on a DataSource). */
        private Store store = Store.FILE;
        /** The ledger directory of the file store; default ~/.vigil/ledger/{spring.application.name}. */
        private Path dir;
        /**
         * The Ed25519 key that signs checkpoints (written by "vigil keygen"); keep it away from the ledger. When
         * unset, a key is generated beside the ledger, which proves only that the ledger is self-consistent.
         */
        private Path signingKeyFile;
        /** The ledger's origin, the first line of its checkpoints; default vigil/{service}. */
        private String origin;
        /** Sign a checkpoint after this many entries. */
        private long checkpointEvery = 1000;
        /** Sign a checkpoint at least this often while entries arrive. */
        private Duration checkpointInterval = Duration.ofSeconds(10);
        /**
         * File store: force appended entries to the device at most this often (0: after every batch). A receipt
         * completes only once its entry is forced, so a positive interval trades a little receipt latency (and, for
         * fail-closed methods, call latency) for far fewer fsyncs under a steady trickle of events. At most 10s.
         */
        private Duration fsyncInterval = Duration.ZERO;
        /** Where events wait while PostgreSQL is unreachable; default {ledger dir}/spool. */
        private Path spoolDir;
        /**
         * Whether start-up creates or updates the PostgreSQL schema (Flyway); turn off when the application connects
         * as a writer role that may not change the schema, and migrate as the owner beforehand.
         */
        private boolean migrate = true;
        private final Jdbc jdbc = new Jdbc();

        public Store getStore() { return store; }
        public void setStore(Store v) { store = v; }
        public Path getDir() { return dir; }
        public void setDir(Path v) { dir = v; }
        public Path getSigningKeyFile() { return signingKeyFile; }
        public void setSigningKeyFile(Path v) { signingKeyFile = v; }
        public String getOrigin() { return origin; }
        public void setOrigin(String v) { origin = v; }
        public long getCheckpointEvery() { return checkpointEvery; }
        public void setCheckpointEvery(long v) { checkpointEvery = v; }
        public Duration getCheckpointInterval() { return checkpointInterval; }
        public void setCheckpointInterval(Duration v) { checkpointInterval = v; }
        public Duration getFsyncInterval() { return fsyncInterval; }
        public void setFsyncInterval(Duration v) { fsyncInterval = v; }
        public Path getSpoolDir() { return spoolDir; }
        public void setSpoolDir(Path v) { spoolDir = v; }
        public boolean isMigrate() { return migrate; }
        public void setMigrate(boolean v) { migrate = v; }
        public Jdbc getJdbc() { return jdbc; }
    }

    /** The ledger's stores. */
    public enum Store { FILE, POSTGRES }

    /** A database of Vigil's own for the postgres store; when url is unset, the application's DataSource is used. */
    public static class Jdbc {
        /** e.g. jdbc:postgresql://db/audit. */
        private String url;
        /** The database user. */
        private String username;
        /** The database user's password; never logged or shown by the vigil endpoint. */
        private String password;
        /** Connections in Vigil's own pool. */
        private int maximumPoolSize = 4;

        public String getUrl() { return url; }
        public void setUrl(String v) { url = v; }
        public String getUsername() { return username; }
        public void setUsername(String v) { username = v; }
        public String getPassword() { return password; }
        public void setPassword(String v) { password = v; }
        public int getMaximumPoolSize() { return maximumPoolSize; }
        public void setMaximumPoolSize(int v) { maximumPoolSize = v; }
        public Optional<String> url() { return Optional.ofNullable(url).filter(s -> !s.isBlank()); }
    }

    /** Spring Security events turned into audit events. */
    public static class Security {
        /** Whether Spring Security's events are audited. */
        private boolean enabled = true;
        /**
         * Record a success for stateless authentications (HTTP Basic, bearer tokens), which happen on every request;
         * at most once per request.
         */
        private boolean statelessSuccess = false;
        /** Which granted accesses are recorded: none, or privileged (those needing a privileged authority). */
        private Granted granted = Granted.NONE;
        /** Authorities that make an access privileged. */
        private List<String> privilegedAuthorities = new ArrayList<>(List.of("ROLE_ADMIN"));
        /** Record denials of anonymous requests (before the redirect to login), marked details.anonymous. */
        private boolean anonymousDenials = true;
        /**
         * The key (base64, at least 32 bytes) of the keyed hashes of session ids and tokens; default a key generated
         * beside the ledger (0600).
         */
        private Path hashKeyFile;

        public boolean isEnabled() { return enabled; }
        public void setEnabled(boolean v) { enabled = v; }
        public boolean isStatelessSuccess() { return statelessSuccess; }
        public void setStatelessSuccess(boolean v) { statelessSuccess = v; }
        public Granted getGranted() { return granted; }
        public void setGranted(Granted v) { granted = v; }
        public List<String> getPrivilegedAuthorities() { return privilegedAuthorities; }
        public void setPrivilegedAuthorities(List<String> v) { privilegedAuthorities = v; }
        public boolean isAnonymousDenials() { return anonymousDenials; }
        public void setAnonymousDenials(boolean v) { anonymousDenials = v; }
        public Path getHashKeyFile() { return hashKeyFile; }
        public void setHashKeyFile(Path v) { hashKeyFile = v; }
    }

    /** Which granted accesses are recorded. */
    public enum Granted { NONE, PRIVILEGED }

    /** The request context filter. */
    public static class Web {
        /** Whether each request opens an audit context (request id, trace id, client ip, session, tenant). */
        private boolean enabled = true;
        /** Proxies (CIDRs or addresses) whose X-Forwarded-For and Forwarded headers are believed. */
        private List<String> trustedProxies = new ArrayList<>();
        /** A header naming the tenant, used when no TenantResolver bean exists. */
        private String tenantHeader;
        /** The request id header, read when valid and always echoed in the response. */
        private String requestIdHeader = "X-Request-Id";

        public boolean isEnabled() { return enabled; }
        public void setEnabled(boolean v) { enabled = v; }
        public List<String> getTrustedProxies() { return trustedProxies; }
        public void setTrustedProxies(List<String> v) { trustedProxies = v; }
        public String getTenantHeader() { return tenantHeader; }
        public void setTenantHeader(String v) { tenantHeader = v; }
        public String getRequestIdHeader() { return requestIdHeader; }
        public void setRequestIdHeader(String v) { requestIdHeader = v; }
    }

    /** The Logback bridge. */
    public static class Logback {
        /** Attach the bridge to the root logger: log events with an audit marker become audit events. */
        private boolean enabled = true;
        /** Marker names that make a log event an audit event. */
        private List<String> markers = new ArrayList<>(List.of("AUDIT", "SECURITY"));

        public boolean isEnabled() { return enabled; }
        public void setEnabled(boolean v) { enabled = v; }
        public List<String> getMarkers() { return markers; }
        public void setMarkers(List<String> v) { markers = v; }
    }

    /** {@code @Audited} methods. */
    public static class AuditedMethods {
        /** How long a fail-closed method waits for its attempt to be durable before refusing to run. */
        private Duration failClosedTimeout = Duration.ofSeconds(2);

        public Duration getFailClosedTimeout() { return failClosedTimeout; }
        public void setFailClosedTimeout(Duration v) { failClosedTimeout = v; }
    }

    /** TokenAudit. */
    public static class Tokens {
        /** How many revoked tokens are remembered (as hashes) to detect reuse. */
        private int revokedMemory = 100_000;
        /** How long a revoked token is remembered. */
        private Duration revokedRetention = Duration.ofDays(30);

        public int getRevokedMemory() { return revokedMemory; }
        public void setRevokedMemory(int v) { revokedMemory = v; }
        public Duration getRevokedRetention() { return revokedRetention; }
        public void setRevokedRetention(Duration v) { revokedRetention = v; }
    }
}
