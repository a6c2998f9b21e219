/** The ledger on PostgreSQL: the {@code security_audit_log} schema, its migrations and its append-only rules. */
package io.vigil.postgres;
