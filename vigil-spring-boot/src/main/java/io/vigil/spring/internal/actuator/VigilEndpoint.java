package io.vigil.spring.internal.actuator;

import io.vigil.AuditLog;
import io.vigil.event.Actor;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventCatalog;
import io.vigil.event.Target;
import io.vigil.ledger.VerificationReport;
import io.vigil.spring.internal.ledger.VigilLedger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code /actuator/vigil}: GET gives the status of the log and its ledger; POST verifies the stored ledger now
 * against the signer's public key. A verification reads every entry, so it is itself audited: {@code audit.log.read}
 * (PCI DSS 10.2.1.3) and {@code audit.verification.passed} or {@code audit.verification.failed}.
 */
@Endpoint(id = "vigil")
public final class VigilEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(VigilEndpoint.class);
    private final AuditLog log;
    private final VigilLedger ledger;
    private final LedgerStatus status;
    private final Supplier<Actor> currentActor;

    public VigilEndpoint(AuditLog log, VigilLedger ledger, LedgerStatus status, Supplier<Actor> currentActor) {
        this.log = log;
        this.ledger = ledger;
        this.status = status;
        this.currentActor = currentActor;
    }

    @ReadOperation
    public Map<String, Object> status() {
        return status.describe();
    }

    @WriteOperation
    public Map<String, Object> verify() {
        Actor actor = currentActor.get();
        log.record(AuditEvent.builder(EventCatalog.AUDIT_LOG_READ).actor(actor)
                .target(Target.of("ledger", ledger.store().origin()))
                .detail("purpose", "verification").detail("via", "actuator"));
        // Entries recorded before the request should be in what is verified.
        log.flush(Duration.ofSeconds(5));
        Map<String, Object> out = new LinkedHashMap<>();
        try {
            VerificationReport r = ledger.verifier().verify();
            out.put("intact", r.intact());
            out.put("entries", r.entries());
            out.put("checkpointsVerified", r.checkpointsVerified());
            r.firstBadSeq().ifPresent(s -> out.put("firstBadSeq", s));
            r.reason().ifPresent(s -> out.put("reason", s));
            r.root().ifPresent(h -> out.put("root", h.toString()));
            out.put("warnings", r.warnings());
            AuditEvent.Builder result = AuditEvent.builder(r.intact() ? EventCatalog.AUDIT_VERIFICATION_PASSED
                    : EventCatalog.AUDIT_VERIFICATION_FAILED).actor(actor).detail("size", r.entries());
            r.firstBadSeq().ifPresent(s -> result.detail("seq", s));
            r.reason().ifPresent(result::reason);
            log.record(result);
        } catch (IOException | RuntimeException e) {
            LOG.error("verification of the {} ledger at {} could not run: {}", ledger.kind(), ledger.location(),
                    e.toString());
            out.put("intact", false);
            out.put("reason", "verification could not run: " + e.getMessage());
            log.record(AuditEvent.builder(EventCatalog.AUDIT_VERIFICATION_FAILED).actor(actor)
                    .error(e.getClass().getName()).reason("verification could not run"));
        }
        return out;
    }
}
