/** The gateway's security set-up: filter chains, users, the Authorization Server and how bearer tokens are checked. */
package io.vigil.example.gateway.security;
