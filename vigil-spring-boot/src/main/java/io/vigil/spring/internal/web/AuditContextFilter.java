package io.vigil.spring.internal.web;

import io.vigil.spring.SecretHasher;
import io.vigil.spring.TenantResolver;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.slf4j.MDC;

import java.io.IOException;
import java.util.Optional;

/**
 * Opens the request's {@link io.vigil.AuditContext} before Spring Security runs, so that everything recorded while
 * the request is served carries its request id, trace id, client address, user agent, session hash and tenant. The
 * request id is echoed in the response. An error page or async dispatch of the same request continues the request's
 * context instead of starting a new one.
 */
public final class AuditContextFilter implements Filter {
    static final int MAX_USER_AGENT_CHARS = 512;
    static final int MAX_TENANT_CHARS = 128;

    private final ClientAddressResolver clientAddresses;
    private final String requestIdHeader;
    private final Optional<TenantResolver> tenantResolver;
    private final Optional<String> tenantHeader;
    private final SecretHasher hasher;
    private final IntegrationFailures failures;

    public AuditContextFilter(ClientAddressResolver clientAddresses, String requestIdHeader,
                              Optional<TenantResolver> tenantResolver, Optional<String> tenantHeader,
                              SecretHasher hasher, IntegrationFailures failures) {
        this.clientAddresses = clientAddresses;
        this.requestIdHeader = requestIdHeader;
        this.tenantResolver = tenantResolver;
        this.tenantHeader = tenantHeader;
        this.hasher = hasher;
        this.failures = failures;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        if (!(req instanceof HttpServletRequest request) || !(res instanceof HttpServletResponse response)) {
            chain.doFilter(req, res);
            return;
        }
        RequestAudit audit;
        RequestAudit.Binding binding;
        try {
            Optional<RequestAudit> existing = RequestAudit.of(request);
            if (existing.isPresent() && existing.get().isBoundHere()) {
                chain.doFilter(req, res); // registered twice: the outer pass already holds the context
                return;
            }
            if (existing.isPresent()) {
                audit = existing.get();
                audit.attach(request);
            } else {
                audit = open(request);
                request.setAttribute(RequestAudit.ATTRIBUTE, audit);
            }
            if (!response.isCommitted() && !response.containsHeader(requestIdHeader)) {
                response.setHeader(requestIdHeader, audit.requestId());
            }
            binding = audit.bind();
        } catch (RuntimeException e) {
            failures.failed("request context", e);
            chain.doFilter(req, res);
            return;
        }
        try {
            chain.doFilter(request, response);
        } finally {
            try {
                if (request.isAsyncStarted()) {
                    audit.flushOnAsyncComplete(request, failures);
                } else {
                    audit.flush(failures);
                }
            } catch (RuntimeException e) {
                failures.failed("request end", e);
            } finally {
                try {
                    binding.close();
                } catch (IllegalStateException e) {
                    // Someone opened an audit context scope inside the request and left it open: ours is
                    // restored all the same (MDC and request binding); the leak is theirs to fix.
                    failures.failed("request context close", e);
                }
            }
        }
    }

    private RequestAudit open(HttpServletRequest request) {
        String requestId = RequestIds.valid(request.getHeader(requestIdHeader)).orElseGet(RequestIds::next);
        Optional<String> traceId = TraceParent.traceId(request.getHeader("traceparent"));
        if (traceId.isEmpty()) {
            // Micrometer Tracing (its observation filter runs before this one) leaves the current trace id here.
            String fromTracing = MDC.get(RequestAudit.MDC_TRACE_ID);
            if (TraceParent.isTraceId(fromTracing)) {
                traceId = Optional.of(fromTracing);
            }
        }
        Optional<String> userAgent = Optional.ofNullable(request.getHeader("User-Agent"))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .map(s -> s.length() > MAX_USER_AGENT_CHARS ? s.substring(0, MAX_USER_AGENT_CHARS) : s);
        HttpSession session = request.getSession(false);
        Optional<String> sessionHash = session == null ? Optional.empty() : Optional.of(hasher.hash(session.getId()));
        return new RequestAudit(request, requestId, traceId, clientAddresses.resolve(request), userAgent,
                tenant(request), sessionHash);
    }

    private Optional<String> tenant(HttpServletRequest request) {
        if (tenantResolver.isPresent()) {
            try {
                Optional<String> t = tenantResolver.get().resolve(request);
                if (t == null) {
                    throw new IllegalStateException("TenantResolver returned null instead of Optional.empty()");
                }
                if (t.isPresent() && !isTenant(t.get())) {
                    throw new IllegalStateException("TenantResolver returned a tenant that is blank, longer than "
                            + MAX_TENANT_CHARS + " characters or holds control characters");
                }
                return t;
            } catch (RuntimeException e) {
                failures.failed("tenant resolver", e);
                return Optional.empty();
            }
        }
        return tenantHeader.map(request::getHeader).filter(RequestIds::isValid);
    }

    private static boolean isTenant(String t) {
        if (t.isBlank() || t.length() > MAX_TENANT_CHARS) {
            return false;
        }
        return t.chars().noneMatch(Character::isISOControl);
    }
}
