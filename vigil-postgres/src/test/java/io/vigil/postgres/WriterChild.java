package io.vigil.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.vigil.AuditLog;
import io.vigil.PipelineOptions;
import io.vigil.event.Actor;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventCatalog;
import io.vigil.ledger.LedgerOptions;
import io.vigil.ledger.LedgerSink;
import io.vigil.ledger.LedgerStore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A writer process for {@link ManyProcessesTest}: {@code JDBC_URL USER NAME THREADS EVENTS_PER_THREAD}. Each thread has
 * its own pool, store and {@code AuditLog}, and records events tagged with the service {@code NAME-thread}. Prints
 * {@code DONE n} when every event is written.
 */
public final class WriterChild {
    private WriterChild() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String user = args[1];
        String name = args[2];
        int threads = Integer.parseInt(args[3]);
        long each = Long.parseLong(args[4]);
        List<Thread> all = new ArrayList<>();
        long[] written = new long[threads];
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread th = new Thread(() -> {
                HikariConfig cfg = new HikariConfig();
                cfg.setJdbcUrl(url);
                cfg.setUsername(user);
                cfg.setMaximumPoolSize(2);
                try (HikariDataSource pool = new HikariDataSource(cfg);
                     LedgerStore store = PostgresLedger.open(pool, LedgerOptions.defaults(ManyProcessesTest.ORIGIN));
                     AuditLog audit = AuditLog.builder().selfAudit(false).service(name + "-" + id)
                             .pipeline(PipelineOptions.DEFAULT.withShutdownHook(false))
                             .sink("ledger", new LedgerSink(store)).build()) {
                    for (long n = 0; n < each; n++) {
                        audit.record(AuditEvent.builder(EventCatalog.AUTH_LOGIN_FAILURE).actor(Actor.user("u" + n % 11))
                                .detail("n", n));
                    }
                    if (!audit.flush(Duration.ofMinutes(5))) {
                        throw new IllegalStateException("flush timed out");
                    }
                    written[id] = audit.stats().written();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            th.start();
            all.add(th);
        }
        long total = 0;
        for (int t = 0; t < threads; t++) {
            all.get(t).join();
            total += written[t];
        }
        System.out.println("DONE " + total);
    }
}
