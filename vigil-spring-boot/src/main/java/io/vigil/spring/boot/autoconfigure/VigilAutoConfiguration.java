package io.vigil.spring.boot.autoconfigure;

import io.vigil.AuditLog;
import io.vigil.config.VigilConfig;
import io.vigil.spring.SecretHasher;
import io.vigil.spring.internal.config.SpringConfigAdapter;
import io.vigil.spring.internal.ledger.HmacSecretHasher;
import io.vigil.spring.internal.ledger.KeyMaterial;
import io.vigil.spring.internal.ledger.LedgerFactory;
import io.vigil.spring.internal.ledger.VigilLedger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The audit log and its ledger from {@code vigil.*}: with no property set, a file ledger under
 * {@code ~/.vigil/ledger/<spring.application.name>} signed by a key generated there (with a WARN saying what such a key
 * proves); {@code vigil.ledger.dir} and {@code vigil.ledger.signing-key-file} make it a real deployment;
 * {@code vigil.ledger.store=postgres} keeps it in PostgreSQL. {@code vigil.enabled=false} turns every Vigil bean off.
 */
@AutoConfiguration(afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnBooleanProperty(name = "vigil.enabled", matchIfMissing = true)
@EnableConfigurationProperties(VigilProperties.class)
public class VigilAutoConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(VigilAutoConfiguration.class);

    /** The application's name as Vigil uses it: for the service field, default paths and the ledger's origin. */
    static String applicationName(VigilProperties properties, Environment env) {
        if (properties.getService() != null && !properties.getService().isBlank()) {
            return properties.getService();
        }
        return env.getProperty("spring.application.name", "application");
    }

    @Bean
    @ConditionalOnMissingBean({VigilLedger.class, AuditLog.class})
    VigilLedger vigilLedger(VigilProperties properties, Environment env, ObjectProvider<DataSource> dataSources,
                            ObjectProvider<Clock> clocks) {
        // A bad property fails start-up before anything is opened or created on disk.
        SpringConfigAdapter.toConfig(properties);
        return LedgerFactory.open(properties.getLedger(), applicationName(properties, env),
                () -> Optional.ofNullable(dataSources.getIfUnique()), clocks.getIfUnique(Clock::systemUTC));
    }

    @Bean
    @ConditionalOnMissingBean
    SecretHasher vigilSecretHasher(VigilProperties properties, Environment env) {
        try {
            Path keyDir = properties.getLedger().getDir() != null ? properties.getLedger().getDir()
                    : LedgerFactory.defaultDir(applicationName(properties, env));
            return new HmacSecretHasher(KeyMaterial.hashKey(Optional.ofNullable(properties.getSecurity().getHashKeyFile()),
                    keyDir));
        } catch (IOException e) {
            throw new UncheckedIOException("vigil.security.hash-key-file: " + e.getMessage(), e);
        }
    }

    @Bean
    @ConditionalOnMissingBean({AuditLogHolder.class, AuditLog.class})
    AuditLogHolder vigilAuditLogHolder(VigilProperties properties, Environment env, VigilLedger ledger,
                                       ObjectProvider<Clock> clocks, ObjectProvider<LogAttachment> attachments) {
        VigilConfig config = SpringConfigAdapter.toConfig(properties);
        List<LogAttachment> attached = attachments.orderedStream().toList();
        AuditLog log;
        try {
            AuditLog.Builder builder = AuditLog.builder()
                    .config(config)
                    .service(applicationName(properties, env))
                    .clock(clocks.getIfUnique(Clock::systemUTC))
                    .sink("ledger", ledger.sink());
            attached.forEach(a -> builder.sink(a.name(), a.sink()));
            log = builder.build();
        } catch (RuntimeException e) {
            // The log never took the ledger over: release it here, or its lock outlives the failed start.
            try {
                ledger.sink().close();
                ledger.resources().close();
            } catch (Exception closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
        attached.forEach(a -> a.bound().accept(log));
        LOG.info("Vigil is auditing to the {} ledger at {}", ledger.kind(), ledger.location());
        return new AuditLogHolder(log, ledger);
    }

    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    AuditLog auditLog(AuditLogHolder holder) {
        return holder.log();
    }

    /**
     * Closes the log, which drains its queue and closes the ledger, then what the ledger needs after (a pool): in
     * that order, whatever order the context destroys beans in. The log itself is not closed by the context, so
     * nothing closes it twice.
     */
    public static final class AuditLogHolder implements DisposableBean {
        private final AuditLog log;
        private final VigilLedger ledger;

        AuditLogHolder(AuditLog log, VigilLedger ledger) {
            this.log = log;
            this.ledger = ledger;
        }

        AuditLog log() {
            return log;
        }

        @Override
        public void destroy() throws Exception {
            try {
                log.close();
            } finally {
                ledger.resources().close();
            }
        }
    }
}
