package io.vigil.spring.security;

import io.micrometer.core.instrument.MeterRegistry;
import io.vigil.event.ActorType;
import io.vigil.event.AuditEvent;
import io.vigil.event.Outcome;
import io.vigil.json.EventJson;
import io.vigil.spring.internal.web.IntegrationFailures;
import io.vigil.spring.web.Browser;
import io.vigil.spring.web.RecordedEvents;
import jakarta.servlet.DispatcherType;
import org.apache.catalina.Container;
import org.apache.catalina.Context;
import org.apache.catalina.session.ManagerBase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring Security's events as audit events, over real HTTP against real Spring Security, with stateless successes
 * and privileged grants recorded: each test sends its own request ids and asserts exactly the events of its
 * requests.
 */
@SpringBootTest(classes = SecurityTestApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"vigil.security.stateless-success=true", "vigil.security.granted=privileged",
                "vigil.ledger.dir=${java.io.tmpdir}/vigil-sec-unused"})
class SecurityEventsTest {

    @LocalServerPort
    int port;
    @Autowired
    RecordedEvents recorded;
    @Autowired
    WebServerApplicationContext context;
    @Autowired
    IntegrationFailures failures;
    @Autowired
    MeterRegistry meters;

    private Browser browser() {
        return new Browser(port);
    }

    private static String hash(String secret) {
        return RecordedEvents.HASHER.hash(secret);
    }

    private AuditEvent only(Browser.Sent sent, String type) {
        List<AuditEvent> events = recorded.forRequest(sent.requestId(), type);
        assertThat(events).as("%s for %s: %s", type, sent.requestId(), recorded.forRequest(sent.requestId())
                        .stream().map(EventJson::toCanonicalString).toList())
                .hasSize(1);
        AuditEvent e = events.get(0);
        assertThat(e.actor().flatMap(a -> a.ip())).as("actor ip").contains("127.0.0.1");
        assertThat(sent.header("X-Request-Id")).contains(sent.requestId());
        return e;
    }

    private static String actorId(AuditEvent e) {
        return e.actor().flatMap(a -> a.id()).orElse(null);
    }

    @Test
    void aFormLoginIsOneSuccessWithItsMethodAndTheRenewedSessionsHash() {
        Browser b = browser();
        Browser.Sent page = b.get("/login");
        String before = b.sessionId().orElseThrow();
        assertThat(only(page, "session.started").sessionId()).contains(hash(before));

        Browser.Sent login = b.login("alice", "alice-password");
        assertThat(login.status()).isEqualTo(302);
        String after = b.sessionId().orElseThrow();
        assertThat(after).isNotEqualTo(before);

        AuditEvent success = only(login, "auth.login.success");
        assertThat(actorId(success)).isEqualTo("alice");
        assertThat(success.actor().get().type()).isEqualTo(ActorType.USER);
        assertThat(success.details()).containsEntry("method", "form").doesNotContainKey("stateless");
        assertThat(success.sessionId()).contains(hash(after));
        assertThat(success.outcome()).isEqualTo(Outcome.SUCCESS);

        AuditEvent renewed = only(login, "session.renewed");
        assertThat(actorId(renewed)).isEqualTo("alice");
        assertThat(renewed.sessionId()).contains(hash(after));
        assertThat(renewed.details()).containsEntry("previousSessionId", hash(before))
                .containsEntry("cause", "fixation_protection");
        assertThat(recorded.forRequest(login.requestId())).extracting(AuditEvent::type)
                .containsExactlyInAnyOrder("session.renewed", "auth.login.success");
        assertThat(recorded.json()).doesNotContain(before).doesNotContain(after).doesNotContain("alice-password");
    }

