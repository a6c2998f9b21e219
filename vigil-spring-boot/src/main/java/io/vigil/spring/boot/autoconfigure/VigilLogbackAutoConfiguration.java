package io.vigil.spring.boot.autoconfigure;

import ch.qos.logback.classic.LoggerContext;
import io.vigil.AuditLog;
import io.vigil.logback.BridgeOptions;
import io.vigil.logback.LogbackBridge;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;

import java.util.List;

/**
 * The Logback bridge: log events carrying an audit marker ({@code vigil.logback.markers}, default {@code AUDIT} and
 * {@code SECURITY}) become audit events in the application's {@link AuditLog}. Attached to the running Logback
 * context when the log exists, which is after Spring Boot has initialised logging (that resets Logback, and would
 * remove an appender added earlier); detached when the application context closes. Off with
 * {@code vigil.logback.enabled=false}, or when SLF4J is bound to something other than Logback.
 */
@AutoConfiguration(after = VigilAutoConfiguration.class)
@ConditionalOnClass({LogbackBridge.class, LoggerContext.class})
@ConditionalOnBean(AuditLog.class)
@ConditionalOnProperty(prefix = "vigil.logback", name = "enabled", matchIfMissing = true)
@Conditional(VigilLogbackAutoConfiguration.OnLogbackLoggerFactory.class)
public class VigilLogbackAutoConfiguration {

    /**
     * The attachment; closing it (the context does, as it is {@link AutoCloseable}) detaches the appender and the
     * filter. A context whose Logback configuration declares a {@code VigilAppender} gets that one bound instead.
     */
    @Bean
    @ConditionalOnMissingBean
    LogbackBridge vigilLogbackBridge(AuditLog auditLog, VigilProperties properties) {
        List<String> markers = properties.getLogback().getMarkers();
        BridgeOptions options;
        try {
            options = BridgeOptions.DEFAULTS.withMarkers(markers);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new InvalidConfigurationPropertyValueException("vigil.logback.markers", markers,
                    "give one or more marker names, e.g. AUDIT,SECURITY");
        }
        return LogbackBridge.attach((LoggerContext) LoggerFactory.getILoggerFactory(), auditLog, options);
    }

    /** Matches when SLF4J is bound to Logback: Logback on the class path is not enough, another binding may win. */
    static final class OnLogbackLoggerFactory extends SpringBootCondition {
        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            ILoggerFactory factory = LoggerFactory.getILoggerFactory();
            return factory instanceof LoggerContext ? ConditionOutcome.match("SLF4J is bound to Logback")
                    : ConditionOutcome.noMatch("SLF4J is bound to " + factory.getClass().getName() + ", not Logback");
        }
    }
}
