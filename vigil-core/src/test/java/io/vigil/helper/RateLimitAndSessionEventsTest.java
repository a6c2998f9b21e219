package io.vigil.helper;

import io.vigil.event.Actor;
import io.vigil.event.AuditEvent;
import io.vigil.event.Outcome;
import io.vigil.event.Target;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.vigil.event.EventCatalog.*;
import static io.vigil.helper.CapturingRecorder.assertType;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The legacy audit logger dropped {@code retryAfterMs: 0} and {@code durationMs: 0} with truthy checks; these keep them. */
class RateLimitAndSessionEventsTest {
    private final CapturingRecorder recorder = new CapturingRecorder();
    private final RateLimitEvents rateLimit = new RateLimitEvents(recorder);
    private final SessionEvents session = new SessionEvents(recorder);
    private final Actor caller = Actor.anonymous().withIp("10.0.0.1");

    @Test
    void legacyRateLimitExample() {
        rateLimit.record(RateLimitAction.REQUEST_LIMITED, Outcome.DENIED, caller, 5000);
        AuditEvent e = assertType(recorder.only(), RATE_LIMIT_REQUEST_LIMITED);
        assertThat(e.details()).isEqualTo(Map.of("retryAfterMs", 5000L));
    }

    @Test
    void zeroRetryAfterIsKept() {
        rateLimit.requestLimited(caller, 0);
        assertThat(recorder.last().details()).containsEntry("retryAfterMs", 0L);
        rateLimit.channelLimited(caller, "slack", 0);
        assertType(recorder.last(), RATE_LIMIT_CHANNEL_LIMITED);
        assertThat(recorder.last().details()).containsEntry("retryAfterMs", 0L);
        assertThat(recorder.last().target()).contains(Target.of("channel", "slack"));
        rateLimit.authBackoff(caller, 0);
        assertType(recorder.last(), RATE_LIMIT_AUTH_BACKOFF);
        assertThat(recorder.last().details()).containsEntry("retryAfterMs", 0L);
    }

    @Test
    void negativeTimesAreRefused() {
        assertThatThrownBy(() -> rateLimit.requestLimited(caller, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("retryAfterMs is -1; it must not be negative");
        assertThatThrownBy(() -> session.ended(caller, "s-1", -5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("durationMs is -5");
        assertThat(recorder.events).isEmpty();
    }

    @Test
    void sessionLifecycle() {
        Actor alice = Actor.user("alice");
        session.started(alice, "s-1");
        assertType(recorder.last(), SESSION_STARTED);
        assertThat(recorder.last().sessionId()).contains("s-1");
        session.renewed(alice, "s-1");
        assertType(recorder.last(), SESSION_RENEWED);
        session.ended(alice, "s-1", 0);
        assertType(recorder.last(), SESSION_ENDED);
        assertThat(recorder.last().details()).isEqualTo(Map.of("durationMs", 0L));
        session.timedOut(alice, "s-2", 1_800_000);
        assertType(recorder.last(), SESSION_TIMEOUT);
        assertThat(recorder.last().details()).containsEntry("durationMs", 1_800_000L);
        session.usedAfterExpiry(alice, "s-2");
        assertType(recorder.last(), SESSION_USED_AFTER_EXPIRY);
        assertThat(recorder.last().sessionId()).contains("s-2");
    }

    @Test
    void legacySessionHelperWithDuration() {
        session.record(SessionAction.SESSION_TIMEOUT, Outcome.SUCCESS, Actor.user("alice"), 0);
        assertType(recorder.only(), SESSION_TIMEOUT);
        assertThat(recorder.only().details()).containsEntry("durationMs", 0L);
    }

    @Property
    void anyNonNegativeRetryAfterIsRecordedExactly(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long ms) {
        CapturingRecorder r = new CapturingRecorder();
        new RateLimitEvents(r).authBackoff(caller, ms);
        assertThat(r.only().details()).containsEntry("retryAfterMs", ms);
    }
}
