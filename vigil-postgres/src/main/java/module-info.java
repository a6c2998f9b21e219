/**
 * The ledger in PostgreSQL ({@code security_audit_log}): many writers, the spool, retention, the reader and the
 * verifier. Only {@code io.vigil.postgres} is exported.
 */
module io.vigil.postgres {
    requires transitive io.vigil.ledger;
    requires transitive java.sql;
    requires com.fasterxml.jackson.databind;
    requires flyway.core;
    requires org.postgresql.jdbc;
    requires org.slf4j;

    exports io.vigil.postgres;
}
