package io.vigil.spring.internal.web;

import io.vigil.AuditContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import org.slf4j.MDC;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What Vigil knows about one HTTP request, across all its dispatches (the request, an async resumption, the error
 * page): the correlation values resolved once when it arrived, the request's method and path, the marks listeners
 * leave so that one request records a thing once, and actions deferred to the end of the request, when what
 * happened in it is known (an authentication that turned out to be part of a form login, a session that ended with
 * or without a logout).
 *
 * <p>It is kept as a request attribute, and bound to the thread for the length of each dispatch so that Spring
 * Security's listeners, which run synchronously on that thread, find it with {@link #current()}.
 */
public final class RequestAudit {
    /** The request attribute holding the request's audit state. */
    public static final String ATTRIBUTE = RequestAudit.class.getName();
    /** The MDC keys of the request and trace ids. */
    public static final String MDC_REQUEST_ID = "requestId";
    public static final String MDC_TRACE_ID = "traceId";
    static final int MAX_PATH_CHARS = 512;

    private static final ThreadLocal<Binding> BOUND = new ThreadLocal<>();

    private final String requestId;
    private final Optional<String> traceId;
    private final Optional<String> clientIp;
    private final Optional<String> userAgent;
    private final Optional<String> tenant;
    private final String method;
    private final String path;
    private volatile HttpServletRequest request;
    private volatile Optional<String> sessionHash;
    private final Set<String> marks = ConcurrentHashMap.newKeySet();
    private final Map<String, Runnable> deferred = new LinkedHashMap<>();
    private volatile boolean asyncListenerAdded;

    RequestAudit(HttpServletRequest request, String requestId, Optional<String> traceId, Optional<String> clientIp,
                 Optional<String> userAgent, Optional<String> tenant, Optional<String> sessionHash) {
        this.request = request;
        this.requestId = requestId;
        this.traceId = traceId;
        this.clientIp = clientIp;
        this.userAgent = userAgent;
        this.tenant = tenant;
        this.sessionHash = sessionHash;
        this.method = request.getMethod() == null ? "GET" : request.getMethod();
        this.path = pathOf(request);
    }

    /** The audit state of the request this thread is serving, if Vigil's filter is serving it. */
    public static Optional<RequestAudit> current() {
        Binding b = BOUND.get();
        return b == null ? Optional.empty() : Optional.of(b.audit);
    }

    /** The audit state kept on a request, if Vigil's filter saw it. */
    public static Optional<RequestAudit> of(HttpServletRequest request) {
        return request.getAttribute(ATTRIBUTE) instanceof RequestAudit a ? Optional.of(a) : Optional.empty();
    }

    public String requestId() { return requestId; }
    public Optional<String> traceId() { return traceId; }
    public Optional<String> clientIp() { return clientIp; }
    public Optional<String> userAgent() { return userAgent; }
    public Optional<String> tenant() { return tenant; }
    /** The HTTP method, e.g. {@code GET}. */
    public String method() { return method; }
    /** The request's path as the application sees it, decoded, without query string or path parameters. */
    public String path() { return path; }
    /** {@code "METHOD /path"}: the target id of a web request. */
    public String target() { return method + " " + path; }
    /** The request object of the latest dispatch. */
    public HttpServletRequest request() { return request; }

    /** The request's session now (it may have been created, renewed or invalidated since the request began). */
    public Optional<HttpSession> session() {
        try {
            return Optional.ofNullable(request.getSession(false));
        } catch (IllegalStateException responseCommittedOrRecycled) {
            return Optional.empty();
        }
    }

    /** The keyed hash of the session id as it was last seen. */
    public Optional<String> sessionHash() {
        return sessionHash;
    }

    /** The context events recorded during the request carry. */
    public AuditContext context() {
        AuditContext.Builder b = AuditContext.builder().requestId(requestId);
        traceId.ifPresent(b::traceId);
        clientIp.ifPresent(b::clientIp);
        userAgent.ifPresent(b::userAgent);
        tenant.ifPresent(b::tenant);
        sessionHash.ifPresent(b::sessionId);
        return b.build();
    }

    /**
     * Leaves a mark, e.g. "a denial was recorded".
     *
     * @return true when the mark is new, false when it was already there
     */
    public boolean mark(String mark) {
        return marks.add(mark);
    }

    public boolean marked(String mark) {
        return marks.contains(mark);
    }

    /** Runs {@code action} when the request ends, unless an action with this key is already waiting. */
    public void defer(String key, Runnable action) {
        synchronized (deferred) {
            deferred.putIfAbsent(key, action);
        }
    }

    /** Drops the action waiting under {@code key}; true when there was one. */
    public boolean cancel(String key) {
        synchronized (deferred) {
            return deferred.remove(key) != null;
        }
    }

    /**
     * The session changed during the request (created, renewed or invalidated): later events carry its new hash,
     * and so does the thread's audit context when this request's scope is the innermost one.
     */
    public void sessionChanged(Optional<String> hash) {
        sessionHash = hash;
        Binding b = BOUND.get();
        if (b != null && b.audit == this) {
            b.reopen(context());
        }
    }

