package io.vigil.spring.boot.autoconfigure;

import io.vigil.AuditLog;
import io.vigil.spring.Audited;
import io.vigil.spring.internal.audited.AuditedInterceptor;
import io.vigil.spring.internal.audited.CurrentActor;
import org.aopalliance.intercept.MethodInterceptor;
import org.springframework.aop.Advisor;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;

import java.time.Clock;

/**
 * {@link Audited} on bean methods. The advisor's order (0) puts it outside Spring Security's method interceptors
 * ({@code @PreAuthorize} is 200), so a denial by method security is recorded as the method's denied outcome.
 */
@AutoConfiguration(after = VigilAutoConfiguration.class)
@ConditionalOnClass(Advisor.class)
@ConditionalOnBean(AuditLog.class)
public class VigilAuditedAutoConfiguration {
    /** The advisor's order: before (outside) Spring Security's method authorization. */
    public static final int ORDER = 0;

    @Bean
    @ConditionalOnMissingBean
    AuditedInterceptor vigilAuditedInterceptor(AuditLog log, VigilProperties properties, ObjectProvider<Clock> clocks) {
        return new AuditedInterceptor(log, CurrentActor.supplier(), properties.getAudited().getFailClosedTimeout(),
                clocks.getIfUnique(Clock::systemUTC));
    }

    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    @ConditionalOnMissingBean(name = "vigilAuditedAdvisor")
    static Advisor vigilAuditedAdvisor(ObjectProvider<AuditedInterceptor> interceptor) {
        // Resolved lazily: an infrastructure advisor is created before ordinary beans, the log among them.
        DefaultPointcutAdvisor advisor = new DefaultPointcutAdvisor(
                AnnotationMatchingPointcut.forMethodAnnotation(Audited.class),
                (MethodInterceptor) inv -> interceptor.getObject().invoke(inv));
        advisor.setOrder(ORDER);
        return advisor;
    }

}
