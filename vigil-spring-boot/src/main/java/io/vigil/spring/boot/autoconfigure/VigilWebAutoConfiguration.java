package io.vigil.spring.boot.autoconfigure;

import io.vigil.AuditLog;
import io.vigil.event.IpRange;
import io.vigil.spring.SecretHasher;
import io.vigil.spring.TenantResolver;
import io.vigil.spring.internal.web.AuditContextFilter;
import io.vigil.spring.internal.web.ClientAddressResolver;
import io.vigil.spring.internal.web.IntegrationFailures;
import io.vigil.spring.internal.web.RequestIds;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingFilterBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The request context ({@code vigil.web.*}): a servlet filter, ordered before Spring Security's filter chain, opens
 * an audit context for each request (request id from {@code X-Request-Id} or a new one, echoed; trace id from
 * {@code traceparent}; the client address, believing forwarding headers only from {@code vigil.web.trusted-proxies};
 * user agent; keyed hash of the session id; tenant) and puts the request and trace ids in the logging MDC.
 */
@AutoConfiguration(after = VigilAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({Filter.class, FilterRegistrationBean.class})
@ConditionalOnBean({AuditLog.class, SecretHasher.class})
@ConditionalOnBooleanProperty(name = "vigil.web.enabled", matchIfMissing = true)
@EnableConfigurationProperties(VigilProperties.class)
public class VigilWebAutoConfiguration {

    /**
     * Before Spring Security's filter chain (Boot registers it at -100), so that authentication and authorization
     * events find the request's context, and after Boot's request-context and tracing filters.
     */
    public static final int FILTER_ORDER = -110;

    @Bean
    @ConditionalOnMissingBean
    IntegrationFailures vigilIntegrationFailures() {
        return new IntegrationFailures();
    }

    @Bean
    @ConditionalOnMissingFilterBean(AuditContextFilter.class)
    FilterRegistrationBean<AuditContextFilter> vigilAuditContextFilter(VigilProperties properties, SecretHasher hasher,
                                                                       ObjectProvider<TenantResolver> tenantResolvers,
                                                                       IntegrationFailures failures) {
        VigilProperties.Web web = properties.getWeb();
        String requestIdHeader = web.getRequestIdHeader();
        if (requestIdHeader == null || !RequestIds.isValid(requestIdHeader) || requestIdHeader.indexOf(':') >= 0) {
            throw new InvalidConfigurationPropertyValueException("vigil.web.request-id-header", requestIdHeader,
                    "An HTTP header name such as X-Request-Id.");
        }
        Optional<String> tenantHeader = Optional.ofNullable(web.getTenantHeader()).filter(h -> !h.isBlank());
        if (tenantHeader.isPresent() && (!RequestIds.isValid(tenantHeader.get()) || tenantHeader.get().indexOf(':') >= 0)) {
            throw new InvalidConfigurationPropertyValueException("vigil.web.tenant-header", tenantHeader.get(),
                    "An HTTP header name such as X-Tenant.");
        }
        AuditContextFilter filter = new AuditContextFilter(new ClientAddressResolver(trustedProxies(web)),
                requestIdHeader, Optional.ofNullable(tenantResolvers.getIfUnique()), tenantHeader, hasher, failures);
        FilterRegistrationBean<AuditContextFilter> registration = new FilterRegistrationBean<>(filter);
        registration.setName("vigilAuditContextFilter");
        registration.setOrder(FILTER_ORDER);
        // Not FORWARD or INCLUDE: those stay inside a dispatch this filter already holds.
        registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR);
        return registration;
    }

    static List<IpRange> trustedProxies(VigilProperties.Web web) {
        List<IpRange> ranges = new ArrayList<>();
        List<String> configured = web.getTrustedProxies();
        for (int i = 0; i < configured.size(); i++) {
            String entry = configured.get(i);
            int index = i;
            ranges.add(IpRange.parse(entry).orElseThrow(() -> new InvalidConfigurationPropertyValueException(
                    "vigil.web.trusted-proxies[" + index + "]", entry,
                    "A CIDR block (10.0.0.0/8, fd00::/8) or an IP address (127.0.0.1, ::1); no host names.")));
        }
        return ranges;
    }
}