    @Test
    void aFailedFormLoginRecordsTheReasonNeverThePassword() {
        Browser b = browser();
        Browser.Sent wrong = b.login("alice", "not-alices-password-77");
        assertThat(wrong.status()).isEqualTo(302);
        AuditEvent failure = only(wrong, "auth.login.failure");
        assertThat(actorId(failure)).isEqualTo("alice");
        assertThat(failure.outcome()).isEqualTo(Outcome.FAILURE);
        assertThat(failure.reason()).contains("bad_credentials");
        assertThat(failure.details()).containsEntry("method", "form");
        assertThat(failure.sessionId()).contains(hash(b.sessionId().orElseThrow()));

        Browser.Sent unknown = b.login("nobody", "whatever-77");
        assertThat(only(unknown, "auth.login.failure").reason()).contains("bad_credentials");
        assertThat(recorded.json()).doesNotContain("not-alices-password-77").doesNotContain("whatever-77");
    }

    @Test
    void lockedDisabledAndExpiredAccountsFailWithTheirReasons() {
        Browser b = browser();
        Map<String, String> reasons = Map.of("locked", "locked", "disabled", "disabled", "expired", "account_expired");
        reasons.forEach((user, reason) -> {
            AuditEvent failure = only(b.login(user, user + "-password"), "auth.login.failure");
            assertThat(failure.reason()).as(user).contains(reason);
            assertThat(actorId(failure)).isEqualTo(user);
        });
    }

    @Test
    void failuresSpringHasNoEventForAreRecordedOnce() {
        Browser b = browser();
        AuditEvent odd = only(b.login("weird", "weird-password"), "auth.login.failure");
        assertThat(odd.reason()).contains("other");
        assertThat(odd.error()).contains(SecurityTestApp.OutOfHoursException.class.getName());
        assertThat(actorId(odd)).isEqualTo("weird");
        // the right password, found in a breach corpus
        AuditEvent pwned = only(b.login("pwned", "pwned-password"), "auth.login.failure");
        assertThat(pwned.reason()).contains("compromised_password");
        assertThat(actorId(pwned)).isEqualTo("pwned");
        // through HTTP Basic as well
        Browser.Sent basic = b.send(b.request("/api/me").header("Authorization", Browser.basic("weird", "x")));
        assertThat(basic.status()).isNotEqualTo(200);
        AuditEvent failure = only(basic, "auth.login.failure");
        assertThat(failure.details()).containsEntry("method", "basic");
        assertThat(failure.reason()).contains("other");
    }

    @Test
    void statelessSuccessesAreRecordedOncePerRequest() {
        Browser b = browser();
        for (int i = 0; i < 2; i++) {
            Browser.Sent me = b.send(b.request("/api/me").header("Authorization", Browser.basic("bob", "bob-password")));
            assertThat(me.status()).isEqualTo(200);
            AuditEvent success = only(me, "auth.login.success");
            assertThat(actorId(success)).isEqualTo("bob");
            assertThat(success.details()).containsEntry("method", "basic").containsEntry("stateless", true);
        }
        // a denied request is dispatched again to the error page, which authenticates again: still one success
        Browser.Sent denied = b.send(b.request("/api/admin/ping").header("Authorization",
                Browser.basic("bob", "bob-password")));
        assertThat(denied.status()).isEqualTo(403);
        assertThat(SecurityTestApp.DISPATCHES.get(denied.requestId())).contains(DispatcherType.ERROR);
        only(denied, "auth.login.success");
        only(denied, "authz.access.denied");
        Browser.Sent wrong = b.send(b.request("/api/me").header("Authorization", Browser.basic("bob", "nope-77")));
        assertThat(wrong.status()).isNotEqualTo(200);
        assertThat(only(wrong, "auth.login.failure").details()).containsEntry("method", "basic");
        assertThat(recorded.forRequest(wrong.requestId(), "auth.login.success")).isEmpty();
    }

    @Test
    void aRejectedBearerTokenIsRecordedAsItsKeyedHashOnly() {
        Browser b = browser();
        String token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJtYWxsb3J5In0.forged-signature-0123456789";
        Browser.Sent sent = b.send(b.request("/api/me").header("Authorization", "Bearer " + token));
        assertThat(sent.status()).isNotEqualTo(200);
        AuditEvent failure = only(sent, "auth.login.failure");
        assertThat(failure.reason()).contains("invalid_token");
        assertThat(failure.actor().get().type()).isEqualTo(ActorType.ANONYMOUS);
        assertThat(failure.actor().get().id()).isEmpty();
        assertThat(failure.details()).containsEntry("tokenHash", hash(token)).containsEntry("method", "bearer");
        // the error page the failure leads to is denied to the anonymous caller too; that is not a second entry
        assertThat(SecurityTestApp.DISPATCHES.get(sent.requestId())).contains(DispatcherType.ERROR);
        assertThat(recorded.forRequest(sent.requestId(), "authz.access.denied")).isEmpty();
        assertThat(recorded.json()).doesNotContain(token).doesNotContain("forged-signature");
    }

