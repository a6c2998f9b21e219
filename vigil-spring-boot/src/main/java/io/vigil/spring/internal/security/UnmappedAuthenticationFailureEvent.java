package io.vigil.spring.internal.security;

import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;

/**
 * The failure event for an authentication exception Spring Security has no event for ({@code
 * OAuth2AuthenticationException}, {@code CompromisedPasswordException}, an application's own exceptions):
 * without it such failures would publish nothing and go unaudited.
 */
public class UnmappedAuthenticationFailureEvent extends AbstractAuthenticationFailureEvent {
    private static final long serialVersionUID = 1L;

    public UnmappedAuthenticationFailureEvent(Authentication authentication, AuthenticationException exception) {
        super(authentication, exception);
    }
}
