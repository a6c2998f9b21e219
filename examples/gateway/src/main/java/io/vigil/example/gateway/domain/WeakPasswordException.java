package io.vigil.example.gateway.domain;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ResponseStatus;

/** A new password was refused as too weak. */
@ResponseStatus(HttpStatus.BAD_REQUEST)
public class WeakPasswordException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public WeakPasswordException(int minLength) {
        super("a new password needs at least " + minLength + " characters");
    }
}
