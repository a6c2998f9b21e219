/** What a Spring application uses of Vigil directly: {@link io.vigil.spring.Audited}, {@link io.vigil.spring.TokenAudit}, the tenant and hashing hooks. */
package io.vigil.spring;
