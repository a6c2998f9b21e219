package io.vigil.spring.internal.audited;

import io.vigil.AuditLog;
import io.vigil.AuditReceipt;
import io.vigil.event.Actor;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventCatalog;
import io.vigil.event.EventIds;
import io.vigil.event.EventType;
import io.vigil.event.Outcome;
import io.vigil.event.Target;
import io.vigil.helper.CatalogMappings;
import io.vigil.spring.AuditUnavailableException;
import io.vigil.spring.Audited;
import io.vigil.spring.internal.JsonValues;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.context.expression.MethodBasedEvaluationContext;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.expression.Expression;
import org.springframework.expression.ExpressionParser;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.web.server.ResponseStatusException;

import java.lang.reflect.Method;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Records an {@link Audited} method's outcome. The event is built and handed to the log synchronously, in the
 * caller's thread (so the request's context and principal are those of the call), and the log returns at once; only
 * a fail-closed method waits, before it runs, for its attempt entry to be durable.
 */
public final class AuditedInterceptor implements MethodInterceptor {
    private static final Logger LOG = LoggerFactory.getLogger(AuditedInterceptor.class);
    private static final Duration WARN_EVERY = Duration.ofSeconds(10);
    private static final String[] DENIED_EXCEPTIONS = {
            "org.springframework.security.access.AccessDeniedException",
            "org.springframework.security.authorization.AuthorizationDeniedException"};

    private final AuditLog log;
    private final Supplier<Actor> currentActor;
    private final Duration failClosedTimeout;
    private final Clock clock;
    private final ExpressionParser parser = new SpelExpressionParser();
    private final ParameterNameDiscoverer names = new DefaultParameterNameDiscoverer();
    private final Map<Method, Plan> plans = new ConcurrentHashMap<>();
    private final AtomicLong recordFailures = new AtomicLong();
    private final AtomicLong lastWarning = new AtomicLong(Long.MIN_VALUE);

    /**
     * @param currentActor who is calling: the authenticated principal, or anonymous
     */
    public AuditedInterceptor(AuditLog log, Supplier<Actor> currentActor, Duration failClosedTimeout, Clock clock) {
        this.log = log;
        this.currentActor = currentActor;
        this.failClosedTimeout = failClosedTimeout;
        this.clock = clock;
    }

