package io.vigil.example.gateway.support;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Optional;

/** One ledger entry, parsed from its stored line. */
public record Entry(long seq, JsonNode json) {

    public String type() {
        return text("type").orElseThrow();
    }

    public String outcome() {
        return text("outcome").orElseThrow();
    }

    public Optional<String> requestId() {
        return text("requestId");
    }

    public Optional<String> sessionId() {
        return text("sessionId");
    }

    public Optional<String> actorId() {
        return text("actor", "id");
    }

    public Optional<String> actorType() {
        return text("actor", "type");
    }

    public Optional<String> actorIp() {
        return text("actor", "ip");
    }

    public Optional<String> targetType() {
        return text("target", "type");
    }

    public Optional<String> targetId() {
        return text("target", "id");
    }

    public Optional<String> reason() {
        return text("reason");
    }

    /** A value under {@code details}, by path. */
    public Optional<JsonNode> detail(String... path) {
        JsonNode n = json.path("details");
        for (String p : path) {
            n = n.path(p);
        }
        return n.isMissingNode() || n.isNull() ? Optional.empty() : Optional.of(n);
    }

    public Optional<String> text(String... path) {
        JsonNode n = json;
        for (String p : path) {
            n = n.path(p);
        }
        return n.isMissingNode() || n.isNull() ? Optional.empty() : Optional.of(n.asText());
    }

    @Override
    public String toString() {
        return seq + " " + json;
    }
}
