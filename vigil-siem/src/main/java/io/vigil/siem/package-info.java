/** Formats that turn a Vigil event, with its place in the ledger, into one line a SIEM reads. */
package io.vigil.siem;
