/** The interceptor behind {@link io.vigil.spring.Audited}: records each call's outcome, and audits before acting when fail-closed. */
package io.vigil.spring.internal.audited;
