package io.vigil.ledger.testsupport;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects what a logger (and its children) logs while open, so tests can assert that a failure was made visible
 * to operators. Close it to detach.
 */
public final class LogCapture implements AutoCloseable {
    private final Logger logger;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private LogCapture(String loggerName) {
        this.logger = (Logger) LoggerFactory.getLogger(loggerName);
        appender.setName("capture-" + loggerName);
        appender.start();
        logger.addAppender(appender);
    }

    /** Starts capturing {@code loggerName} and everything below it, e.g. {@code io.vigil.ledger}. */
    public static LogCapture of(String loggerName) {
        return new LogCapture(loggerName);
    }

    /** A copy of the events so far (appenders are called from other threads too). */
    public List<ILoggingEvent> events() {
        synchronized (appender) { // AppenderBase.doAppend holds this lock while adding
            return new ArrayList<>(appender.list);
        }
    }

    /** Formatted messages of the events at {@code level} or more severe, each prefixed with its level. */
    public List<String> messagesAtLeast(Level level) {
        return events().stream().filter(e -> e.getLevel().isGreaterOrEqual(level))
                .map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        appender.stop();
    }
}
