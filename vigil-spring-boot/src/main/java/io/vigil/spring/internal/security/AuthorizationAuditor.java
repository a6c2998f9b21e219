package io.vigil.spring.internal.security;

import io.vigil.event.AuditEvent;
import io.vigil.event.EventCatalog;
import io.vigil.event.Target;
import io.vigil.spring.internal.web.RequestAudit;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.support.AopUtils;
import org.springframework.context.event.EventListener;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.authorization.event.AuthorizationDeniedEvent;
import org.springframework.security.authorization.event.AuthorizationEvent;
import org.springframework.security.authorization.event.AuthorizationGrantedEvent;
import org.springframework.security.authorization.method.MethodInvocationResult;
import org.springframework.security.core.Authentication;

import java.lang.reflect.Method;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * Access decisions: every denial is {@code authz.access.denied}, with the target (an {@code http_request}
 * {@code "GET /path"}, or a {@code method}) and what was required; a denied anonymous request (about to be sent to
 * the login page) is marked {@code details.anonymous} and can be left out. Granted accesses are recorded only when
 * privileged grants are audited and the access used a privileged authority ({@code authz.access.granted}, OWASP
 * {@code authz_admin}). Decisions on the error page dispatch are not recorded (what led there is), and an async
 * dispatch does not record again what its request recorded.
 */
public final class AuthorizationAuditor {
    static final String DENIED = "access-denied";
    static final String GRANTED = "access-granted:";
    static final int MAX_TARGET_CHARS = 600;

    private final SecurityEvents events;
    private final AuthorizationRequirements requirements;
    private final boolean anonymousDenials;
    private final boolean privilegedGrants;

    public AuthorizationAuditor(SecurityEvents events, AuthorizationRequirements requirements,
                                boolean anonymousDenials, boolean privilegedGrants) {
        this.events = events;
        this.requirements = requirements;
        this.anonymousDenials = anonymousDenials;
        this.privilegedGrants = privilegedGrants;
    }

    @EventListener
    public void onDenied(AuthorizationDeniedEvent<?> event) {
        AuthorizationResult result = event.getAuthorizationResult();
        if (result != null && result.isGranted()) {
            // Spring's SpringAuthorizationEventPublisher, told to publish grants, publishes them as denied events.
            onGranted(event);
            return;
        }
        try {
            Authentication caller = caller(event);
            boolean anonymous = Principals.isAnonymous(caller) || !caller.isAuthenticated();
            if (anonymous && !anonymousDenials) {
                return;
            }
            Optional<RequestAudit> request = RequestAudit.current();
            DispatcherType dispatch = dispatch(event, request);
            if (dispatch == DispatcherType.ERROR
                    || (dispatch == DispatcherType.ASYNC && request.isPresent() && request.get().marked(DENIED))) {
                // The error page is shown because of something recorded already (a denial, a failed login, an
                // exception); an async dispatch repeats the decision on the request it resumes.
                return;
            }
            AuditEvent.Builder b = events.builder(EventCatalog.AUTHZ_ACCESS_DENIED, Principals.actor(caller))
                    .target(target(event.getObject(), request));
            if (anonymous) {
                b.detail("anonymous", true);
            }
            requirements.required(result, anonymous).ifPresent(r -> b.detail("required", r));
            request.ifPresent(r -> r.mark(DENIED));
            events.record(b, "access denied");
        } catch (RuntimeException e) {
            events.failures().failed("access denied", e);
        }
    }

    @EventListener
    public void onGranted(AuthorizationGrantedEvent<?> event) {
        onGranted((AuthorizationEvent) event);
    }

    private void onGranted(AuthorizationEvent event) {
        if (!privilegedGrants) {
            return;
        }
        try {
            Authentication caller = caller(event);
            Optional<String> privilege = requirements.privilegeUsed(event.getAuthorizationResult(), caller);
            if (privilege.isEmpty()) {
                return;
            }
            Optional<RequestAudit> request = RequestAudit.current();
            Target target = target(event.getObject(), request);
            String mark = GRANTED + target.type() + " " + target.id().orElse("");
            DispatcherType dispatch = dispatch(event, request);
            if (dispatch == DispatcherType.ERROR
                    || (dispatch == DispatcherType.ASYNC && request.isPresent() && request.get().marked(mark))) {
                return;
            }
            AuditEvent.Builder b = events.builder(EventCatalog.AUTHZ_ACCESS_GRANTED, Principals.actor(caller))
                    .target(target)
                    .detail("privileged", true)
                    .detail("authority", privilege.get());
            requirements.required(event.getAuthorizationResult(), false).ifPresent(r -> b.detail("required", r));
            request.ifPresent(r -> r.mark(mark));
            events.record(b, "access granted");
        } catch (RuntimeException e) {
            events.failures().failed("access granted", e);
        }
    }

    private static Authentication caller(AuthorizationEvent event) {
        try {
            return event.getAuthentication().get();
        } catch (RuntimeException noAuthentication) {
            return null; // AuthenticationCredentialsNotFoundException: nobody at all
        }
    }

    /** The dispatch the decision was made in: the web request's own, or the current request's for a method. */
    private static DispatcherType dispatch(AuthorizationEvent event, Optional<RequestAudit> request) {
        if (event.getObject() instanceof HttpServletRequest web) {
            return web.getDispatcherType();
        }
        return request.map(r -> r.request().getDispatcherType()).orElse(DispatcherType.REQUEST);
    }

    static Target target(Object object, Optional<RequestAudit> request) {
        if (object instanceof HttpServletRequest r) {
            return Target.of("http_request", cut(r.getMethod() + " " + RequestAudit.pathOf(r)));
        }
        if (object instanceof MethodInvocationResult result) {
            object = result.getMethodInvocation();
        }
        if (object instanceof MethodInvocation mi) {
            return Target.of("method", cut(signature(mi)));
        }
        if (request.isPresent()) {
            return Target.of("http_request", cut(request.get().target()));
        }
        return Target.ofType(object == null ? "unknown" : object.getClass().getSimpleName());
    }

    /** {@code com.example.ReportService.read(String)}: the class of the target, not of its proxy. */
    static String signature(MethodInvocation mi) {
        Method m = mi.getMethod();
        Class<?> type = mi.getThis() != null ? AopUtils.getTargetClass(mi.getThis()) : m.getDeclaringClass();
        StringJoiner params = new StringJoiner(",", "(", ")");
        for (Class<?> p : m.getParameterTypes()) {
            params.add(p.getSimpleName());
        }
        return type.getName() + "." + m.getName() + params;
    }

    private static String cut(String s) {
        return s.length() > MAX_TARGET_CHARS ? s.substring(0, MAX_TARGET_CHARS) : s;
    }
}
