package io.vigil.example.gateway.support;

import io.vigil.ledger.VerificationReport;

import java.io.IOException;
import java.util.List;

/** Reads the ledger a gateway under test writes, from outside the gateway, as an auditor would. */
public interface LedgerAccess {

    /** Every entry stored so far, in seq order. */
    List<Entry> entries() throws IOException;

    /** The entries of one request (its X-Request-Id), in seq order. */
    default List<Entry> entries(String requestId) throws IOException {
        return entries().stream().filter(e -> e.requestId().filter(requestId::equals).isPresent()).toList();
    }

    /** A full verification against the signer's public key. */
    VerificationReport verify() throws IOException;

    /** Everything the store holds, as text: every file of the ledger directory, or every row of every table. */
    String everything() throws IOException;
}
