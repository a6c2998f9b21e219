package io.vigil.example.gateway.domain;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ResponseStatus;

/** A user with that name exists already. An {@link IllegalArgumentException}: {@code @Audited} records a failure. */
@ResponseStatus(HttpStatus.CONFLICT)
public class UserExistsException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public UserExistsException(String username) {
        super("user " + username + " exists");
    }
}