    /** What an annotation says, parsed once per method. */
    private record Plan(Audited audited, EventType type, Optional<Expression> targetId, Optional<Expression> targetName,
                        Map<String, Expression> details, String signature) {
    }

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        Class<?> targetClass = invocation.getThis() != null ? AopUtils.getTargetClass(invocation.getThis())
                : invocation.getMethod().getDeclaringClass();
        Method method = AopUtils.getMostSpecificMethod(invocation.getMethod(), targetClass);
        Plan plan = plans.computeIfAbsent(method, m -> plan(m, targetClass));
        Actor actor = currentActor.get();
        Optional<UUID> attemptId = Optional.empty();
        if (plan.audited().failClosed()) {
            attemptId = Optional.of(recordAttempt(plan, invocation, method, actor));
        }
        Object result;
        try {
            result = invocation.proceed();
        } catch (Throwable t) {
            record(plan, invocation, method, actor, outcomeOf(t), null, t, attemptId);
            throw t;
        }
        record(plan, invocation, method, actor, Outcome.SUCCESS, result, null, attemptId);
        return result;
    }

    private Plan plan(Method m, Class<?> targetClass) {
        Audited a = AnnotatedElementUtils.findMergedAnnotation(m, Audited.class);
        String signature = targetClass.getSimpleName() + "." + m.getName();
        if (a == null) {
            throw new IllegalStateException("no @Audited on " + signature);
        }
        EventType type = EventCatalog.find(a.type()).orElseThrow(() -> new IllegalStateException("@Audited on "
                + signature + ": '" + a.type() + "' is not a catalogue type; see docs/event-catalog.md"));
        Map<String, Expression> details = new LinkedHashMap<>();
        for (String d : a.details()) {
            int eq = d.indexOf('=');
            if (eq <= 0 || eq == d.length() - 1) {
                throw new IllegalStateException("@Audited on " + signature + ": detail '" + d
                        + "' must be key=expression, e.g. roles=#request.roles");
            }
            details.put(d.substring(0, eq).trim(), parser.parseExpression(d.substring(eq + 1).trim()));
        }
        return new Plan(a, type, expression(a.targetId()), expression(a.targetName()), details, signature);
    }

    private Optional<Expression> expression(String text) {
        return text.isBlank() ? Optional.empty() : Optional.of(parser.parseExpression(text));
    }

    private UUID recordAttempt(Plan plan, MethodInvocation invocation, Method method, Actor actor) {
        UUID id = EventIds.next(clock.millis());
        AuditEvent.Builder attempt = AuditEvent.builder(EventCatalog.AUDIT_ACTION_ATTEMPTED).id(id).actor(actor)
                .detail("type", plan.type().name()).detail("method", plan.signature());
        target(plan, context(method, invocation, null, null)).ifPresent(attempt::target);
        try {
            AuditReceipt receipt = log.record(attempt).get(failClosedTimeout.toMillis(), TimeUnit.MILLISECONDS);
            LOG.debug("attempt {} durable at seq {}", id, receipt);
            return id;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw refused(plan, id, e);
        } catch (ExecutionException e) {
            throw refused(plan, id, e.getCause());
        } catch (TimeoutException | RuntimeException e) {
            throw refused(plan, id, e);
        }
    }

    private AuditUnavailableException refused(Plan plan, UUID id, Throwable cause) {
        LOG.error("{} did not run: its audit entry {} ({}) could not be made durable within {}: {}", plan.signature(),
                id, plan.type().name(), failClosedTimeout, cause.toString());
        return new AuditUnavailableException("the audit trail cannot record " + plan.type().name()
                + " now, so the action was not carried out; try again later", cause);
    }

    private void record(Plan plan, MethodInvocation invocation, Method method, Actor actor, Outcome outcome,
                        Object result, Throwable error, Optional<UUID> attemptId) {
        try {
            EventType type = typeFor(plan.type(), outcome);
            AuditEvent.Builder b = AuditEvent.builder(type).outcome(outcome).actor(actor);
            MethodBasedEvaluationContext ctx = context(method, invocation, result, error);
            target(plan, ctx).ifPresent(b::target);
            for (Map.Entry<String, Expression> d : plan.details().entrySet()) {
                // An expression someone wrote to be audited: an object of another kind is its text.
                b.detail(d.getKey(), JsonValues.of(evaluate(d.getValue(), ctx), String::valueOf));
            }
            if (error != null) {
                b.error(error.getClass().getName());
                if (outcome == Outcome.DENIED || outcome == Outcome.FAILURE) {
                    Optional.ofNullable(error.getMessage()).ifPresent(b::reason);
                }
            }
            attemptId.ifPresent(id -> b.detail("attemptId", id.toString()));
            log.record(b);
        } catch (RuntimeException e) {
            // An audit problem never changes what the method returned or threw; it is counted and logged.
            long n = recordFailures.incrementAndGet();
            long now = clock.millis();
            long last = lastWarning.get();
            if (now - last >= WARN_EVERY.toMillis() && lastWarning.compareAndSet(last, now)) {
                LOG.warn("could not record {} for {} ({} such failures so far): {}", plan.type().name(),
                        plan.signature(), n, e.toString());
            }
        }
    }

    /** The type recorded for an outcome: a success type's failure twin where the catalogue has one. */
    static EventType typeFor(EventType declared, Outcome outcome) {
        if (outcome == declared.outcome()) {
            return declared;
        }
        for (CatalogMappings.ActionMapping m : CatalogMappings.actions()) {
            if (m.onSuccess().equals(declared) || m.otherwise().equals(declared)) {
                return m.typeFor(outcome);
            }
        }
        return declared;
    }

    private Optional<Target> target(Plan plan, MethodBasedEvaluationContext ctx) {
        String targetType = plan.audited().targetType();
        if (targetType.isBlank()) {
            return Optional.empty();
        }
        Target t = Target.ofType(targetType);
        Optional<String> id = plan.targetId().map(e -> evaluate(e, ctx)).filter(v -> v != null).map(String::valueOf);
        if (id.isPresent()) {
            t = Target.of(targetType, id.get());
        }
        Optional<String> name = plan.targetName().map(e -> evaluate(e, ctx)).filter(v -> v != null).map(String::valueOf);
        if (name.isPresent()) {
            t = t.withName(name.get());
        }
        return Optional.of(t);
    }

    private MethodBasedEvaluationContext context(Method method, MethodInvocation invocation, Object result,
                                                 Throwable error) {
        MethodBasedEvaluationContext ctx = new MethodBasedEvaluationContext(null, method, invocation.getArguments(),
                names);
        ctx.setVariable("result", result);
        ctx.setVariable("exception", error);
        return ctx;
    }

    private static Object evaluate(Expression e, MethodBasedEvaluationContext ctx) {
        return e.getValue(ctx);
    }

    static Outcome outcomeOf(Throwable t) {
        for (Class<?> c = t.getClass(); c != null; c = c.getSuperclass()) {
            for (String denied : DENIED_EXCEPTIONS) {
                if (c.getName().equals(denied)) {
                    return Outcome.DENIED;
                }
            }
        }
        if (t instanceof IllegalArgumentException || t instanceof IllegalStateException) {
            return Outcome.FAILURE;
        }
        if (isClientError(t)) {
            return Outcome.FAILURE;
        }
        return Outcome.ERROR;
    }

    private static boolean isClientError(Throwable t) {
        try {
            return t instanceof ResponseStatusException rse && rse.getStatusCode().is4xxClientError();
        } catch (NoClassDefFoundError noWeb) {
            return false;
        }
    }

    /** Calls whose event could not be recorded (a bad expression, a full queue that fails). */
    public long recordFailures() {
        return recordFailures.get();
    }
}
