package io.vigil.example.gateway.domain;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ResponseStatus;

/** No API token has that id (any more). */
@ResponseStatus(HttpStatus.NOT_FOUND)
public class UnknownTokenException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public UnknownTokenException(String id) {
        super("no token " + id);
    }
}
