/** Opens the ledger the properties describe (file or PostgreSQL), its keys, and watches its writes for health and metrics. */
package io.vigil.spring.internal.ledger;
