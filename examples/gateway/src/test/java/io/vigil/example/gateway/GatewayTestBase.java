package io.vigil.example.gateway;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import io.vigil.AuditLog;
import io.vigil.example.gateway.support.Entry;
import io.vigil.example.gateway.support.GatewayClient;
import io.vigil.example.gateway.support.LedgerAccess;
import io.vigil.example.gateway.support.Reply;
import io.vigil.ledger.VerificationReport;
import io.vigil.logback.LogbackBridge;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every end-to-end test of the running gateway needs: clients, the ledger's entries of a request, and a full
 * verification of the ledger after each test.
 */
abstract class GatewayTestBase {
    /**
     * Cheap password hashes, so that thousands of Basic-authenticated requests stay fast on two cores; the BCrypt
     * cost is the only difference from the shipped configuration.
     */
    static final String TEST_PROPERTIES = "gateway.bcrypt-strength=4";
    static final String LOOPBACK = "127.0.0.1";
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final AtomicInteger USERS = new AtomicInteger();

    @LocalServerPort
    int port;

    @Autowired
    AuditLog auditLog;

    @Autowired
    LogbackBridge logbackBridge;

    /**
     * Logback is one per JVM: a second application context started in the same JVM resets it and attaches its own
     * bridge, and the log lines of this gateway would land in the other one's ledger. The test classes are ordered
     * and close each gateway before the next starts (junit-platform.properties); this says so if that ever breaks.
     */
    @BeforeEach
    void thisGatewaysLogbackBridgeIsAttached() {
        Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(Logger.ROOT_LOGGER_NAME);
        assertThat(logbackBridge.appenders()).as("the Logback bridge of this gateway").isNotEmpty()
                .allSatisfy(a -> assertThat(root.isAttached(a))
                        .as("attached to the root logger (another gateway context took Logback over?)").isTrue());
    }

    /** The ledger the running gateway writes. */
    abstract LedgerAccess ledger();

    GatewayClient client() {
        return new GatewayClient(port);
    }

    /**
     * The entries of a request, once {@code complete} holds for them (entries reach the ledger shortly after the
     * response, through the log's queue).
     */
    List<Entry> entriesOf(Reply reply, Predicate<List<Entry>> complete) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<Entry> found;
        do {
            auditLog.flush(WAIT);
            try {
                found = ledger().entries(reply.requestId());
            } catch (IOException e) {
                throw new AssertionError("reading the ledger failed", e);
            }
            if (complete.test(found)) {
                return found;
            }
            sleep(50);
        } while (System.nanoTime() < deadline);
        return found;
    }

    /** The request's entries, once one of each given type is there. */
    List<Entry> entriesOf(Reply reply, String... types) {
        return entriesOf(reply, found -> List.of(types).stream()
                .allMatch(t -> found.stream().anyMatch(e -> e.type().equals(t))));
    }

    /** The request's entries after the log has drained; for requests that must leave none of some kind. */
    List<Entry> settledEntriesOf(Reply reply) {
        auditLog.flush(WAIT);
        sleep(150);
        return entriesOf(reply, found -> true);
    }

    /** The one entry of {@code type} among {@code entries}; fails when there is none or more than one. */
    static Entry only(List<Entry> entries, String type) {
        List<Entry> of = entries.stream().filter(e -> e.type().equals(type)).toList();
        assertThat(of).as("exactly one %s among %s", type, entries).hasSize(1);
        return of.get(0);
    }

    /** Asserts what every entry of a request carries: its request id, the actor and the client's address. */
    static void assertActor(Entry e, Reply reply, String actorId, String ip) {
        assertThat(e.requestId()).as("request id of %s", e).contains(reply.requestId());
        assertThat(e.actorId()).as("actor of %s", e).contains(actorId);
        assertThat(e.actorIp()).as("actor ip of %s", e).contains(ip);
    }

    static void assertTarget(Entry e, String type, String id) {
        assertThat(e.targetType()).as("target type of %s", e).contains(type);
        assertThat(e.targetId()).as("target id of %s", e).contains(id);
    }

    /** A keyed hash of the session id, never the raw id. */
    static void assertHashedSession(Entry e, GatewayClient client) {
        assertThat(e.sessionId()).as("session of %s", e).isPresent();
        assertThat(e.sessionId().get()).startsWith("hmac-sha256:");
        client.sessionId().ifPresent(raw -> assertThat(e.sessionId().get()).doesNotContain(raw));
    }

    /** A fresh user (ROLE_USER) created through the admin API, so that tests never change the shared demo users. */
    NewUser newUser() {
        String name = "user" + USERS.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8);
        String password = "pw-" + UUID.randomUUID();
        Reply r = client().post("/api/admin/users").basic("admin", "admin-password")
                .json(Map.of("username", name, "password", password)).send();
        assertThat(r.status()).as("creating %s: %s", name, r).isEqualTo(201);
        return new NewUser(name, password);
    }

    /** A user the test created, and its password. */
    record NewUser(String name, String password) {
    }

    @AfterEach
    void theLedgerVerifies() throws IOException {
        auditLog.flush(WAIT);
        VerificationReport report = ledger().verify();
        assertThat(report.intact()).as("verification: %s", report).isTrue();
        assertThat(report.entries()).isPositive();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
