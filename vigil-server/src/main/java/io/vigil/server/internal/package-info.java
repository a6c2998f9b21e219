/**
 * The server's implementation: the HTTP handlers, the tenants' ledgers, the keys file and its lock, request parsing
 * and answers. Not exported.
 */
package io.vigil.server.internal;
