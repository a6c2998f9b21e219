package io.vigil;

import io.vigil.event.Actor;
import io.vigil.event.ActorType;
import io.vigil.event.AuditEvent;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * Correlation values that every event recorded inside a scope picks up: request, session and trace ids, the user,
 * the client's address and user agent, the tenant. Values the event sets itself win.
 *
 * <p>The scope is per thread (a {@link ThreadLocal}, which virtual threads support too). To carry a context to
 * another thread, capture it with {@link #current()} and {@link #wrap(Runnable)} the task, or open it there.
 *
 * <pre>{@code
 * try (AuditContext.Scope s = AuditContext.builder().requestId("r-1").user("alice").clientIp("10.0.0.1").build().open()) {
 *     audit.auth().loginSucceeded(...);   // carries requestId r-1, actor alice from 10.0.0.1
 * }
 * }</pre>
 */
public record AuditContext(Optional<String> requestId, Optional<String> sessionId, Optional<String> traceId,
                           Optional<String> userId, Optional<String> clientIp, Optional<String> userAgent,
                           Optional<String> tenant) {

    /** No values. */
    public static final AuditContext EMPTY = new AuditContext(Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

    private static final ThreadLocal<AuditContext> CURRENT = new ThreadLocal<>();

    public AuditContext {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(traceId, "traceId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(clientIp, "clientIp");
        Objects.requireNonNull(userAgent, "userAgent");
        Objects.requireNonNull(tenant, "tenant");
    }

    /** The context of the current thread's innermost open scope, or {@link #EMPTY}. */
    public static AuditContext current() {
        AuditContext c = CURRENT.get();
        return c == null ? EMPTY : c;
    }

    /** A builder starting empty. */
    public static Builder builder() {
        return new Builder(EMPTY);
    }

    /** A builder starting from this context's values, e.g. to add a session id to the current context. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** True when no value is set. */
    public boolean isEmpty() {
        return this.equals(EMPTY);
    }

    /**
     * Makes this the current thread's context until the returned scope is closed, which restores the previous one.
     * Scopes must be closed in reverse order of opening, on the thread that opened them.
     */
    public Scope open() {
        AuditContext previous = CURRENT.get();
        CURRENT.set(this);
        return new Scope(previous, this);
    }

    /** Wraps a task so that it runs with this context, on whatever thread runs it. */
    public Runnable wrap(Runnable task) {
        Objects.requireNonNull(task, "task");
        return () -> {
            try (Scope ignored = open()) {
                task.run();
            }
        };
    }

    /** Wraps a task so that it runs with this context, on whatever thread runs it. */
    public <T> Callable<T> wrap(Callable<T> task) {
        Objects.requireNonNull(task, "task");
        return () -> {
            try (Scope ignored = open()) {
                return task.call();
            }
        };
    }

    /** Fills the event's unset correlation fields from this context. */
    AuditEvent.Builder applyTo(AuditEvent.Builder b) {
        if (b.requestId().isEmpty()) {
            requestId.ifPresent(b::requestId);
        }
        if (b.sessionId().isEmpty()) {
            sessionId.ifPresent(b::sessionId);
        }
        if (b.traceId().isEmpty()) {
            traceId.ifPresent(b::traceId);
        }
        if (b.tenant().isEmpty()) {
            tenant.ifPresent(b::tenant);
        }
        Optional<Actor> actor = b.actor();
        if (actor.isEmpty()) {
            if (userId.isPresent() || clientIp.isPresent() || userAgent.isPresent()) {
                Actor a = new Actor(userId.isPresent() ? ActorType.USER : ActorType.ANONYMOUS, userId,
                        Optional.empty(), clientIp, userAgent);
                b.actor(a);
            }
        } else {
            Actor a = actor.get();
            Actor filled = new Actor(a.type(),
                    a.id().isPresent() || a.type() != ActorType.USER ? a.id() : userId,
                    a.name(),
                    a.ip().isPresent() ? a.ip() : clientIp,
                    a.userAgent().isPresent() ? a.userAgent() : userAgent);
            if (!filled.equals(a)) {
                b.actor(filled);
            }
        }
        return b;
    }

    /** An open context scope; closing it restores the context that was current before. */
    public static final class Scope implements AutoCloseable {
        private final AuditContext previous;
        private final AuditContext opened;
        private boolean closed;

        private Scope(AuditContext previous, AuditContext opened) {
            this.previous = previous;
            this.opened = opened;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            if (CURRENT.get() != opened) {
                throw new IllegalStateException("audit context scopes closed out of order or on another thread");
            }
            closed = true;
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
    }

    /** Builds an {@link AuditContext}. */
    public static final class Builder {
        private Optional<String> requestId;
        private Optional<String> sessionId;
        private Optional<String> traceId;
        private Optional<String> userId;
        private Optional<String> clientIp;
        private Optional<String> userAgent;
        private Optional<String> tenant;

        private Builder(AuditContext from) {
            requestId = from.requestId;
            sessionId = from.sessionId;
            traceId = from.traceId;
            userId = from.userId;
            clientIp = from.clientIp;
            userAgent = from.userAgent;
            tenant = from.tenant;
        }

        public Builder requestId(String v) { requestId = Optional.of(v); return this; }
        public Builder sessionId(String v) { sessionId = Optional.of(v); return this; }
        public Builder traceId(String v) { traceId = Optional.of(v); return this; }
        public Builder user(String v) { userId = Optional.of(v); return this; }
        public Builder clientIp(String v) { clientIp = Optional.of(v); return this; }
        public Builder userAgent(String v) { userAgent = Optional.of(v); return this; }
        public Builder tenant(String v) { tenant = Optional.of(v); return this; }

        public AuditContext build() {
            return new AuditContext(requestId, sessionId, traceId, userId, clientIp, userAgent, tenant);
        }
    }
}
