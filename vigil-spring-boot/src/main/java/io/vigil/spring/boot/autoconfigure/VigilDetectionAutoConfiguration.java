package io.vigil.spring.boot.autoconfigure;

import io.vigil.detect.AccountLocker;
import io.vigil.detect.DetectionConfig;
import io.vigil.detect.DetectionStage;
import io.vigil.detect.GeoResolver;
import io.vigil.spring.internal.detect.DetectionProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Detection on the audit log when {@code vigil.detect.enabled=true} and {@code vigil-detect} is on the class path: a
 * {@link DetectionStage} configured by the {@code vigil.detect.*} properties (the keys of the {@code detect} section,
 * see docs/detection.md), registered on the log as the sink {@code detect} and bound to it, with the application's
 * {@link AccountLocker} bean, when it has one, called on every brute force finding, and its {@link GeoResolver} bean,
 * when it has one, locating addresses for the impossible travel detector.
 */
@AutoConfiguration(before = VigilAutoConfiguration.class)
@ConditionalOnClass(DetectionStage.class)
@ConditionalOnBooleanProperty(name = "vigil.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty("vigil.detect.enabled")
public class VigilDetectionAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    DetectionStage vigilDetectionStage(Environment env, ObjectProvider<AccountLocker> lockers,
                                       ObjectProvider<GeoResolver> resolvers) {
        DetectionConfig config = DetectionProperties.read(env); // a bad key fails start-up, naming it
        GeoResolver resolver = resolvers.getIfUnique();
        DetectionStage.Builder builder = resolver != null ? config.builder(resolver) : config.builder();
        lockers.ifUnique(builder::accountLocker);
        return builder.build();
    }

    @Bean
    LogAttachment vigilDetectionAttachment(DetectionStage stage) {
        return new LogAttachment("detect", stage, stage::bind);
    }
}
