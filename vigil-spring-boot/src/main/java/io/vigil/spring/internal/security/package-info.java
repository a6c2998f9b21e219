/** Spring Security's events turned into catalogue events: logins, failures, logouts, sessions, access decisions, user switches. */
package io.vigil.spring.internal.security;
