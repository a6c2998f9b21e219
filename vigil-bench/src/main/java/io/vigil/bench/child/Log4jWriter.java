package io.vigil.bench.child;

import io.vigil.bench.workload.PlainEvents;
import io.vigil.bench.workload.SampleEvent;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.async.AsyncLoggerContext;
import org.apache.logging.log4j.message.MapMessage;

import java.nio.file.Path;

/**
 * Log4j2 with all loggers asynchronous (the context selector is set on the JVM command line) and a RandomAccessFile
 * appender using JsonTemplateLayout; configured by {@code vigil-bench-log4j2.xml}.
 */
final class Log4jWriter implements StackWriter {
    /** Read by the configuration file. */
    static final String FILE_PROPERTY = "vigil.bench.log4j.file";
    static final String CONFIG = "vigil-bench-log4j2.xml";

    private Logger logger;

    @Override
    public void open(Path file) {
        System.setProperty(FILE_PROPERTY, file.toAbsolutePath().toString());
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", CONFIG);
        }
        logger = LogManager.getLogger("audit");
        if (!(LogManager.getContext(false) instanceof AsyncLoggerContext)) {
            // Without the selector this would silently measure synchronous logging.
            throw new IllegalStateException("Log4j2 is not all-async; start the JVM with "
                    + "-Dlog4j2.contextSelector=org.apache.logging.log4j.core.async.AsyncLoggerContextSelector");
        }
        if (((LoggerContext) LogManager.getContext(false)).getConfiguration().getAppender("file") == null) {
            throw new IllegalStateException("Log4j2 did not load " + CONFIG + " (no appender 'file')");
        }
    }

    @Override
    public void write(SampleEvent e) {
        MapMessage<?, Object> m = new MapMessage<>(16);
        m.with("category", e.type().category().jsonName())
                .with("type", e.type().name())
                .with("action", e.type().action())
                .with("outcome", e.type().outcome().jsonName())
                .with("severity", e.type().severity().jsonName())
                .with("actor", PlainEvents.actor(e))
                .with("target", PlainEvents.target(e))
                .with("requestId", e.requestId())
                .with("details", PlainEvents.details(e));
        logger.info(m);
    }

    @Override
    public void finish() {
        // Stops the context: drains the ring buffer, then flushes and closes the file.
        LogManager.shutdown();
    }

    @Override
    public long reportedLost() {
        return -1;
    }
}
