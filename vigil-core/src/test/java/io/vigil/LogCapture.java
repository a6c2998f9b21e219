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
    private final Level levelBefore;
    private final boolean additiveBefore;

    LogCapture() {
        root = (Logger) LoggerFactory.getLogger("io.vigil");
        levelBefore = root.getLevel();
        additiveBefore = root.isAdditive();
        appender.start();
        root.addAppender(appender);
    }

    /** Captures down to {@code level}, and only here: lines below the console's level stay off the console. */
    static LogCapture at(Level level) {
        LogCapture capture = new LogCapture();
        capture.root.setLevel(level);
        capture.root.setAdditive(false);
        return capture;
    }

    /** The lines logged at exactly {@code level}. */
    List<String> linesAt(Level level) {
        synchronized (appender.list) {
            return appender.list.stream().filter(e -> e.getLevel().equals(level))
                    .map(ILoggingEvent::getFormattedMessage).collect(Collectors.toList());
        }
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
        root.setLevel(levelBefore);
        root.setAdditive(additiveBefore);
    }
}
