package io.vigil.spring.boot.autoconfigure;

import io.micrometer.core.instrument.binder.MeterBinder;
import io.vigil.AuditLog;
import io.vigil.spring.internal.actuator.BootAuditListenersOff;
import io.vigil.spring.internal.actuator.LedgerAuditEventRepository;
import io.vigil.spring.internal.actuator.LedgerStatus;
import io.vigil.spring.internal.actuator.VigilEndpoint;
import io.vigil.spring.internal.actuator.VigilHealthIndicator;
import io.vigil.spring.internal.actuator.VigilMeters;
import io.vigil.spring.internal.audited.CurrentActor;
import io.vigil.spring.internal.ledger.VigilLedger;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.audit.AuditEventRepository;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.security.AbstractAuthenticationAuditListener;
import org.springframework.boot.actuate.security.AbstractAuthorizationAuditListener;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;

/**
 * Vigil in Actuator: the {@code vigil} health indicator, the meters, the {@code vigil} endpoint (status, and
 * verification on demand) and {@code /actuator/auditevents} served from the ledger, with Boot's own security audit
 * listeners backed off so nothing is recorded twice. Each part switches on when its Actuator module is present.
 */
@AutoConfiguration(after = VigilAutoConfiguration.class, beforeName = {
        "org.springframework.boot.actuate.autoconfigure.audit.AuditAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.audit.AuditEventsEndpointAutoConfiguration"})
@ConditionalOnBean({AuditLog.class, VigilLedger.class})
public class VigilActuatorAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    LedgerStatus vigilLedgerStatus(AuditLog log, VigilLedger ledger, ObjectProvider<Clock> clocks) {
        return new LedgerStatus(log, ledger, clocks.getIfUnique(Clock::systemUTC));
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    static class Health {
        @Bean
        @ConditionalOnMissingBean(name = "vigilHealthIndicator")
        VigilHealthIndicator vigilHealthIndicator(LedgerStatus status) {
            return new VigilHealthIndicator(status);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterBinder.class)
    static class Metrics {
        @Bean
        @ConditionalOnMissingBean
        VigilMeters vigilMeters(AuditLog log, VigilLedger ledger, LedgerStatus status) {
            return new VigilMeters(log, ledger, status);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(Endpoint.class)
    static class VigilEndpointConfiguration {
        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnAvailableEndpoint(endpoint = VigilEndpoint.class)
        VigilEndpoint vigilEndpoint(AuditLog log, VigilLedger ledger, LedgerStatus status) {
            return new VigilEndpoint(log, ledger, status, CurrentActor.supplier());
        }
    }

    /** Only when the application has no repository of its own: then Boot's listeners feed that one, as before. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(AuditEventRepository.class)
    @ConditionalOnMissingBean(AuditEventRepository.class)
    static class AuditEvents {
        @Bean
        AuditEventRepository vigilAuditEventRepository(AuditLog log, VigilLedger ledger) {
            return new LedgerAuditEventRepository(log, ledger, CurrentActor.supplier());
        }

        @Configuration(proxyBeanMethods = false)
        @ConditionalOnClass(name = "org.springframework.security.authentication.event.AbstractAuthenticationEvent")
        static class BootListenersOff {
            @Bean
            @ConditionalOnMissingBean(AbstractAuthenticationAuditListener.class)
            AbstractAuthenticationAuditListener vigilBootAuthenticationAuditListenerOff() {
                return new BootAuditListenersOff.Authentication();
            }

            @Bean
            @ConditionalOnMissingBean(AbstractAuthorizationAuditListener.class)
            AbstractAuthorizationAuditListener vigilBootAuthorizationAuditListenerOff() {
                return new BootAuditListenersOff.Authorization();
            }
        }
    }
}
