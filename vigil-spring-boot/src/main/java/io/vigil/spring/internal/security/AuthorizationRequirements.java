package io.vigil.spring.internal.security;

import org.springframework.security.authorization.AuthorityAuthorizationDecision;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.authorization.ExpressionAuthorizationDecision;
import org.springframework.security.authorization.FactorAuthorizationDecision;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What an access decision required, read from the decision Spring Security made: the authorities of
 * {@code hasRole}/{@code hasAuthority} rules, the expression of {@code @PreAuthorize}/{@code access(...)}, the
 * missing factors of a multi-factor rule. A plain decision (as {@code authenticated()} makes) says nothing more; for
 * an anonymous caller it required an authenticated one.
 *
 * <p>An access is <em>privileged</em> when its rule names one of the privileged authorities and the caller holds
 * that authority: an administrator reading a report through {@code hasRole('ADMIN') or @owner.check(...)} is, the
 * owner reading it through the same rule is not.
 */
public final class AuthorizationRequirements {
    static final int MAX_REQUIRED_CHARS = 512;

    private final Set<String> privileged;

    public AuthorizationRequirements(Collection<String> privilegedAuthorities) {
        this.privileged = Set.copyOf(privilegedAuthorities);
    }

    /** The requirement, e.g. {@code ROLE_ADMIN}, {@code hasRole('ADMIN') or #id == 'x'}, {@code authenticated}. */
    Optional<String> required(AuthorizationResult result, boolean anonymous) {
        if (result instanceof AuthorityAuthorizationDecision a) {
            Set<String> names = new TreeSet<>();
            for (GrantedAuthority g : a.getAuthorities()) {
                if (g.getAuthority() != null) {
                    names.add(g.getAuthority());
                }
            }
            return names.isEmpty() ? Optional.empty() : Optional.of(cut(String.join(",", names)));
        }
        if (result instanceof ExpressionAuthorizationDecision e && e.getExpression() != null) {
            return Optional.of(cut(e.getExpression().getExpressionString()));
        }
        if (result instanceof FactorAuthorizationDecision f) {
            List<String> factors = new ArrayList<>();
            f.getFactorErrors().forEach(err -> factors.add(err.getRequiredFactor().getAuthority()));
            return factors.isEmpty() ? Optional.empty() : Optional.of(cut(String.join(",", factors)));
        }
        return anonymous ? Optional.of("authenticated") : Optional.empty();
    }

    /** Whether the decision's rule names a privileged authority (cheap; no caller needed). */
    boolean namesPrivileged(AuthorizationResult result) {
        return !named(result).isEmpty();
    }

    /** The privileged authority the rule names and the caller holds, when there is one. */
    Optional<String> privilegeUsed(AuthorizationResult result, Authentication caller) {
        if (caller == null) {
            return Optional.empty();
        }
        List<String> named = named(result);
        if (named.isEmpty()) {
            return Optional.empty();
        }
        for (GrantedAuthority held : caller.getAuthorities()) {
            if (named.contains(held.getAuthority())) {
                return Optional.of(held.getAuthority());
            }
        }
        return Optional.empty();
    }

    private List<String> named(AuthorizationResult result) {
        List<String> out = new ArrayList<>();
        if (result instanceof AuthorityAuthorizationDecision a) {
            for (GrantedAuthority g : a.getAuthorities()) {
                if (privileged.contains(g.getAuthority())) {
                    out.add(g.getAuthority());
                }
            }
        } else if (result instanceof ExpressionAuthorizationDecision e && e.getExpression() != null) {
            String expression = e.getExpression().getExpressionString();
            for (String p : privileged) {
                if (mentions(expression, p)) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    /** The expression names the authority, or (for ROLE_X) the role X as a quoted hasRole/hasAnyRole argument. */
    static boolean mentions(String expression, String authority) {
        if (expression.contains(authority)) {
            return true;
        }
        if (authority.startsWith("ROLE_")) {
            String role = authority.substring(5);
            return expression.contains("'" + role + "'") || expression.contains("\"" + role + "\"");
        }
        return false;
    }

    private static String cut(String s) {
        return s.length() > MAX_REQUIRED_CHARS ? s.substring(0, MAX_REQUIRED_CHARS) : s;
    }
}
