package io.vigil.spring.security;

import io.vigil.event.AuditEvent;
import io.vigil.spring.internal.security.CompleteAuthenticationEventPublisher;
import io.vigil.spring.web.Browser;
import io.vigil.spring.web.RecordedEvents;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.security.authentication.AuthenticationEventPublisher;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The defaults (no stateless successes, no grants), anonymous denials switched off, and an application that brings
 * its own authentication event publisher, one that publishes nothing for most failures.
 */
@SpringBootTest(classes = SecurityTestApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"vigil.security.anonymous-denials=false", "test.own-publisher=true",
                "vigil.ledger.dir=${java.io.tmpdir}/vigil-sec-unused"})
class SecurityDefaultsTest {

    @LocalServerPort
    int port;
    @Autowired
    RecordedEvents recorded;
    @Autowired
    ApplicationContext context;

    private List<AuditEvent> of(Browser.Sent sent, String type) {
        return recorded.forRequest(sent.requestId(), type);
    }

    @Test
    void statelessSuccessesAndGrantsAreNotRecordedByDefault() {
        Browser b = new Browser(port);
        Browser.Sent me = b.send(b.request("/api/me").header("Authorization", Browser.basic("bob", "bob-password")));
        assertThat(me.status()).isEqualTo(200);
        assertThat(recorded.forRequest(me.requestId())).isEmpty();
        Browser.Sent ping = b.send(b.request("/api/admin/ping").header("Authorization",
                Browser.basic("admin", "admin-password")));
        assertThat(ping.status()).isEqualTo(200);
        assertThat(recorded.forRequest(ping.requestId())).isEmpty();
        // an interactive login is still recorded, once
        assertThat(of(b.login("bob", "bob-password"), "auth.login.success")).hasSize(1);
    }

    @Test
    void anonymousDenialsCanBeLeftOutWhileOtherDenialsStay() {
        Browser b = new Browser(port);
        Browser.Sent anonymous = b.get("/home");
        assertThat(anonymous.status()).isEqualTo(302);
        assertThat(of(anonymous, "authz.access.denied")).isEmpty();
        Browser.Sent alice = b.send(b.request("/api/admin/ping").header("Authorization",
                Browser.basic("alice", "alice-password")));
        assertThat(alice.status()).isNotEqualTo(200);
        assertThat(of(alice, "authz.access.denied")).singleElement()
                .satisfies(e -> assertThat(e.actor().flatMap(a -> a.id())).contains("alice"));
    }

    @Test
    void theApplicationsOwnPublisherIsCompletedNotReplaced() {
        AuthenticationEventPublisher bean = context.getBean(AuthenticationEventPublisher.class);
        assertThat(bean).isInstanceOf(CompleteAuthenticationEventPublisher.class);
        SecurityTestApp.OwnPublisher own = (SecurityTestApp.OwnPublisher)
                ((CompleteAuthenticationEventPublisher) bean).delegate();
        int before = own.failures.get();

        Browser b = new Browser(port);
        // its own mapping: published by it, recorded once
        Browser.Sent wrong = b.login("alice", "wrong-password-5");
        assertThat(of(wrong, "auth.login.failure")).singleElement()
                .satisfies(e -> assertThat(e.reason()).contains("bad_credentials"));
        // no mapping in it: completed by Vigil, recorded once
        Browser.Sent odd = b.login("weird", "weird-password");
        assertThat(of(odd, "auth.login.failure")).singleElement()
                .satisfies(e -> assertThat(e.reason()).contains("other"));
        Browser.Sent locked = b.login("locked", "locked-password");
        assertThat(of(locked, "auth.login.failure")).singleElement()
                .satisfies(e -> assertThat(e.reason()).contains("locked"));
        Browser.Sent pwned = b.login("pwned", "pwned-password");
        assertThat(of(pwned, "auth.login.failure")).singleElement()
                .satisfies(e -> assertThat(e.reason()).contains("compromised_password"));
        // the application's publisher saw every failure itself
        assertThat(own.failures.get() - before).isGreaterThanOrEqualTo(4);
    }
}
