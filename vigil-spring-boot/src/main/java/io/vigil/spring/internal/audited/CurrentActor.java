package io.vigil.spring.internal.audited;

import io.vigil.event.Actor;
import org.springframework.util.ClassUtils;

import java.util.function.Supplier;

/** Who is acting now: Spring Security's principal when Spring Security is present, otherwise anonymous. */
public final class CurrentActor {

    private CurrentActor() {
    }

    public static Supplier<Actor> supplier() {
        if (ClassUtils.isPresent("org.springframework.security.core.context.SecurityContextHolder",
                CurrentActor.class.getClassLoader())) {
            return new SecurityContextActor();
        }
        return Actor::anonymous;
    }
}
