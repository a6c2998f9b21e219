/** The server's implementation: the HTTP handlers, the tenants' ledgers, request parsing and answers. Not exported. */
package io.vigil.server.internal;
