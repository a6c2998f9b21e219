/** The OAuth2 Authorization Server's token life audited: issue, refresh, revocation, reuse, and refused grants. */
package io.vigil.spring.internal.authserver;
