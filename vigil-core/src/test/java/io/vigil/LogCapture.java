package io.vigil;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.stream.Collectors;

/** Captures what Vigil logs through SLF4J (backed by Logback in tests), so tests can assert failures are visible. */
final class LogCapture implements AutoCloseable {
    private final Logger root;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    LogCapture() {
        root = (Logger) LoggerFactory.getLogger("io.vigil");
        appender.start();
        root.addAppender(appender);
    }

    List<String> lines(Level atLeast) {
        synchronized (appender.list) {
            return appender.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(atLeast))
                    .map(e -> e.getLevel() + " " + e.getFormattedMessage()).collect(Collectors.toList());
        }
    }

    @Override
    public void close() {
        root.detachAppender(appender);
    }
}
