package io.vigil.example.gateway;

import io.vigil.example.gateway.support.LedgerAccess;
import io.vigil.example.gateway.support.PostgresStoreContext;
import org.junit.jupiter.api.Order;
import org.springframework.test.annotation.DirtiesContext;

/** The flows against the PostgreSQL ledger ({@code vigil.ledger.store=postgres}) on the embedded test server. */
@PostgresStoreGateway
@Order(3)
@DirtiesContext // closed before the next gateway starts
class PostgresLedgerFlowsTest extends GatewayFlowsTest {

    @Override
    LedgerAccess ledger() {
        return PostgresStoreContext.ledger();
    }
}
