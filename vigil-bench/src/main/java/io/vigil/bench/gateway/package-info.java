/** The gateway benchmark's parts: the app in a child JVM, a closed-loop HTTP load, and what the ledger holds after. */
package io.vigil.bench.gateway;
