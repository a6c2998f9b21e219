package io.vigil.example.gateway;

import io.vigil.example.gateway.support.LedgerAccess;
import io.vigil.example.gateway.support.PostgresStoreContext;

/** The flows against the PostgreSQL ledger ({@code vigil.ledger.store=postgres}) on the embedded test server. */
@PostgresStoreGateway
class PostgresLedgerFlowsTest extends GatewayFlowsTest {

    @Override
    LedgerAccess ledger() {
        return PostgresStoreContext.ledger();
    }
}