    @Test
    void anAcceptedBearerTokenIsAStatelessSuccessOfItsSubject() {
        NimbusJwtEncoder encoder = NimbusJwtEncoder.withKeyPair((RSAPublicKey) SecurityTestApp.JWT_KEYS.getPublic(),
                (RSAPrivateKey) SecurityTestApp.JWT_KEYS.getPrivate()).build();
        String jwt = encoder.encode(JwtEncoderParameters.from(JwtClaimsSet.builder().subject("carol")
                .issuedAt(Instant.now()).expiresAt(Instant.now().plusSeconds(300)).build())).getTokenValue();
        Browser b = browser();
        Browser.Sent sent = b.send(b.request("/api/me").header("Authorization", "Bearer " + jwt));
        assertThat(sent.status()).isEqualTo(200);
        AuditEvent success = only(sent, "auth.login.success");
        assertThat(actorId(success)).isEqualTo("carol");
        assertThat(success.details()).containsEntry("method", "bearer").containsEntry("tokenHash", hash(jwt));
        assertThat(recorded.json()).doesNotContain(jwt);
    }

    @Test
    void aLogoutIsRecordedAndEndsTheSession() {
        Browser b = browser();
        b.login("alice", "alice-password");
        String session = b.sessionId().orElseThrow();
        Browser.Sent logout = b.postForm("/logout", Map.of());
        assertThat(logout.status()).isEqualTo(302);
        AuditEvent out = only(logout, "auth.logout");
        assertThat(actorId(out)).isEqualTo("alice");
        assertThat(out.sessionId()).contains(hash(session));
        AuditEvent ended = only(logout, "session.ended");
        assertThat(actorId(ended)).isEqualTo("alice");
        assertThat(ended.sessionId()).contains(hash(session));
        assertThat(ended.details()).containsEntry("cause", "logout").containsKey("durationMs");
        assertThat(recorded.forRequest(logout.requestId(), "session.timeout")).isEmpty();
        List<AuditEvent> order = recorded.forRequest(logout.requestId());
        assertThat(order.indexOf(out)).isLessThan(order.indexOf(ended));
    }

    @Test
    void aSessionInvalidatedWithoutLogoutTimesOut() {
        Browser b = browser();
        b.login("alice", "alice-password");
        String session = b.sessionId().orElseThrow();
        Browser.Sent invalidate = b.get("/session/invalidate");
        assertThat(invalidate.status()).isEqualTo(200);
        AuditEvent timeout = only(invalidate, "session.timeout");
        assertThat(actorId(timeout)).isEqualTo("alice");
        assertThat(timeout.sessionId()).contains(hash(session));
        assertThat(timeout.details()).containsEntry("cause", "invalidated");
        assertThat(recorded.forRequest(invalidate.requestId(), "session.ended")).isEmpty();
    }

    @Test
    void aSessionThatExpiresInTheContainerTimesOutOutsideAnyRequest() throws Exception {
        Browser b = browser();
        b.login("bob", "bob-password");
        String session = b.sessionId().orElseThrow();
        assertThat(b.get("/session/expire-soon").status()).isEqualTo(200);
        Thread.sleep(2100); // the container's own clock decides expiry; one second of inactivity, and some margin
        expireSessions();
        List<AuditEvent> timeouts = recorded.matching(e -> e.type().equals("session.timeout")
                && e.sessionId().filter(hash(session)::equals).isPresent());
        assertThat(timeouts).hasSize(1);
        AuditEvent timeout = timeouts.get(0);
        assertThat(actorId(timeout)).isEqualTo("bob");
        assertThat(timeout.details()).containsEntry("cause", "expired");
        assertThat(timeout.requestId()).isEmpty();
    }

