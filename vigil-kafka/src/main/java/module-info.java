/**
 * Vigil and Kafka: the Kafka sink, which sends each batch in one transaction, and the sequencer, which appends each
 * partition of a topic into a ledger of its own (files or PostgreSQL) exactly once. Only {@code io.vigil.kafka} is
 * exported; the implementations live in {@code io.vigil.kafka.internal}.
 */
module io.vigil.kafka {
    requires transitive io.vigil.ledger;
    requires io.vigil.postgres;
    requires kafka.clients;
    requires org.postgresql.jdbc;
    requires org.slf4j;
    requires java.naming; // the driver's data source is Referenceable, and an automatic module requires nothing

    exports io.vigil.kafka;

    provides io.vigil.sink.SinkProvider with io.vigil.kafka.internal.KafkaSinkProvider;
}
