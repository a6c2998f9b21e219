/** The Kafka sink ({@link io.vigil.kafka.KafkaSinks}) and the sequencer that turns a topic into ledgers. */
package io.vigil.kafka;
