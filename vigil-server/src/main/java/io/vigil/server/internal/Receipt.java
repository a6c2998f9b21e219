package io.vigil.server.internal;

import java.util.UUID;

/** Where an accepted event is in its tenant's ledger, once durable: what {@code POST /v1/events} answers. */
public record Receipt(UUID id, long seq, String hash) {
}
