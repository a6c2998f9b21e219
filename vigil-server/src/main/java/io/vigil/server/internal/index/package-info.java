/** The query index of a tenant's ledger: an embedded SQLite database rebuilt from the ledger, never the truth. */
package io.vigil.server.internal.index;
