package io.vigil.spring.internal.security;

import org.springframework.security.core.AuthenticationException;
import org.springframework.util.ClassUtils;

import java.util.Map;
import java.util.Optional;

/**
 * The reason code of a failed authentication, from its exception's class (the nearest known class up the
 * hierarchy). Never the exception's message, which may quote what the user typed.
 */
final class FailureReasons {
    private static final boolean OAUTH2 = ClassUtils.isPresent(
            "org.springframework.security.oauth2.core.OAuth2AuthenticationException",
            FailureReasons.class.getClassLoader());

    private static final Map<String, String> CODES = Map.ofEntries(
            Map.entry("org.springframework.security.authentication.BadCredentialsException", "bad_credentials"),
            Map.entry("org.springframework.security.core.userdetails.UsernameNotFoundException", "unknown_user"),
            Map.entry("org.springframework.security.authentication.LockedException", "locked"),
            Map.entry("org.springframework.security.authentication.DisabledException", "disabled"),
            Map.entry("org.springframework.security.authentication.AccountExpiredException", "account_expired"),
            Map.entry("org.springframework.security.authentication.CredentialsExpiredException", "credentials_expired"),
            Map.entry("org.springframework.security.authentication.password.CompromisedPasswordException",
                    "compromised_password"),
            Map.entry("org.springframework.security.authentication.ProviderNotFoundException", "provider_not_found"),
            Map.entry("org.springframework.security.authentication.AuthenticationServiceException", "service_error"),
            Map.entry("org.springframework.security.authentication.AuthenticationCredentialsNotFoundException",
                    "credentials_missing"),
            Map.entry("org.springframework.security.authentication.InsufficientAuthenticationException",
                    "insufficient_authentication"),
            Map.entry("org.springframework.security.authentication.ott.InvalidOneTimeTokenException", "invalid_token"),
            Map.entry("org.springframework.security.oauth2.server.resource.InvalidBearerTokenException",
                    "invalid_token"),
            Map.entry("org.springframework.security.web.authentication.session.SessionAuthenticationException",
                    "session_rejected"),
            Map.entry("org.springframework.security.web.authentication.rememberme.CookieTheftException",
                    "cookie_theft"),
            Map.entry("org.springframework.security.web.authentication.rememberme.InvalidCookieException",
                    "invalid_cookie"),
            Map.entry("org.springframework.security.web.authentication.rememberme.RememberMeAuthenticationException",
                    "remember_me_rejected"),
            Map.entry("org.springframework.security.web.authentication.preauth.PreAuthenticatedCredentialsNotFoundException",
                    "credentials_missing"),
            Map.entry("org.springframework.security.saml2.provider.service.authentication.Saml2AuthenticationException",
                    "saml2_rejected"));

    private FailureReasons() {
    }

    /** e.g. {@code bad_credentials}, {@code locked}, {@code invalid_token}, or the OAuth2 error code. */
    static String code(AuthenticationException e) {
        for (Class<?> c = e.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            String known = CODES.get(c.getName());
            if (known != null) {
                return known;
            }
            if (OAUTH2 && c.getName().equals("org.springframework.security.oauth2.core.OAuth2AuthenticationException")) {
                return OAuth2Errors.code(e).orElse("oauth2_error");
            }
        }
        return "other";
    }

    /** An error code fit for a reason field: 1 to 64 of {@code [a-z0-9_]}. */
    static Optional<String> safeCode(String code) {
        if (code == null || code.isEmpty() || code.length() > 64) {
            return Optional.empty();
        }
        for (int i = 0; i < code.length(); i++) {
            char c = code.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
                return Optional.empty();
            }
        }
        return Optional.of(code);
    }
}
