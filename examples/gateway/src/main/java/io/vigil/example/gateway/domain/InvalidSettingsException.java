package io.vigil.example.gateway.domain;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ResponseStatus;

/** A settings change that cannot be applied. An {@link IllegalArgumentException}: {@code @Audited} records a failure. */
@ResponseStatus(HttpStatus.BAD_REQUEST)
public class InvalidSettingsException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InvalidSettingsException(String message) {
        super(message);
    }
}
