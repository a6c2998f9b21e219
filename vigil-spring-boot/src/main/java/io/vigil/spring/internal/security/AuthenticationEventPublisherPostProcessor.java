package io.vigil.spring.internal.security;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationEventPublisherAware;
import org.springframework.core.type.MethodMetadata;
import org.springframework.security.authentication.AuthenticationEventPublisher;
import org.springframework.security.authentication.DefaultAuthenticationEventPublisher;

import java.util.Set;

/**
 * Makes every {@link AuthenticationEventPublisher} publish a failure event for every authentication failure.
 * Spring's {@link DefaultAuthenticationEventPublisher} publishes nothing for exceptions outside its mapping; the ones
 * Spring Boot, Spring Security or Vigil create get {@link UnmappedAuthenticationFailureEvent} as their default
 * failure event (Spring's own mechanism). A publisher the application defines keeps its settings and is wrapped in
 * a {@link CompleteAuthenticationEventPublisher}, which publishes the default event only for failures it left
 * unpublished. Spring Security also passes the publishers it creates for itself (not beans) through the bean post
 * processors, so those are covered too.
 */
public final class AuthenticationEventPublisherPostProcessor
        implements BeanPostProcessor, BeanFactoryAware, ApplicationEventPublisherAware {
    /** Configuration classes whose publisher is a framework default, not the application's choice. */
    private static final Set<String> FRAMEWORK_CONFIGURATIONS = Set.of(
            "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
            "io.vigil.spring.boot.autoconfigure.VigilSecurityAutoConfiguration");

    private ConfigurableListableBeanFactory beanFactory;
    private ApplicationEventPublisher events;

    @Override
    public void setBeanFactory(BeanFactory beanFactory) throws BeansException {
        this.beanFactory = beanFactory instanceof ConfigurableListableBeanFactory c ? c : null;
    }

    @Override
    public void setApplicationEventPublisher(ApplicationEventPublisher events) {
        this.events = events;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
        if (!(bean instanceof AuthenticationEventPublisher publisher)
                || bean instanceof CompleteAuthenticationEventPublisher) {
            return bean;
        }
        if (bean instanceof DefaultAuthenticationEventPublisher defaults && isFrameworkDefault(beanName)) {
            defaults.setDefaultAuthenticationFailureEvent(UnmappedAuthenticationFailureEvent.class);
            return bean;
        }
        return new CompleteAuthenticationEventPublisher(publisher, events);
    }

    /** Not a bean of the application: created by Spring Security for itself, or by an auto-configuration. */
    private boolean isFrameworkDefault(String beanName) {
        if (beanFactory == null || beanName == null || !beanFactory.containsBeanDefinition(beanName)) {
            return true;
        }
        BeanDefinition definition = beanFactory.getBeanDefinition(beanName);
        if (definition instanceof AnnotatedBeanDefinition annotated) {
            MethodMetadata factoryMethod = annotated.getFactoryMethodMetadata();
            if (factoryMethod == null) {
                return false;
            }
            String declaring = factoryMethod.getDeclaringClassName();
            int nested = declaring.indexOf('$');
            return FRAMEWORK_CONFIGURATIONS.contains(nested < 0 ? declaring : declaring.substring(0, nested));
        }
        return false;
    }
}
