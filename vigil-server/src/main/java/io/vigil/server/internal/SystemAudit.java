package io.vigil.server.internal;

import io.vigil.AuditLog;
import io.vigil.PipelineOptions;
import io.vigil.event.Actor;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventCatalog;
import io.vigil.event.EventType;
import io.vigil.event.Target;
import io.vigil.ledger.FileLedger;
import io.vigil.ledger.LedgerOptions;
import io.vigil.ledger.LedgerSink;
import io.vigil.ledger.VerificationReport;
import io.vigil.ledger.checkpoint.SigningKey;
import io.vigil.server.ApiKey;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The server's own audit trail, a ledger of its own ({@code DIR/system}, origin {@code vigil/system}, signed with the
 * server's key): its start and stop, every read of a tenant's events ({@code audit.log.read}, PCI DSS 10.2.1.3),
 * verification runs, API keys created and revoked (seen when the keys file changes, whoever changed it) and rejected
 * keys. Written through an {@link AuditLog}, so it is redacted and chained like any other Vigil log.
 */
public final class SystemAudit implements AutoCloseable {
    private final AuditLog log;
    private final Supplier<List<ApiKey>> keys;
    /** The keys as last seen: id to whether revoked. */
    private final Map<String, Boolean> seen = new LinkedHashMap<>();

    private SystemAudit(AuditLog log, Supplier<List<ApiKey>> keys) {
        this.log = log;
        this.keys = keys;
    }

    /** Opens {@code DIR/system} and records the server's start; the keys present now are the baseline. */
    public static SystemAudit open(Path dir, SigningKey key, Duration checkpointEvery, Supplier<List<ApiKey>> keys)
            throws IOException {
        LedgerOptions options = LedgerOptions.defaults("vigil/system").withSigningKey(key)
                .withCheckpoints(10_000, checkpointEvery);
        AuditLog log = AuditLog.builder().service("vigil-server")
                .pipeline(PipelineOptions.DEFAULT.withShutdownHook(false))
                .sink("system", new LedgerSink(FileLedger.open(dir.resolve("system"), options))).build();
        SystemAudit audit = new SystemAudit(log, keys);
        synchronized (audit) {
            for (ApiKey k : keys.get()) {
                audit.seen.put(k.id(), k.revoked().isPresent());
            }
        }
        return audit;
    }

    private static Actor actor(Principal p) {
        return Actor.api(p.keyId());
    }

    /** A read of a tenant's events, proofs or checkpoints: which key, which route, which filters, how many. */
    public void read(Principal p, String route, Map<String, Object> details) {
        Map<String, Object> all = new LinkedHashMap<>(details);
        all.put("route", route);
        record(AuditEvent.builder(EventCatalog.AUDIT_LOG_READ).actor(actor(p)).tenant(p.tenant())
                .target(Target.of("ledger", p.tenant())).details(all));
    }

    /**
     * A verification run on a tenant's ledger, finished at {@code at} after {@code millis}, and what it found: enough
     * to rebuild the report's summary when the server starts again ({@link Verifications#open}).
     */
    public void verified(Principal p, VerificationReport report, Instant at, long millis) {
        EventType type = report.intact() ? EventCatalog.AUDIT_VERIFICATION_PASSED
                : EventCatalog.AUDIT_VERIFICATION_FAILED;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put(Verifications.SIZE, report.entries());
        details.put(Verifications.CHECKPOINTS, report.checkpointsVerified());
        if (report.firstBadSeq().isPresent()) {
            details.put(Verifications.SEQ, report.firstBadSeq().getAsLong());
        }
        report.root().ifPresent(r -> details.put(Verifications.ROOT, r.hex()));
        details.put(Verifications.WARNINGS, report.warnings());
        details.put(Verifications.MILLIS, millis);
        AuditEvent.Builder b = AuditEvent.builder(type).timestamp(at).actor(actor(p)).tenant(p.tenant())
                .target(Target.of("ledger", p.tenant())).details(details);
        report.reason().ifPresent(b::reason);
        record(b);
    }

    /** A request that presented a key that is not an active one; never the key itself. */
    public void rejected(Optional<String> ip, String route) {
        Actor who = ip.map(i -> Actor.anonymous().withIp(i)).orElse(Actor.anonymous());
        record(AuditEvent.builder(EventCatalog.AUTH_API_KEY_REJECTED).actor(who).detail("route", route));
    }

    /** Records the keys created and revoked since the last look (by {@code vigil keys}, or any other writer). */
    public synchronized void keysChanged() {
        for (ApiKey k : keys.get()) {
            Boolean before = seen.put(k.id(), k.revoked().isPresent());
            if (before == null) {
                recordKey(EventCatalog.AUTH_TOKEN_CREATED, Actor.system(), k);
            }
            if (k.revoked().isPresent() && !Boolean.TRUE.equals(before)) {
                recordKey(EventCatalog.AUTH_TOKEN_REVOKED, Actor.system(), k);
            }
        }
    }

    /** Records a key an admin key made over the API, with that key as the actor; the next look will not again. */
    public synchronized void keyCreated(Principal by, ApiKey k) {
        seen.put(k.id(), false);
        recordKey(EventCatalog.AUTH_TOKEN_CREATED, actor(by), k);
    }

    /** Records a key an admin key revoked over the API, with that key as the actor. */
    public synchronized void keyRevoked(Principal by, ApiKey k) {
        if (!Boolean.TRUE.equals(seen.put(k.id(), true))) {
            recordKey(EventCatalog.AUTH_TOKEN_REVOKED, actor(by), k);
        }
    }

    private void recordKey(EventType type, Actor actor, ApiKey k) {
        record(AuditEvent.builder(type).actor(actor).tenant(k.tenant()).target(Target.of("api_key", k.id()))
                .details(Map.of("scopes", k.scopes().stream().map(s -> s.label()).toList(), "name",
                        k.name().orElse(""))));
    }

    private void record(AuditEvent.Builder event) {
        log.record(event);
    }

    /** Waits until everything recorded so far is written. */
    public boolean flush(Duration timeout) {
        return log.flush(timeout);
    }

    /** Records the stop and closes the system ledger with a final checkpoint. */
    @Override
    public void close() {
        log.close();
    }
}
