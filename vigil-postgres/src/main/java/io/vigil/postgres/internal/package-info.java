/** How the PostgreSQL ledger maps entries to rows, appends under an advisory lock and reads the tree back. */
package io.vigil.postgres.internal;
