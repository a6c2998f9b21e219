package io.vigil.example.gateway.domain;

/** A report a user owns. */
public record Report(String id, String owner, String title, long rows) {
}
