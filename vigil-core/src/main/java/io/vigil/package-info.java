/** The public entry point: {@link io.vigil.AuditLog}, its builder, receipts, correlation context and category helpers. */
package io.vigil;
