/** The compatibility kit every ledger store passes: JUnit 5 tests a store's test class inherits. */
module io.vigil.ledger.tck {
    requires transitive io.vigil.ledger;
    requires transitive org.junit.jupiter.api;
    requires transitive org.junit.jupiter.params;
    requires transitive org.assertj.core;

    exports io.vigil.ledger.tck;
    // JUnit instantiates and calls the kit's (package-private) test methods reflectively.
    opens io.vigil.ledger.tck to org.junit.platform.commons;
}
