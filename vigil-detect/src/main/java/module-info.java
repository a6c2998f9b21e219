/**
 * Detection on the audit event stream: a stage bound to an {@code AuditLog} that runs detectors over the events it
 * records and records their findings through the same log. Only the API package is exported; the detectors and the
 * default state live in {@code io.vigil.detect.internal}.
 */
module io.vigil.detect {
    requires io.vigil.core;
    requires com.github.benmanes.caffeine;
    requires org.slf4j;

    exports io.vigil.detect;
}
