package io.vigil.bench.child;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.util.FileSize;
import io.vigil.bench.workload.PlainEvents;
import io.vigil.bench.workload.SampleEvent;
import net.logstash.logback.encoder.LogstashEncoder;
import net.logstash.logback.fieldnames.LogstashFieldNames;
import net.logstash.logback.marker.Markers;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;

/**
 * Logback: an AsyncAppender that never discards and never drops, around a FileAppender with the logstash encoder.
 * Configured in code so the settings that matter for the comparison are visible here.
 */
final class LogbackWriter implements StackWriter {
    private LoggerContext context;
    private Logger logger;

    @Override
    public void open(Path file) {
        context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();

        LogstashEncoder encoder = new LogstashEncoder();
        encoder.setContext(context);
        // Keep only the fields Vigil writes: the timestamp and the audit fields from the marker.
        LogstashFieldNames names = encoder.getFieldNames();
        names.setTimestamp("timestamp");
        names.setVersion("[ignore]");
        names.setMessage("[ignore]");
        names.setLogger("[ignore]");
        names.setThread("[ignore]");
        names.setLevel("[ignore]");
        names.setLevelValue("[ignore]");
        encoder.setTimestampPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'");
        encoder.setTimeZone("UTC");
        encoder.setIncludeContext(false);
        encoder.setIncludeMdc(false);
        encoder.start();

        FileAppender<ILoggingEvent> fileAppender = new FileAppender<>();
        fileAppender.setContext(context);
        fileAppender.setName("file");
        fileAppender.setFile(file.toAbsolutePath().toString());
        fileAppender.setAppend(false);
        // The default flushes after every event; the others buffer too (Log4j2 256 KiB, Vigil one write per batch).
        fileAppender.setImmediateFlush(false);
        fileAppender.setBufferSize(new FileSize(256 * 1024));
        fileAppender.setEncoder(encoder);
        fileAppender.start();

        AsyncAppender async = new AsyncAppender();
        async.setContext(context);
        async.setName("async");
        async.setQueueSize(VigilWriter.QUEUE);
        async.setDiscardingThreshold(0); // never discard INFO when the queue is 80% full (the default does)
        async.setNeverBlock(false); // block the producer instead of dropping
        async.setMaxFlushTime(0); // on stop, wait for the worker however long it takes
        async.addAppender(fileAppender);
        async.start();

        logger = context.getLogger("audit");
        logger.setAdditive(false);
        logger.setLevel(Level.INFO);
        logger.addAppender(async);
    }

    @Override
    public void write(SampleEvent e) {
        logger.info(Markers.appendEntries(PlainEvents.fields(e)), "audit");
    }

    @Override
    public void finish() {
        context.stop(); // stops the AsyncAppender (drains its queue) and closes the file
    }

    @Override
    public long reportedLost() {
        return -1;
    }
}
