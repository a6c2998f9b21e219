/** The {@code vigil} command. It exports nothing: it is a program, and reads ledgers through the public API only. */
module io.vigil.cli {
    requires io.vigil.core;
    requires io.vigil.detect;
    requires io.vigil.kafka;
    requires io.vigil.ledger;
    requires io.vigil.postgres;
    requires io.vigil.server;
    requires io.vigil.siem;
    requires com.fasterxml.jackson.core;
    requires com.fasterxml.jackson.databind;
    requires info.picocli;
    requires org.postgresql.jdbc;
    requires java.net.http; // vigil serve --demo sends its demo events as any client does
    requires java.naming; // the driver's data source is Referenceable, and an automatic module requires nothing

    // picocli reads the commands' annotated fields and methods reflectively.
    opens io.vigil.cli to info.picocli;
}
