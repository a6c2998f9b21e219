package io.vigil.spring.internal.security;

import io.vigil.spring.internal.web.RequestAudit;
import org.springframework.security.authentication.RememberMeAuthenticationToken;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;

import java.util.Locale;
import java.util.Optional;

/**
 * How a principal authenticated, for {@code details.method}: {@code form}, {@code basic}, {@code bearer},
 * {@code remember_me}, {@code oauth2}, {@code saml2}, {@code one_time_token}, {@code webauthn}, {@code x509},
 * {@code pre_authenticated}, {@code client}, {@code password}, or {@code other}. Decided from the filter that
 * produced an interactive login, else the authentication's class, else the request's Authorization header.
 */
final class LoginMethods {

    private LoginMethods() {
    }

    /** The method of a login; {@code generatedBy} is the filter an interactive login names, when known. */
    static String of(Optional<Class<?>> generatedBy, Authentication a, Optional<RequestAudit> request) {
        Optional<String> byAuthentication = byAuthentication(a);
        if (byAuthentication.isPresent()) {
            return byAuthentication.get();
        }
        if (generatedBy.isPresent()) {
            Optional<String> byFilter = byFilter(generatedBy.get());
            if (byFilter.isPresent()) {
                return byFilter.get();
            }
        }
        Optional<String> scheme = request.map(RequestAudit::request).map(r -> r.getHeader("Authorization"))
                .map(h -> {
                    int space = h.indexOf(' ');
                    return (space < 0 ? h : h.substring(0, space)).toLowerCase(Locale.ROOT);
                });
        if (scheme.isPresent() && (scheme.get().equals("basic") || scheme.get().equals("bearer"))) {
            return scheme.get();
        }
        if (a instanceof UsernamePasswordAuthenticationToken) {
            return generatedBy.isPresent() || request.map(r -> r.method().equals("POST")).orElse(false)
                    ? "form" : "password";
        }
        return "other";
    }

    private static Optional<String> byAuthentication(Authentication a) {
        if (a == null) {
            return Optional.empty();
        }
        if (a instanceof RememberMeAuthenticationToken) {
            return Optional.of("remember_me");
        }
        if (Principals.isClient(a)) {
            return Optional.of("client");
        }
        for (Class<?> c = a.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            String method = switch (c.getSimpleName()) {
                case "OAuth2AuthenticationToken", "OAuth2LoginAuthenticationToken",
                     "OAuth2AuthorizationCodeAuthenticationToken" -> "oauth2";
                case "Saml2Authentication", "Saml2AuthenticationToken" -> "saml2";
                case "OneTimeTokenAuthenticationToken", "OneTimeTokenAuthentication" -> "one_time_token";
                case "WebAuthnAuthentication", "WebAuthnAuthenticationRequestToken" -> "webauthn";
                case "BearerTokenAuthenticationToken", "AbstractOAuth2TokenAuthenticationToken" -> "bearer";
                case "PreAuthenticatedAuthenticationToken" -> null; // x509 or a header: the filter says which
                default -> null;
            };
            if (method != null) {
                return Optional.of(method);
            }
        }
        return Optional.empty();
    }

    private static Optional<String> byFilter(Class<?> filter) {
        for (Class<?> c = filter; c != null && c != Object.class; c = c.getSuperclass()) {
            String method = switch (c.getSimpleName()) {
                case "UsernamePasswordAuthenticationFilter" -> "form";
                case "BasicAuthenticationFilter" -> "basic";
                case "RememberMeAuthenticationFilter" -> "remember_me";
                case "OAuth2LoginAuthenticationFilter" -> "oauth2";
                case "Saml2WebSsoAuthenticationFilter" -> "saml2";
                case "X509AuthenticationFilter" -> "x509";
                case "AbstractPreAuthenticatedProcessingFilter" -> "pre_authenticated";
                case "OneTimeTokenAuthenticationFilter" -> "one_time_token";
                case "WebAuthnAuthenticationFilter" -> "webauthn";
                default -> null;
            };
            if (method != null) {
                return Optional.of(method);
            }
        }
        return Optional.empty();
    }
}
