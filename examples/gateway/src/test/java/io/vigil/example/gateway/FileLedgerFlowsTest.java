package io.vigil.example.gateway;

import io.vigil.example.gateway.support.FileStoreContext;
import io.vigil.example.gateway.support.LedgerAccess;
import org.junit.jupiter.api.Order;

/** The flows against the file ledger, configured by {@code vigil.ledger.dir} and {@code vigil.ledger.signing-key-file}. */
@FileStoreGateway
@Order(1)
class FileLedgerFlowsTest extends GatewayFlowsTest {

    @Override
    LedgerAccess ledger() {
        return FileStoreContext.ledger();
    }
}
