/**
 * Vigil's core: the event model and catalogue, {@code AuditLog} and its pipeline, sinks, redaction and configuration.
 * Only the API packages are exported; {@code io.vigil.internal} is shared with the Vigil modules that need its file
 * helpers (0600 files, 0700 directories) and its rate-limited log, and {@code io.vigil.internal.time} with the ledger
 * (its fsync pacing), detection (the rate limit's ticker), the server and the syslog sink (its backoff), with no one
 * else.
 */
module io.vigil.core {
    requires com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.dataformat.yaml;
    requires org.jctools.core;
    requires org.slf4j;

    exports io.vigil;
    exports io.vigil.config;
    exports io.vigil.event;
    exports io.vigil.filter;
    exports io.vigil.helper;
    exports io.vigil.json;
    exports io.vigil.redact;
    exports io.vigil.sink;

    uses io.vigil.sink.EventFormat;
    uses io.vigil.sink.SinkProvider;

    exports io.vigil.internal to io.vigil.ledger, io.vigil.postgres, io.vigil.cli, io.vigil.detect, io.vigil.server,
            io.vigil.siem;
    exports io.vigil.internal.time to io.vigil.ledger, io.vigil.detect, io.vigil.server, io.vigil.siem;
}
