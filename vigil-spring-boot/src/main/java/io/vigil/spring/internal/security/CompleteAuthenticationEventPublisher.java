package io.vigil.spring.internal.security;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.authentication.AuthenticationEventPublisher;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;

/**
 * Wraps an application's own {@link AuthenticationEventPublisher} so that no authentication failure goes
 * unpublished: when the publisher it wraps publishes no failure event for an exception (it has no mapping for it,
 * or maps it to something else), an {@link UnmappedAuthenticationFailureEvent} is published after it. The wrapped
 * publisher's own events and settings are left as they are.
 */
public final class CompleteAuthenticationEventPublisher implements AuthenticationEventPublisher {
    private final AuthenticationEventPublisher delegate;
    private final ApplicationEventPublisher events;

    public CompleteAuthenticationEventPublisher(AuthenticationEventPublisher delegate,
                                                ApplicationEventPublisher events) {
        this.delegate = delegate;
        this.events = events;
    }

    @Override
    public void publishAuthenticationSuccess(Authentication authentication) {
        delegate.publishAuthenticationSuccess(authentication);
    }

    @Override
    public void publishAuthenticationFailure(AuthenticationException exception, Authentication authentication) {
        boolean seen;
        try (FailureSightings.Watch watch = FailureSightings.watch(exception)) {
            delegate.publishAuthenticationFailure(exception, authentication);
            seen = watch.seen();
        }
        if (!seen) {
            events.publishEvent(new UnmappedAuthenticationFailureEvent(authentication, exception));
        }
    }

    /** The publisher this one completes. */
    public AuthenticationEventPublisher delegate() {
        return delegate;
    }
}
