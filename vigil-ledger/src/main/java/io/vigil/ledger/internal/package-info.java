/** Implementation of the ledger; not an API, may change in any release. */
package io.vigil.ledger.internal;
