package io.vigil.example.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.example.gateway.security.AuthorizationServerConfiguration;
import io.vigil.example.gateway.support.Entry;
import io.vigil.example.gateway.support.GatewayClient;
import io.vigil.example.gateway.support.Reply;
import io.vigil.example.gateway.support.Secrets;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every security flow of the gateway over real HTTP, each with its success, its failure and its denial where it has
 * one, asserting the exact ledger entries the request left (type, outcome, actor, client address, request id, session,
 * target), and after each test that the whole ledger verifies against the signer's public key. Run once per store.
 * The last test searches the stored ledger for every secret the tests used.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class GatewayFlowsTest extends GatewayTestBase {
    static final String CLIENT_ID = "gateway-client";
    static final String CLIENT_SECRET = "gateway-secret";

    // ---- form login, sessions, logout --------------------------------------------------------------------------

    @Test
    void aFormLoginSucceedsAndIsRecordedWithItsHashedSession() {
        GatewayClient alice = client();
        Reply login = alice.formLogin("alice", "alice-password");

        assertThat(login.status()).as("%s", login).isEqualTo(302);
        assertThat(login.header("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/"));
        List<Entry> entries = entriesOf(login, "auth.login.success");
        Entry success = only(entries, "auth.login.success");
        assertThat(success.outcome()).isEqualTo("success");
        assertActor(success, login, "alice", LOOPBACK);
        assertHashedSession(success, alice);
        assertThat(entries).noneMatch(e -> e.type().equals("auth.login.failure"));

        Reply home = alice.get("/").send();
        assertThat(home.status()).isEqualTo(200);
        assertThat(home.body()).contains("alice");
    }

    @Test
    void aFormLoginWithAWrongPasswordFails() {
        GatewayClient c = client();
        Reply login = c.formLogin("alice", "not-alices-password");

        assertThat(login.status()).isEqualTo(302);
        assertThat(login.header("Location")).hasValueSatisfying(l -> assertThat(l).contains("/login?error"));
        List<Entry> entries = entriesOf(login, "auth.login.failure");
        Entry failure = only(entries, "auth.login.failure");
        assertThat(failure.outcome()).isEqualTo("failure");
        assertActor(failure, login, "alice", LOOPBACK);
        assertThat(entries).noneMatch(e -> e.type().equals("auth.login.success"));
        Secrets.add("not-alices-password");
    }

    /**
     * The detectors run in the gateway: five failed logins for one account within the window are a brute force
     * finding, the gateway's AccountLocker locks the account, and the lock is recorded after the findings, all in the
     * same ledger; the right password is refused from then on.
     */
    @Test
    void fiveFailedLoginsAreDetectedAndLockTheAccount() throws Exception {
        NewUser u = newUser();
        for (int i = 0; i < 5; i++) {
            Reply wrong = client().get("/api/me").basic(u.name(), "wrong-password-" + i).send();
            assertThat(wrong.status()).isEqualTo(401);
        }
        // Findings and the lock belong to no request: they are found by their account, once written.
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<Entry> ofAccount;
        do {
            auditLog.flush(Duration.ofSeconds(10));
            ofAccount = ledger().entries().stream().filter(e -> e.actorId().equals(Optional.of(u.name())))
                    .toList();
        } while (ofAccount.stream().noneMatch(e -> e.type().equals("auth.account.locked"))
                && System.nanoTime() < deadline && sleepBriefly());
        assertThat(ofAccount).extracting(Entry::type)
                .containsSubsequence("auth.login.failure", "security.brute.force.detected", "auth.account.locked")
                .containsSubsequence("auth.login.failure", "auth.login.failure_limit_reached");
        Entry finding = only(ofAccount, "security.brute.force.detected");
        assertThat(finding.detail("triggeringEventIds")).hasValueSatisfying(ids -> assertThat(ids).hasSize(5));
        Entry lock = only(ofAccount, "auth.account.locked");
        assertThat(lock.reason()).contains("brute_force");

        Reply locked = client().get("/api/me").basic(u.name(), u.password()).send();
        assertThat(locked.status()).as("the right password, after the lock").isEqualTo(401);
        Entry refused = only(entriesOf(locked, "auth.login.failure"), "auth.login.failure");
        assertActor(refused, locked, u.name(), LOOPBACK);
    }

    private static boolean sleepBriefly() {
        sleep(50);
        return true;
    }

    @Test
    void lockedAndDisabledAccountsAreRefusedAndSaySo() {
        for (String user : List.of("locked", "disabled")) {
            Reply login = client().formLogin(user, user + "-password");

            assertThat(login.status()).isEqualTo(302);
            assertThat(login.header("Location")).hasValueSatisfying(l -> assertThat(l).contains("/login?error"));
            Entry failure = only(entriesOf(login, "auth.login.failure"), "auth.login.failure");
            assertThat(failure.outcome()).isEqualTo("failure");
            assertActor(failure, login, user, LOOPBACK);
            assertThat(failure.json().toString()).as("why %s was refused", user).contains(user);
        }
    }

    @Test
    void anAnonymousPageRequestIsDeniedThenSentToTheLoginForm() {
        Reply home = client().get("/").header("Accept", "text/html").send();

        assertThat(home.status()).isEqualTo(302);
        assertThat(home.header("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/login"));
        Entry denied = only(entriesOf(home, "authz.access.denied"), "authz.access.denied");
        assertThat(denied.outcome()).isEqualTo("denied");
        assertThat(denied.requestId()).contains(home.requestId());
        assertThat(denied.actorType()).contains("anonymous");
        assertThat(denied.actorIp()).contains(LOOPBACK);
        assertThat(denied.detail("anonymous").map(JsonNode::asBoolean)).contains(true);
    }

    @Test
    void aLoginWithoutTheCsrfTokenIsRefusedAndSignsNobodyIn() {
        GatewayClient c = client();
        c.csrfFromLoginPage();
        Reply login = c.post("/login").form(Map.of("username", "alice", "password", "alice-password")).send();

        assertThat(login.status()).isEqualTo(403);
        assertThat(settledEntriesOf(login)).noneMatch(e -> e.type().equals("auth.login.success"));
        assertThat(c.get("/api/me").send().status()).isEqualTo(401);
    }

    @Test
    void logoutEndsTheSessionAndOnlyWithTheCsrfToken() {
        GatewayClient alice = client();
        assertThat(alice.formLogin("alice", "alice-password").status()).isEqualTo(302);

        Reply forged = alice.post("/logout").send();
        assertThat(forged.status()).as("a logout without the CSRF token").isEqualTo(403);
        assertThat(settledEntriesOf(forged)).noneMatch(e -> e.type().equals("auth.logout"));
        assertThat(alice.get("/api/me").send().status()).as("still signed in").isEqualTo(200);

        String csrf = GatewayClient.csrfIn(alice.get("/logout").send().body());
        Reply logout = alice.post("/logout").header("Accept", "text/html").form(Map.of("_csrf", csrf)).send();
        assertThat(logout.status()).isEqualTo(302);
        assertThat(logout.header("Location")).hasValueSatisfying(l -> assertThat(l).contains("/login?logout"));
        Entry out = only(entriesOf(logout, "auth.logout"), "auth.logout");
        assertThat(out.outcome()).isEqualTo("success");
        assertActor(out, logout, "alice", LOOPBACK);
        assertThat(out.sessionId()).hasValueSatisfying(s -> assertThat(s).startsWith("hmac-sha256:"));

        assertThat(alice.get("/api/me").send().status()).as("signed out").isEqualTo(401);
    }

    // ---- the API with HTTP Basic and a session ----------------------------------------------------------------

    @Test
    void basicAuthenticationOnTheApiSucceedsQuietlyFailsLoudlyAndAnonymousIsDenied() {
        Reply me = client().get("/api/me").basic("alice", "alice-password").send();
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().path("username").asText()).isEqualTo("alice");
        assertThat(me.header("X-Request-Id")).as("the request id is echoed").contains(me.requestId());
        // stateless successes (one per request) are off by default
        assertThat(settledEntriesOf(me)).noneMatch(e -> e.type().startsWith("auth.login"));

        Reply wrong = client().get("/api/me").basic("alice", "wrong-password-1").send();
        assertThat(wrong.status()).isEqualTo(401);
        Entry failure = only(entriesOf(wrong, "auth.login.failure"), "auth.login.failure");
        assertThat(failure.outcome()).isEqualTo("failure");
        assertActor(failure, wrong, "alice", LOOPBACK);

        Reply anonymous = client().get("/api/me").send();
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.header("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h).contains("Basic"));
        Entry denied = only(entriesOf(anonymous, "authz.access.denied"), "authz.access.denied");
        assertThat(denied.outcome()).isEqualTo("denied");
        assertThat(denied.actorType()).contains("anonymous");
        assertThat(denied.detail("anonymous").map(JsonNode::asBoolean)).contains(true);
    }

    @Test
    void theClientAddressComesFromXForwardedForBecauseLoopbackIsATrustedProxy() {
        Reply wrong = client().get("/api/me").basic("bob", "wrong-password-2")
                .header("X-Forwarded-For", "203.0.113.7").send();

        assertThat(wrong.status()).isEqualTo(401);
        Entry failure = only(entriesOf(wrong, "auth.login.failure"), "auth.login.failure");
        assertActor(failure, wrong, "bob", "203.0.113.7");
    }

    @Test
    void theApiAcceptsTheBrowserSession() {
        GatewayClient bob = client();
        assertThat(bob.formLogin("bob", "bob-password").status()).isEqualTo(302);

        Reply me = bob.get("/api/me").send();
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().path("username").asText()).isEqualTo("bob");
    }

    // ---- reports: method security and data access -------------------------------------------------------------

    @Test
    void theOwnerReadsAndExportsTheirReport() {
        GatewayClient alice = client();
        assertThat(alice.formLogin("alice", "alice-password").status()).isEqualTo(302);

        Reply read = alice.get("/api/reports/r-alice-1").send();
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json().path("owner").asText()).isEqualTo("alice");
        List<Entry> readEntries = entriesOf(read, "data.read");
        assertThat(readEntries).as("an owner's read is not privileged").extracting(Entry::type)
                .containsExactly("data.read");
        Entry r = only(readEntries, "data.read");
        assertThat(r.outcome()).isEqualTo("success");
        assertActor(r, read, "alice", LOOPBACK);
        assertTarget(r, "report", "r-alice-1");
        assertHashedSession(r, alice);

        Reply export = alice.get("/api/reports/r-alice-1/export").send();
        assertThat(export.status()).isEqualTo(200);
        assertThat(export.body()).startsWith("id,owner");
        Entry x = only(entriesOf(export, "data.export"), "data.export");
        assertThat(x.outcome()).isEqualTo("success");
        assertActor(x, export, "alice", LOOPBACK);
        assertTarget(x, "report", "r-alice-1");
        assertThat(x.detail("format").map(JsonNode::asText)).contains("csv");
    }

    @Test
    void anotherUsersReportIsDeniedAndRecordedAsADeniedRead() {
        Reply read = client().get("/api/reports/r-alice-1").basic("bob", "bob-password").send();
        assertThat(read.status()).isEqualTo(403);
        List<Entry> entries = entriesOf(read, "data.read", "authz.access.denied");
        assertThat(entries).extracting(Entry::type).containsExactly("authz.access.denied", "data.read");
        Entry r = only(entries, "data.read");
        assertThat(r.outcome()).isEqualTo("denied");
        assertActor(r, read, "bob", LOOPBACK);
        assertTarget(r, "report", "r-alice-1");
        // method security's own record of the decision: which method, and what it required
        Entry decision = only(entries, "authz.access.denied");
        assertThat(decision.outcome()).isEqualTo("denied");
        assertActor(decision, read, "bob", LOOPBACK);
        assertThat(decision.targetType()).contains("method");
        assertThat(decision.targetId()).hasValueSatisfying(id -> assertThat(id).contains("ReportService.read"));
        assertThat(decision.detail("required").map(JsonNode::asText))
                .hasValueSatisfying(req -> assertThat(req).contains("isOwner"));

        Reply export = client().get("/api/reports/r-alice-1/export").basic("bob", "bob-password").send();
        assertThat(export.status()).isEqualTo(403);
        Entry x = only(entriesOf(export, "data.export"), "data.export");
        assertThat(x.outcome()).isEqualTo("denied");
        assertActor(x, export, "bob", LOOPBACK);
        assertTarget(x, "report", "r-alice-1");
    }

    @Test
    void anAdminReadsAnyReportAsAPrivilegedReadAndAMissingOneIsAFailure() {
        Reply read = client().get("/api/reports/r-bob-1").basic("admin", "admin-password").send();
        assertThat(read.status()).isEqualTo(200);
        List<Entry> entries = entriesOf(read, "data.read", "authz.access.granted");
        assertThat(entries).extracting(Entry::type).containsExactly("authz.access.granted", "data.read");
        Entry r = only(entries, "data.read");
        assertThat(r.outcome()).isEqualTo("success");
        assertActor(r, read, "admin", LOOPBACK);
        assertTarget(r, "report", "r-bob-1");
        Entry privileged = only(entries, "authz.access.granted");
        assertActor(privileged, read, "admin", LOOPBACK);
        assertThat(privileged.detail("privileged").map(JsonNode::asBoolean)).contains(true);
        assertThat(privileged.targetId()).hasValueSatisfying(id -> assertThat(id).contains("ReportService.read"));

        Reply missing = client().get("/api/reports/r-nobody-9").basic("admin", "admin-password").send();
        assertThat(missing.status()).isEqualTo(404);
        Entry m = only(entriesOf(missing, "data.read"), "data.read");
        assertThat(m.outcome()).isEqualTo("failure");
        assertActor(m, missing, "admin", LOOPBACK);
        assertTarget(m, "report", "r-nobody-9");

        Reply missingExport = client().get("/api/reports/r-nobody-9/export").basic("admin", "admin-password").send();
        assertThat(missingExport.status()).isEqualTo(404);
        Entry x = only(entriesOf(missingExport, "data.export"), "data.export");
        assertThat(x.outcome()).isEqualTo("failure");
        assertActor(x, missingExport, "admin", LOOPBACK);
        assertTarget(x, "report", "r-nobody-9");
    }

    // ---- admin API ------------------------------------------------------------------------------------------

    @Test
    void anAdminCreatesAUserOnceAndOthersMayNot() {
        String name = "created-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> body = Map.of("username", name, "password", "a-long-password-1", "roles", List.of("USER"));
        Secrets.add("a-long-password-1");

        Reply created = client().post("/api/admin/users").basic("admin", "admin-password").json(body).send();
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        assertThat(created.json().path("username").asText()).isEqualTo(name);
        List<Entry> entries = entriesOf(created, "admin.user.created", "authz.access.granted");
        Entry c = only(entries, "admin.user.created");
        assertThat(c.outcome()).isEqualTo("success");
        assertActor(c, created, "admin", LOOPBACK);
        assertTarget(c, "user", name);
        Entry granted = only(entries, "authz.access.granted");
        assertThat(granted.outcome()).as("a privileged access is recorded").isEqualTo("success");
        assertActor(granted, created, "admin", LOOPBACK);

        Reply again = client().post("/api/admin/users").basic("admin", "admin-password").json(body).send();
        assertThat(again.status()).isEqualTo(409);
        Entry dup = only(entriesOf(again, "admin.user.created"), "admin.user.created");
        assertThat(dup.outcome()).isEqualTo("failure");
        assertActor(dup, again, "admin", LOOPBACK);
        assertTarget(dup, "user", name);

        Reply denied = client().post("/api/admin/users").basic("alice", "alice-password").json(body).send();
        assertThat(denied.status()).isEqualTo(403);
        List<Entry> deniedEntries = entriesOf(denied, "authz.access.denied");
        Entry d = only(deniedEntries, "authz.access.denied");
        assertThat(d.outcome()).isEqualTo("denied");
        assertActor(d, denied, "alice", LOOPBACK);
        assertThat(d.json().path("target").toString()).contains("/api/admin/users");
        assertThat(deniedEntries).noneMatch(e -> e.type().startsWith("admin."));
    }

    @Test
    void anAdminListsTheUsersWithoutTheirPasswordsAndOthersMayNot() {
        Reply list = client().get("/api/admin/users").basic("admin", "admin-password").send();
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().findValuesAsText("username")).contains("alice", "bob", "admin", "locked", "disabled");
        assertThat(list.body()).doesNotContain("password").doesNotContain("$2a$");
        Entry granted = only(entriesOf(list, "authz.access.granted"), "authz.access.granted");
        assertActor(granted, list, "admin", LOOPBACK);
        assertThat(granted.detail("privileged").map(JsonNode::asBoolean)).contains(true);

        Reply denied = client().get("/api/admin/users").basic("alice", "alice-password").send();
        assertThat(denied.status()).isEqualTo(403);
        Entry d = only(entriesOf(denied, "authz.access.denied"), "authz.access.denied");
        assertActor(d, denied, "alice", LOOPBACK);
        assertThat(d.targetId()).hasValueSatisfying(t -> assertThat(t).contains("/api/admin/users"));
    }

    @Test
    void aSuspendedUserCanNoLongerSignIn() {
        NewUser u = newUser();
        assertThat(client().get("/api/me").basic(u.name(), u.password()).send().status()).isEqualTo(200);

        Reply denied = client().post("/api/admin/users/" + u.name() + "/suspend").basic("bob", "bob-password").send();
        assertThat(denied.status()).isEqualTo(403);
        assertThat(only(entriesOf(denied, "authz.access.denied"), "authz.access.denied").actorId()).contains("bob");

        Reply suspend = client().post("/api/admin/users/" + u.name() + "/suspend").basic("admin", "admin-password")
                .send();
        assertThat(suspend.status()).isEqualTo(200);
        assertThat(suspend.json().path("enabled").asBoolean()).isFalse();
        Entry s = only(entriesOf(suspend, "admin.user.suspended"), "admin.user.suspended");
        assertThat(s.outcome()).isEqualTo("success");
        assertActor(s, suspend, "admin", LOOPBACK);
        assertTarget(s, "user", u.name());

        Reply refused = client().get("/api/me").basic(u.name(), u.password()).send();
        assertThat(refused.status()).isEqualTo(401);
        Entry f = only(entriesOf(refused, "auth.login.failure"), "auth.login.failure");
        assertActor(f, refused, u.name(), LOOPBACK);

        Reply unknown = client().post("/api/admin/users/nobody-here/suspend").basic("admin", "admin-password").send();
        assertThat(unknown.status()).isEqualTo(404);
        Entry n = only(entriesOf(unknown, "admin.user.suspended"), "admin.user.suspended");
        assertThat(n.outcome()).isEqualTo("failure");
        assertTarget(n, "user", "nobody-here");
    }

    @Test
    void anAdminDeletesAUser() {
        NewUser u = newUser();

        Reply denied = client().delete("/api/admin/users/" + u.name()).basic(u.name(), u.password()).send();
        assertThat(denied.status()).isEqualTo(403);
        assertThat(only(entriesOf(denied, "authz.access.denied"), "authz.access.denied").actorId()).contains(u.name());

        Reply deleted = client().delete("/api/admin/users/" + u.name()).basic("admin", "admin-password").send();
        assertThat(deleted.status()).isEqualTo(204);
        Entry d = only(entriesOf(deleted, "admin.user.deleted"), "admin.user.deleted");
        assertThat(d.outcome()).isEqualTo("success");
        assertActor(d, deleted, "admin", LOOPBACK);
        assertTarget(d, "user", u.name());

        Reply again = client().delete("/api/admin/users/" + u.name()).basic("admin", "admin-password").send();
        assertThat(again.status()).isEqualTo(404);
        Entry a = only(entriesOf(again, "admin.user.deleted"), "admin.user.deleted");
        assertThat(a.outcome()).isEqualTo("failure");
        assertTarget(a, "user", u.name());

        assertThat(client().get("/api/me").basic(u.name(), u.password()).send().status()).isEqualTo(401);
    }

    @Test
    void aSettingsChangeIsAuditedBeforeItHappensWithTheSecretValueMasked() {
        String secret = "smtp-" + UUID.randomUUID();
        Secrets.add(secret);
        Reply changed = client().put("/api/admin/settings").basic("admin", "admin-password")
                .json(Map.of("smtpPassword", secret, "maintenanceMode", "true")).send();

        assertThat(changed.status()).as("%s", changed).isEqualTo(200);
        assertThat(changed.json().path("maintenanceMode").asText()).isEqualTo("true");
        assertThat(changed.body()).doesNotContain(secret);
        List<Entry> entries = entriesOf(changed, "audit.action.attempted", "admin.settings.changed");
        Entry attempt = only(entries, "audit.action.attempted");
        Entry change = only(entries, "admin.settings.changed");
        assertThat(attempt.seq()).as("audit before act").isLessThan(change.seq());
        assertThat(attempt.detail("type").map(JsonNode::asText)).contains("admin.settings.changed");
        assertThat(change.detail("attemptId").map(JsonNode::asText)).contains(attempt.text("id").orElseThrow());
        assertThat(change.outcome()).isEqualTo("success");
        assertActor(change, changed, "admin", LOOPBACK);
        assertTarget(change, "settings", "gateway");
        assertThat(change.detail("changes", "smtpPassword").map(JsonNode::asText)).contains("[REDACTED]");
        assertThat(change.detail("changes", "maintenanceMode").map(JsonNode::asText)).contains("true");
        assertThat(entries.toString()).doesNotContain(secret);

        Reply empty = client().put("/api/admin/settings").basic("admin", "admin-password").json(Map.of()).send();
        assertThat(empty.status()).isEqualTo(400);
        Entry failed = only(entriesOf(empty, "admin.settings.changed"), "admin.settings.changed");
        assertThat(failed.outcome()).isEqualTo("failure");

        Reply denied = client().put("/api/admin/settings").basic("alice", "alice-password")
                .json(Map.of("maintenanceMode", "false")).send();
        assertThat(denied.status()).isEqualTo(403);
        List<Entry> deniedEntries = entriesOf(denied, "authz.access.denied");
        assertThat(only(deniedEntries, "authz.access.denied").actorId()).contains("alice");
        assertThat(deniedEntries).noneMatch(e -> e.type().equals("audit.action.attempted"));
        Reply now = client().get("/api/admin/settings").basic("admin", "admin-password").send();
        assertThat(now.json().path("maintenanceMode").asText()).as("alice changed nothing").isEqualTo("true");
    }

    // ---- passwords --------------------------------------------------------------------------------------------

    @Test
    void aUserChangesTheirPasswordOnlyWithTheCurrentOne() {
        NewUser u = newUser();
        String next = "next-" + UUID.randomUUID();
        Secrets.add(next);

        Reply wrong = client().post("/api/password").basic(u.name(), u.password())
                .json(Map.of("current", "not-the-password", "new", next)).send();
        assertThat(wrong.status()).isEqualTo(400);
        Entry failed = only(entriesOf(wrong, "auth.password.change_failed"), "auth.password.change_failed");
        assertThat(failed.outcome()).isEqualTo("failure");
        assertActor(failed, wrong, u.name(), LOOPBACK);
        assertTarget(failed, "user", u.name());

        Reply anonymous = client().post("/api/password").json(Map.of("current", u.password(), "new", next)).send();
        assertThat(anonymous.status()).isEqualTo(401);
        List<Entry> anonymousEntries = entriesOf(anonymous, "authz.access.denied");
        assertThat(only(anonymousEntries, "authz.access.denied").actorType()).contains("anonymous");
        assertThat(anonymousEntries).noneMatch(e -> e.type().startsWith("auth.password"));

        Reply changed = client().post("/api/password").basic(u.name(), u.password())
                .json(Map.of("current", u.password(), "new", next)).send();
        assertThat(changed.status()).isEqualTo(204);
        Entry c = only(entriesOf(changed, "auth.password.changed"), "auth.password.changed");
        assertThat(c.outcome()).isEqualTo("success");
        assertActor(c, changed, u.name(), LOOPBACK);
        assertTarget(c, "user", u.name());

        assertThat(client().get("/api/me").basic(u.name(), u.password()).send().status()).isEqualTo(401);
        assertThat(client().get("/api/me").basic(u.name(), next).send().status()).isEqualTo(200);
    }

    @Test
    void aPasswordResetRequestIsRecordedThroughTheLogbackBridge() {
        Reply reset = client().post("/api/password-reset").json(Map.of("username", "bob")).send();

        assertThat(reset.status()).isEqualTo(202);
        Entry r = only(entriesOf(reset, "auth.password.reset.requested"), "auth.password.reset.requested");
        assertThat(r.outcome()).isEqualTo("success");
        assertThat(r.requestId()).contains(reset.requestId());
        assertThat(r.actorIp()).contains(LOOPBACK);
        assertTarget(r, "user", "bob");
        assertThat(r.reason()).contains("password reset requested");

        Reply malformed = client().post("/api/password-reset").json(Map.of("user", "bob")).send();
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(settledEntriesOf(malformed)).noneMatch(e -> e.type().equals("auth.password.reset.requested"));
    }

    // ---- rate limiting ------------------------------------------------------------------------------------------

    @Test
    void theSixthSearchWithinTenSecondsIsRateLimited() {
        NewUser u = newUser();
        GatewayClient c = client();
        for (int i = 0; i < 5; i++) {
            Reply ok = c.get("/api/search?q=q3").basic(u.name(), u.password()).send();
            assertThat(ok.status()).as("search %d", i + 1).isEqualTo(200);
            assertThat(settledEntriesOf(ok)).noneMatch(e -> e.type().startsWith("rate_limit"));
        }
        Reply limited = c.get("/api/search?q=q3").basic(u.name(), u.password()).send();

        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.header("Retry-After")).hasValueSatisfying(s -> assertThat(Integer.parseInt(s))
                .isBetween(1, 10));
        Entry r = only(entriesOf(limited, "rate_limit.request.limited"), "rate_limit.request.limited");
        assertThat(r.outcome()).isEqualTo("denied");
        assertActor(r, limited, u.name(), LOOPBACK);
        assertThat(r.detail("retryAfterMs").map(JsonNode::asLong)).hasValueSatisfying(ms -> assertThat(ms)
                .isBetween(1L, 10_000L));

        Reply anonymous = client().get("/api/search?q=q3").send();
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(settledEntriesOf(anonymous)).noneMatch(e -> e.type().startsWith("rate_limit"));
    }

    // ---- API tokens -------------------------------------------------------------------------------------------

    @Test
    void onlyASignedInUserGetsAnApiToken() {
        Reply anonymous = client().post("/api/tokens").send();
        assertThat(anonymous.status()).isEqualTo(401);
        List<Entry> entries = entriesOf(anonymous, "authz.access.denied");
        assertThat(only(entries, "authz.access.denied").actorType()).contains("anonymous");
        assertThat(entries).noneMatch(e -> e.type().startsWith("auth.token"));

        Reply wrong = client().post("/api/tokens").basic("bob", "wrong-password-6").send();
        assertThat(wrong.status()).isEqualTo(401);
        List<Entry> wrongEntries = entriesOf(wrong, "auth.login.failure");
        assertActor(only(wrongEntries, "auth.login.failure"), wrong, "bob", LOOPBACK);
        assertThat(wrongEntries).noneMatch(e -> e.type().startsWith("auth.token"));
    }

    @Test
    void anApiTokensLifeIsFollowedByItsHashFromCreationToReuse() {
        Reply issued = client().post("/api/tokens").basic("alice", "alice-password").send();
        assertThat(issued.status()).isEqualTo(201);
        String id = issued.json().path("id").asText();
        String token = issued.json().path("token").asText();
        Entry created = only(entriesOf(issued, "auth.token.created"), "auth.token.created");
        assertThat(created.outcome()).isEqualTo("success");
        assertActor(created, issued, "alice", LOOPBACK);
        String hash = created.detail("tokenHash").map(JsonNode::asText).orElseThrow();
        assertThat(hash).startsWith("hmac-sha256:").doesNotContain(token);
        assertThat(created.json().toString()).contains(id);

        Reply used = client().get("/api/me").bearer(token).send();
        assertThat(used.status()).isEqualTo(200);
        assertThat(used.json().path("username").asText()).isEqualTo("alice");
        Entry use = only(entriesOf(used, "auth.token.used"), "auth.token.used");
        assertThat(use.outcome()).isEqualTo("success");
        assertThat(use.requestId()).contains(used.requestId());
        assertThat(use.detail("tokenHash").map(JsonNode::asText)).contains(hash);

        Reply notBobs = client().delete("/api/tokens/" + id).basic("bob", "bob-password").send();
        assertThat(notBobs.status()).isEqualTo(403);
        List<Entry> notBobsEntries = entriesOf(notBobs, "authz.access.denied");
        Entry notBobs1 = only(notBobsEntries, "authz.access.denied");
        assertActor(notBobs1, notBobs, "bob", LOOPBACK);
        assertThat(notBobs1.targetId()).hasValueSatisfying(t -> assertThat(t).contains("ApiTokens.revoke"));
        assertThat(notBobsEntries).noneMatch(e -> e.type().equals("auth.token.revoked"));
        assertThat(client().get("/api/me").bearer(token).send().status()).as("still valid").isEqualTo(200);

        Reply revoked = client().delete("/api/tokens/" + id).basic("alice", "alice-password").send();
        assertThat(revoked.status()).isEqualTo(204);
        Entry rev = only(entriesOf(revoked, "auth.token.revoked"), "auth.token.revoked");
        assertActor(rev, revoked, "alice", LOOPBACK);
        assertThat(rev.detail("tokenHash").map(JsonNode::asText)).contains(hash);

        Reply reused = client().get("/api/me").bearer(token).send();
        assertThat(reused.status()).isEqualTo(401);
        List<Entry> reuseEntries = entriesOf(reused, "auth.token.reused");
        Entry reuse = only(reuseEntries, "auth.token.reused");
        assertThat(reuse.requestId()).contains(reused.requestId());
        assertThat(reuse.actorIp()).contains(LOOPBACK);
        assertThat(reuse.detail("tokenHash").map(JsonNode::asText)).contains(hash);
        assertThat(reuseEntries).noneMatch(e -> e.type().equals("auth.token.used"));

        Reply unknown = client().get("/api/me").bearer("gw_" + UUID.randomUUID()).send();
        assertThat(unknown.status()).isEqualTo(401);
        Entry rejected = only(entriesOf(unknown, "auth.token.rejected"), "auth.token.rejected");
        assertThat(rejected.outcome()).isNotEqualTo("success");
        assertThat(rejected.detail("tokenHash").map(JsonNode::asText)).hasValueSatisfying(h ->
                assertThat(h).startsWith("hmac-sha256:").isNotEqualTo(hash));
    }

    // ---- the OAuth2 Authorization Server ----------------------------------------------------------------------

    @Test
    void clientCredentialsIssueATokenThatTheApiTakesUntilItIsRevoked() {
        Reply token = tokenRequest(Map.of("grant_type", "client_credentials", "scope", "api"), CLIENT_SECRET);
        assertThat(token.status()).as("%s", token).isEqualTo(200);
        String access = token.json().path("access_token").asText();
        Entry created = only(entriesOf(token, "auth.token.created"), "auth.token.created");
        assertThat(created.outcome()).isEqualTo("success");
        assertThat(created.requestId()).contains(token.requestId());
        assertThat(created.json().toString()).contains(CLIENT_ID).contains("client_credentials");
        String hash = created.detail("tokenHash").map(JsonNode::asText).orElseThrow();

        Reply me = client().get("/api/me").bearer(access).send();
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().path("username").asText()).isEqualTo(CLIENT_ID);
        assertThat(me.json().path("authorities").toString()).contains("SCOPE_api");

        Reply revoke = client().post("/oauth2/revoke").basic(CLIENT_ID, CLIENT_SECRET)
                .form(Map.of("token", access, "token_type_hint", "access_token")).send();
        assertThat(revoke.status()).isEqualTo(200);
        Entry revoked = only(entriesOf(revoke, "auth.token.revoked"), "auth.token.revoked");
        assertThat(revoked.detail("tokenHash").map(JsonNode::asText)).contains(hash);

        assertThat(client().get("/api/me").bearer(access).send().status()).isEqualTo(401);
    }

    @Test
    void aWrongClientSecretIsAFailedClientAuthentication() {
        Secrets.add("not-the-gateway-secret");
        Reply token = tokenRequest(Map.of("grant_type", "client_credentials", "scope", "api"),
                "not-the-gateway-secret");

        assertThat(token.status()).isEqualTo(401);
        assertThat(token.json().path("error").asText()).isEqualTo("invalid_client");
        Entry failure = only(entriesOf(token, "auth.login.failure"), "auth.login.failure");
        assertThat(failure.outcome()).isEqualTo("failure");
        assertActor(failure, token, CLIENT_ID, LOOPBACK);
        assertThat(entriesOf(token, found -> true)).noneMatch(e -> e.type().equals("auth.token.created"));
    }

    @Test
    void theAuthorizationCodeFlowRefreshesRotatesAndCatchesReuse() throws Exception {
        GatewayClient alice = client();
        String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(
                UUID.randomUUID().toString().repeat(2).getBytes(StandardCharsets.US_ASCII));
        String authorizePath = "/oauth2/authorize?response_type=code&client_id=" + CLIENT_ID + "&scope=api&state=xyz"
                + "&redirect_uri=" + URLEncoder.encode(AuthorizationServerConfiguration.REDIRECT_URI, StandardCharsets.UTF_8)
                + "&code_challenge=" + challenge(verifier) + "&code_challenge_method=S256";

        Reply anonymous = alice.get(authorizePath).header("Accept", "text/html").send();
        assertThat(anonymous.status()).as("not signed in: to the login form").isEqualTo(302);
        assertThat(anonymous.header("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/login"));

        Reply login = alice.formLogin("alice", "alice-password");
        assertThat(login.header("Location")).as("back to the authorization request")
                .hasValueSatisfying(l -> assertThat(l).contains("/oauth2/authorize"));
        Reply authorize = alice.get(authorizePath).send();
        assertThat(authorize.status()).as("%s", authorize).isEqualTo(302);
        String location = authorize.header("Location").orElseThrow();
        assertThat(location).startsWith(AuthorizationServerConfiguration.REDIRECT_URI).contains("state=xyz");
        Matcher m = Pattern.compile("[?&]code=([^&]+)").matcher(location);
        assertThat(m.find()).as("a code in %s", location).isTrue();
        String code = m.group(1);

        Map<String, String> exchange = Map.of("grant_type", "authorization_code", "code", code,
                "redirect_uri", AuthorizationServerConfiguration.REDIRECT_URI, "code_verifier", verifier);
        Reply tokens = tokenRequest(exchange, CLIENT_SECRET);
        assertThat(tokens.status()).as("%s", tokens).isEqualTo(200);
        String access = tokens.json().path("access_token").asText();
        String refresh = tokens.json().path("refresh_token").asText();
        assertThat(refresh).isNotBlank();
        Entry created = only(entriesOf(tokens, "auth.token.created"), "auth.token.created");
        assertThat(created.json().toString()).contains("authorization_code");

        Reply me = client().get("/api/me").bearer(access).send();
        assertThat(me.json().path("username").asText()).as("the token acts for alice").isEqualTo("alice");

        Reply refreshed = tokenRequest(Map.of("grant_type", "refresh_token", "refresh_token", refresh), CLIENT_SECRET);
        assertThat(refreshed.status()).as("%s", refreshed).isEqualTo(200);
        assertThat(refreshed.json().path("refresh_token").asText()).as("rotated").isNotEqualTo(refresh);
        Entry r = only(entriesOf(refreshed, "auth.token.refreshed"), "auth.token.refreshed");
        assertThat(r.outcome()).isEqualTo("success");
        assertThat(r.requestId()).contains(refreshed.requestId());

        Reply stale = tokenRequest(Map.of("grant_type", "refresh_token", "refresh_token", refresh), CLIENT_SECRET);
        assertThat(stale.status()).as("the rotated-out refresh token").isEqualTo(400);
        assertThat(stale.json().path("error").asText()).isEqualTo("invalid_grant");
        List<Entry> staleEntries = entriesOf(stale, found -> found.stream().anyMatch(e -> !e.outcome().equals("success")));
        assertThat(staleEntries).as("a refused refresh").anySatisfy(e -> {
            assertThat(e.type()).startsWith("auth.token");
            assertThat(e.outcome()).isIn("failure", "denied");
        });
        assertThat(staleEntries).noneMatch(e -> e.type().equals("auth.token.refreshed") && e.outcome().equals("success"));

        Reply replay = tokenRequest(exchange, CLIENT_SECRET);
        assertThat(replay.status()).as("the code a second time").isEqualTo(400);
        Entry reuse = only(entriesOf(replay, "auth.token.reused"), "auth.token.reused");
        assertThat(reuse.requestId()).contains(replay.requestId());
    }

    private Reply tokenRequest(Map<String, String> form, String secret) {
        return client().post("/oauth2/token").basic(CLIENT_ID, secret).form(form).send();
    }

    private static String challenge(String verifier) throws NoSuchAlgorithmException {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    }

    // ---- the actuator -----------------------------------------------------------------------------------------

    @Test
    void healthIsPublicAndTheAuditEndpointsAreForAdmins() {
        Reply health = client().get("/actuator/health").send();
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().path("components").path("vigil").path("status").asText()).isEqualTo("UP");

        Reply status = client().get("/actuator/vigil").basic("admin", "admin-password").send();
        assertThat(status.status()).isEqualTo(200);
        assertThat(status.json().path("status").asText()).isEqualTo("UP");

        Reply notAdmin = client().get("/actuator/vigil").basic("alice", "alice-password").send();
        assertThat(notAdmin.status()).isEqualTo(403);
        Entry denied = only(entriesOf(notAdmin, "authz.access.denied"), "authz.access.denied");
        assertActor(denied, notAdmin, "alice", LOOPBACK);

        Reply events = client().get("/actuator/auditevents?principal=alice").basic("admin", "admin-password").send();
        assertThat(events.status()).isEqualTo(200);
        assertThat(events.json().path("events").isArray()).isTrue();
        assertThat(events.json().path("events").size()).as("alice's events, from the ledger").isPositive();

        Reply verify = client().post("/actuator/vigil").basic("admin", "admin-password").send();
        assertThat(verify.status()).as("%s", verify).isEqualTo(200);
        assertThat(verify.json().path("intact").asBoolean()).isTrue();
        Entry read = only(entriesOf(verify, "audit.log.read"), "audit.log.read");
        assertActor(read, verify, "admin", LOOPBACK);
    }

    // ---- last: no secret anywhere in what the store holds -----------------------------------------------------

    @Test
    @Order(Integer.MAX_VALUE)
    void notOneSecretTheTestsUsedIsInTheStoredLedger() throws Exception {
        // every kind of secret once more, so that this test stands alone too
        GatewayClient alice = client();
        alice.formLogin("alice", "alice-password");
        alice.get("/api/me").send();
        String apiToken = client().post("/api/tokens").basic("bob", "bob-password").send().json().path("token").asText();
        client().get("/api/me").bearer(apiToken).send();
        client().get("/api/me").basic("alice", "guessed-password-3").send();
        Secrets.add("guessed-password-3");
        String access = tokenRequest(Map.of("grant_type", "client_credentials", "scope", "api"), CLIENT_SECRET)
                .json().path("access_token").asText();
        client().get("/api/me").bearer(access).send();
        client().get("/api/me").bearer("gw_" + UUID.randomUUID() + "-unknown").send();
        Secrets.add(CLIENT_SECRET);
        auditLog.flush(Duration.ofSeconds(10));

        String stored = ledger().everything();
        List<String> secrets = new ArrayList<>(Secrets.all());
        assertThat(secrets).as("the tests used secrets of every kind").hasSizeGreaterThan(10)
                .contains("alice-password", CLIENT_SECRET, apiToken, access);
        assertThat(secrets).as("the raw session id").contains(alice.sessionId().orElseThrow());
        assertThat(stored).as("the ledger holds entries").contains("auth.login.success");
        // name a leaked secret by its first characters only, so the report does not spread it further
        List<String> leaked = secrets.stream().filter(stored::contains)
                .map(s -> s.substring(0, 4) + "… (" + s.length() + " chars)").toList();
        assertThat(leaked).as("secrets found in the stored ledger").isEmpty();
    }
}
