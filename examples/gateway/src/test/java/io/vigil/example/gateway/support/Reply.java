package io.vigil.example.gateway.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpHeaders;
import java.util.Optional;

/**
 * An HTTP response and the request id the client sent with it.
 *
 * @param requestId the X-Request-Id sent; the ledger entries of the request carry it
 */
public record Reply(String requestId, int status, HttpHeaders headers, String body) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public Optional<String> header(String name) {
        return headers.firstValue(name);
    }

    public JsonNode json() {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON (status " + status + "): " + body, e);
        }
    }

    @Override
    public String toString() {
        return "HTTP " + status + " [" + requestId + "] " + (body.length() > 300 ? body.substring(0, 300) + "…" : body);
    }
}
