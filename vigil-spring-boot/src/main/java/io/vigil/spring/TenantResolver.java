package io.vigil.spring;

import jakarta.servlet.http.HttpServletRequest;

import java.util.Optional;

/**
 * Names the tenant a request acts for; every event recorded while the request runs carries it. Declare one as a
 * bean; without one, the header named by {@code vigil.web.tenant-header} is used when set.
 */
@FunctionalInterface
public interface TenantResolver {

    /** The request's tenant, or empty when it has none. Must not throw. */
    Optional<String> resolve(HttpServletRequest request);
}
