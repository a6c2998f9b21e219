/** What the gateway's end-to-end tests share: an HTTP client with sessions, the ledger's entries, the secrets used. */
package io.vigil.example.gateway.support;
