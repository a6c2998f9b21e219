/** The deterministic stream of security events that every benchmark records, and its mapping to each API. */
package io.vigil.bench.workload;
