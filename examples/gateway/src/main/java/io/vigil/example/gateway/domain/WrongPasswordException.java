package io.vigil.example.gateway.domain;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ResponseStatus;

/** The current password given for a change was wrong. */
@ResponseStatus(HttpStatus.BAD_REQUEST)
public class WrongPasswordException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public WrongPasswordException() {
        super("the current password is wrong");
    }
}
