package io.vigil.server;

import java.util.Locale;

/** What an API key may do for its tenant. */
public enum Scope {
    /** Send events ({@code POST /v1/events}). */
    INGEST,
    /** Read events, proofs, checkpoints and evidence bundles. */
    READ,
    /** Run verification and manage the tenant's keys. */
    ADMIN;

    /** The name used on the command line and in the keys file: {@code ingest}, {@code read}, {@code admin}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
