package io.vigil.spring.internal.audited;

import io.vigil.event.Actor;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

import java.util.function.Supplier;

/**
 * The caller as Spring Security knows it: the authenticated principal's name, or anonymous. Only loaded when Spring
 * Security is on the class path. The ip and user agent come from the request's audit context.
 */
public final class SecurityContextActor implements Supplier<Actor> {

    @Override
    public Actor get() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (auth == null || !auth.isAuthenticated() || auth instanceof AnonymousAuthenticationToken
                || auth.getName() == null || auth.getName().isBlank()) {
            return Actor.anonymous();
        }
        return Actor.user(auth.getName());
    }
}
