package io.vigil.sink;

/** What keys the Kafka sink's records: records with one key go to one partition, in order. */
public enum KafkaKey {
    /** The event's tenant, so that each tenant's events stay in order in one partition (and one ledger). */
    TENANT,
    /** The sink's chain name, so that all of this instance's events stay in order in one partition. */
    CHAIN
}
