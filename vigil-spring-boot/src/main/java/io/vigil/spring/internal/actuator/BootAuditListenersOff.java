package io.vigil.spring.internal.actuator;

import org.springframework.boot.actuate.security.AbstractAuthenticationAuditListener;
import org.springframework.boot.actuate.security.AbstractAuthorizationAuditListener;
import org.springframework.security.authentication.event.AbstractAuthenticationEvent;
import org.springframework.security.authorization.event.AuthorizationEvent;

/**
 * Stand-ins for Spring Boot's security audit listeners: their presence makes Boot's auto-configuration back off, so a
 * Spring Security event is recorded once, by Vigil's listeners, and not a second time through Boot's repository.
 */
public final class BootAuditListenersOff {

    private BootAuditListenersOff() {
    }

    /** Ignores authentication events: Vigil's listeners record them. */
    public static final class Authentication extends AbstractAuthenticationAuditListener {
        @Override
        public void onApplicationEvent(AbstractAuthenticationEvent event) {
            // Recorded by Vigil's security listeners.
        }
    }

    /** Ignores authorization events: Vigil's listeners record them. */
    public static final class Authorization extends AbstractAuthorizationAuditListener {
        @Override
        public void onApplicationEvent(AuthorizationEvent event) {
            // Recorded by Vigil's security listeners.
        }
    }
}