    private void expireSessions() {
        TomcatWebServer server = (TomcatWebServer) context.getWebServer();
        for (Container child : server.getTomcat().getHost().findChildren()) {
            ((ManagerBase) ((Context) child).getManager()).processExpires();
        }
    }

    @Test
    void aWebDenialNamesTheRequestAndWhatItRequiredOnceDespiteTheErrorPage() {
        Browser b = browser();
        Browser.Sent sent = b.send(b.request("/api/admin/ping").header("Authorization",
                Browser.basic("alice", "alice-password")));
        assertThat(sent.status()).isEqualTo(403);
        assertThat(SecurityTestApp.DISPATCHES.get(sent.requestId())).containsExactly(DispatcherType.REQUEST,
                DispatcherType.ERROR);
        AuditEvent denied = only(sent, "authz.access.denied");
        assertThat(actorId(denied)).isEqualTo("alice");
        assertThat(denied.outcome()).isEqualTo(Outcome.DENIED);
        assertThat(denied.target().get().type()).isEqualTo("http_request");
        assertThat(denied.target().get().id()).contains("GET /api/admin/ping");
        assertThat(denied.details()).containsEntry("required", "ROLE_ADMIN").doesNotContainKey("anonymous");
    }

    @Test
    void anAnonymousDenialIsMarkedAndRecordedOnceAlsoWhenTheErrorPageIsDeniedToo() {
        Browser b = browser();
        Browser.Sent page = b.get("/home");
        assertThat(page.status()).isEqualTo(302);
        assertThat(page.header("Location").orElseThrow()).endsWith("/login");
        AuditEvent denied = only(page, "authz.access.denied");
        assertThat(denied.actor().get().type()).isEqualTo(ActorType.ANONYMOUS);
        assertThat(denied.details()).containsEntry("anonymous", true).containsEntry("required", "authenticated");
        assertThat(denied.target().get().id()).contains("GET /home");

        // The API answers 401 with sendError; the error page is not public, so it is denied again (and sends the
        // caller to the login page): still one entry.
        Browser.Sent api = b.send(b.request("/api/me"));
        assertThat(api.status()).isNotEqualTo(200);
        assertThat(SecurityTestApp.DISPATCHES.get(api.requestId())).contains(DispatcherType.ERROR);
        assertThat(only(api, "authz.access.denied").target().get().id()).contains("GET /api/me");
    }

    @Test
    void methodSecurityDenialsNameTheMethodAndTheRule() {
        Browser b = browser();
        Browser.Sent secret = b.send(b.request("/api/method/secret").header("Authorization",
                Browser.basic("alice", "alice-password")));
        assertThat(secret.status()).isEqualTo(403);
        AuditEvent denied = only(secret, "authz.access.denied");
        assertThat(denied.target().get().type()).isEqualTo("method");
        assertThat(denied.target().get().id()).contains(SecurityTestApp.Reports.class.getName() + ".secret()");
        assertThat(denied.details()).containsEntry("required", "hasRole('ADMIN')");
        assertThat(actorId(denied)).isEqualTo("alice");

        Browser.Sent secured = b.send(b.request("/api/secured").header("Authorization",
                Browser.basic("alice", "alice-password")));
        assertThat(secured.status()).isEqualTo(403);
        AuditEvent securedDenial = only(secured, "authz.access.denied");
        assertThat(securedDenial.target().get().id()).contains(SecurityTestApp.Reports.class.getName() + ".secured()");
        assertThat(securedDenial.details()).containsEntry("required", "ROLE_ADMIN");

        Browser.Sent other = b.send(b.request("/api/reports/bob").header("Authorization",
                Browser.basic("alice", "alice-password")));
        assertThat(other.status()).isEqualTo(403);
        assertThat(only(other, "authz.access.denied").target().get().id())
                .contains(SecurityTestApp.Reports.class.getName() + ".read(String)");
    }

