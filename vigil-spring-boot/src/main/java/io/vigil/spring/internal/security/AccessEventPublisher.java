package io.vigil.spring.internal.security;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.authorization.AuthorizationEventPublisher;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.authorization.event.AuthorizationDeniedEvent;
import org.springframework.security.authorization.event.AuthorizationGrantedEvent;
import org.springframework.security.core.Authentication;

import java.util.function.Supplier;

/**
 * Publishes every denied access decision, web and method alike (method security publishes nothing without a bean
 * like this one), and, when privileged grants are audited, the granted decisions whose rule names a privileged
 * authority. Other grants publish nothing: an event per allowed request would cost every request for nothing.
 * Spring's own {@code SpringAuthorizationEventPublisher} cannot do the second part: it publishes any result it is
 * told to as a denied event.
 */
public final class AccessEventPublisher implements AuthorizationEventPublisher {
    private final ApplicationEventPublisher publisher;
    private final AuthorizationRequirements requirements;
    private final boolean privilegedGrants;

    public AccessEventPublisher(ApplicationEventPublisher publisher, AuthorizationRequirements requirements,
                                boolean privilegedGrants) {
        this.publisher = publisher;
        this.requirements = requirements;
        this.privilegedGrants = privilegedGrants;
    }

    @Override
    public <T> void publishAuthorizationEvent(Supplier<Authentication> authentication, T object,
                                              AuthorizationResult result) {
        if (result == null) {
            return;
        }
        if (!result.isGranted()) {
            publisher.publishEvent(new AuthorizationDeniedEvent<>(authentication, object, result));
        } else if (privilegedGrants && requirements.namesPrivileged(result)) {
            publisher.publishEvent(new AuthorizationGrantedEvent<>(authentication, object, result));
        }
    }
}
