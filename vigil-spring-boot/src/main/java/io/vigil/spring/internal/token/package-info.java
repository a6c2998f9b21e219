/** {@link io.vigil.spring.TokenAudit}: the life of tokens an application issues itself, and reuse of revoked ones. */
package io.vigil.spring.internal.token;
