package io.vigil.spring.internal.security;

import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;

import java.util.Optional;

/** The OAuth2 error code of an authentication failure. Loaded only when OAuth2 support is present. */
final class OAuth2Errors {

    private OAuth2Errors() {
    }

    /** {@code invalid_client}, {@code invalid_grant}, {@code invalid_token}, …; only codes of safe characters. */
    static Optional<String> code(AuthenticationException e) {
        if (e instanceof OAuth2AuthenticationException o && o.getError() != null) {
            return FailureReasons.safeCode(o.getError().getErrorCode());
        }
        return Optional.empty();
    }
}
