/**
 * The Vigil server: HTTP ingest into a ledger per tenant, API keys kept as hashes, queries and proofs. Only the API
 * package is exported; the HTTP handlers and the tenants' ledgers live in {@code io.vigil.server.internal}.
 */
module io.vigil.server {
    requires io.vigil.core;
    requires io.vigil.ledger;
    requires io.vigil.postgres;
    requires org.postgresql.jdbc;
    requires org.eclipse.jetty.server;
    requires org.eclipse.jetty.http;
    requires org.eclipse.jetty.io;
    requires org.eclipse.jetty.util;
    requires com.fasterxml.jackson.databind;
    requires micrometer.core;
    requires micrometer.registry.prometheus;
    requires org.slf4j;
    requires org.xerial.sqlitejdbc;
    requires com.zaxxer.hikari;

    exports io.vigil.server;
}