    @Test
    void privilegedAccessIsRecordedAsGrantedAndOrdinaryAccessIsNot() {
        Browser b = browser();
        String admin = Browser.basic("admin", "admin-password");
        Browser.Sent ping = b.send(b.request("/api/admin/ping").header("Authorization", admin));
        assertThat(ping.status()).isEqualTo(200);
        AuditEvent granted = only(ping, "authz.access.granted");
        assertThat(actorId(granted)).isEqualTo("admin");
        assertThat(granted.target().get().id()).contains("GET /api/admin/ping");
        assertThat(granted.details()).containsEntry("privileged", true).containsEntry("authority", "ROLE_ADMIN")
                .containsEntry("required", "ROLE_ADMIN");

        // an administrator reading someone's report through "hasRole('ADMIN') or owner": privileged
        Browser.Sent report = b.send(b.request("/api/reports/bob").header("Authorization", admin));
        assertThat(report.status()).isEqualTo(200);
        AuditEvent read = only(report, "authz.access.granted");
        assertThat(read.target().get().type()).isEqualTo("method");
        assertThat(read.details()).containsEntry("required", "hasRole('ADMIN') or #owner == authentication.name");

        // the owner through the same rule, and an administrator on an ordinary page: not privileged
        Browser.Sent own = b.send(b.request("/api/reports/alice").header("Authorization",
                Browser.basic("alice", "alice-password")));
        assertThat(own.status()).isEqualTo(200);
        assertThat(recorded.forRequest(own.requestId(), "authz.access.granted")).isEmpty();
        Browser.Sent me = b.send(b.request("/api/me").header("Authorization", admin));
        assertThat(recorded.forRequest(me.requestId(), "authz.access.granted")).isEmpty();

        // an async request is authorized again on its async dispatch: still one entry
        Browser.Sent async = b.send(b.request("/api/admin/async").header("Authorization", admin));
        assertThat(async.status()).isEqualTo(200);
        assertThat(async.body()).isEqualTo("later");
        assertThat(SecurityTestApp.DISPATCHES.get(async.requestId())).contains(DispatcherType.ASYNC);
        only(async, "authz.access.granted");
        only(async, "auth.login.success");
    }

    @Test
    void switchingUserIsRecordedBothWays() {
        Browser b = browser();
        b.login("admin", "admin-password");
        Browser.Sent to = b.postForm("/impersonate", Map.of("username", "alice"));
        assertThat(to.status()).isEqualTo(302);
        AuditEvent switched = only(to, "auth.user.switched");
        assertThat(actorId(switched)).isEqualTo("admin");
        assertThat(switched.target().get().id()).contains("alice");
        assertThat(switched.details()).containsEntry("exit", false);
        assertThat(b.get("/home").body()).isEqualTo("home of alice");

        Browser.Sent back = b.postForm("/impersonate/exit", Map.of());
        assertThat(back.status()).isEqualTo(302);
        AuditEvent exit = only(back, "auth.user.switched");
        assertThat(actorId(exit)).isEqualTo("alice");
        assertThat(exit.target().get().id()).contains("admin");
        assertThat(exit.details()).containsEntry("exit", true);
    }

    @Test
    void theTenantComesFromTheApplicationsResolver() {
        Browser b = browser();
        Browser.Sent sent = b.send(b.request("/api/me").header("X-Org", "blue")
                .header("Authorization", Browser.basic("bob", "bob-password")));
        assertThat(only(sent, "auth.login.success").tenant()).contains("org-blue");
    }

    @Test
    void aFailingResolverNeitherFailsTheRequestNorGoesUnnoticed() {
        long before = failures.count();
        Browser b = browser();
        Browser.Sent sent = b.send(b.request("/api/me").header("X-Org", "boom")
                .header("Authorization", Browser.basic("bob", "bob-password")));
        assertThat(sent.status()).isEqualTo(200);
        assertThat(only(sent, "auth.login.success").tenant()).isEmpty();
        assertThat(failures.count()).isEqualTo(before + 1);
        assertThat(meters.get("vigil.integration.failures").functionCounter().count()).isEqualTo(before + 1.0);
    }
}
