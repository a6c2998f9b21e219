package io.vigil.example.gateway.domain;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ResponseStatus;

/** The named user does not exist. An {@link IllegalArgumentException}, so {@code @Audited} records a failure. */
@ResponseStatus(HttpStatus.NOT_FOUND)
public class UnknownUserException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public UnknownUserException(String username) {
        super("no user " + username);
    }
}
