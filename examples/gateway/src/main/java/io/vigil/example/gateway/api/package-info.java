/** The gateway's HTTP API under {@code /api}, and its home page. */
package io.vigil.example.gateway.api;