    void attach(HttpServletRequest dispatched) {
        request = dispatched;
    }

    /** Whether this request is already bound to the current thread (the filter met it twice in one dispatch). */
    boolean isBoundHere() {
        Binding b = BOUND.get();
        return b != null && b.audit == this;
    }

    /** Opens the request's audit context and MDC entries on this thread until the binding is closed. */
    Binding bind() {
        return new Binding(this, BOUND.get());
    }

    /** Runs the deferred actions, in the order they were deferred. */
    void flush(IntegrationFailures failures) {
        List<Map.Entry<String, Runnable>> actions;
        synchronized (deferred) {
            if (deferred.isEmpty()) {
                return;
            }
            actions = new ArrayList<>(deferred.entrySet());
            deferred.clear();
        }
        run(actions, failures);
    }

    private static void run(List<Map.Entry<String, Runnable>> actions, IntegrationFailures failures) {
        for (Map.Entry<String, Runnable> a : actions) {
            try {
                a.getValue().run();
            } catch (RuntimeException e) {
                failures.failed("deferred " + a.getKey(), e);
            }
        }
    }

    /** Runs now, in order, the deferred actions whose keys start with {@code keyPrefix}. */
    public void runDeferred(String keyPrefix, IntegrationFailures failures) {
        List<Map.Entry<String, Runnable>> actions = new ArrayList<>();
        synchronized (deferred) {
            var it = deferred.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<String, Runnable> e = it.next();
                if (e.getKey().startsWith(keyPrefix)) {
                    actions.add(Map.entry(e.getKey(), e.getValue()));
                    it.remove();
                }
            }
        }
        run(actions, failures);
    }

    /** An async request may complete without another dispatch; its deferred actions run then. */
    void flushOnAsyncComplete(HttpServletRequest r, IntegrationFailures failures) {
        if (asyncListenerAdded) {
            return;
        }
        asyncListenerAdded = true;
        r.getAsyncContext().addListener(new AsyncListener() {
            @Override
            public void onComplete(AsyncEvent event) {
                flush(failures);
            }

            @Override
            public void onTimeout(AsyncEvent event) {
            }

            @Override
            public void onError(AsyncEvent event) {
            }

            @Override
            public void onStartAsync(AsyncEvent event) {
                event.getAsyncContext().addListener(this);
            }
        });
    }

    /** The path of a request as the application sees it: decoded, without query string or path parameters. */
    public static String pathOf(HttpServletRequest r) {
        // The decoded servlet path and path info hold no path parameters (";jsessionid=…") and no query string,
        // either of which may carry a secret.
        StringBuilder sb = new StringBuilder();
        append(sb, r.getContextPath());
        append(sb, r.getServletPath());
        append(sb, r.getPathInfo());
        if (sb.isEmpty()) {
            String uri = r.getRequestURI();
            int cut = uri == null ? -1 : uri.indexOf(';');
            sb.append(uri == null ? "/" : cut < 0 ? uri : uri.substring(0, cut));
        }
        String p = sb.toString();
        return p.length() > MAX_PATH_CHARS ? p.substring(0, MAX_PATH_CHARS) : p;
    }

    private static void append(StringBuilder sb, String part) {
        if (part != null) {
            sb.append(part);
        }
    }

    /** One dispatch's hold on the thread: the audit context scope and the MDC entries, restored on close. */
    static final class Binding implements AutoCloseable {
        private final RequestAudit audit;
        private final Binding previous;
        private final String previousRequestId;
        private final String previousTraceId;
        private AuditContext context;
        private AuditContext.Scope scope;

        private Binding(RequestAudit audit, Binding previous) {
            this.audit = audit;
            this.previous = previous;
            this.previousRequestId = MDC.get(MDC_REQUEST_ID);
            this.previousTraceId = MDC.get(MDC_TRACE_ID);
            MDC.put(MDC_REQUEST_ID, audit.requestId);
            audit.traceId.ifPresent(t -> MDC.put(MDC_TRACE_ID, t));
            this.context = audit.context();
            this.scope = context.open();
            BOUND.set(this);
        }

        /** Replaces the scope with one of the new context, when nobody opened a scope inside ours. */
        private void reopen(AuditContext next) {
            if (AuditContext.current() != context) {
                return;
            }
            scope.close();
            context = next;
            scope = next.open();
        }

        @Override
        public void close() {
            try {
                scope.close();
            } finally {
                restore(MDC_REQUEST_ID, previousRequestId);
                restore(MDC_TRACE_ID, previousTraceId);
                if (previous == null) {
                    BOUND.remove();
                } else {
                    BOUND.set(previous);
                }
            }
        }

        private static void restore(String key, String value) {
            if (value == null) {
                MDC.remove(key);
            } else {
                MDC.put(key, value);
            }
        }
    }
}
