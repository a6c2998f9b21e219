/** The Kafka sink's producer, the sequencer's consumer loop and the per-partition ledgers behind it. */
package io.vigil.kafka.internal;
