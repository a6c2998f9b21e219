package io.vigil.example.gateway.domain;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ResponseStatus;

/** No report has that id. An {@link IllegalArgumentException}, so {@code @Audited} records a failure. */
@ResponseStatus(HttpStatus.NOT_FOUND)
public class ReportNotFoundException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public ReportNotFoundException(String id) {
        super("no report " + id);
    }
}
