package io.vigil.internal;

import io.vigil.AuditException;
import io.vigil.config.SinkConfig;
import io.vigil.config.VigilConfig;
import io.vigil.internal.sink.LineFileSink;
import io.vigil.internal.sink.LineStreamSink;
import io.vigil.sink.AuditSink;
import io.vigil.sink.EventFormat;
import io.vigil.sink.EventFormats;
import io.vigil.sink.SinkProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Turns a configuration's sink declarations into open sinks: reuses the instance of a declaration that did not change
 * (so a reconfiguration keeps files open), opens file and stdout sinks, looks up the custom sinks the application
 * registered, and refuses two file sinks on one file.
 */
public final class SinkBinder {
    private static final Logger LOG = LoggerFactory.getLogger("io.vigil.AuditLog");

    private SinkBinder() {
    }

    /** Opens (or reuses) a sink instance for each declaration. Closes what it opened if one fails. */
    public static List<SinkBinding> bind(VigilConfig config, List<SinkBinding> existing,
                                          Map<String, AuditSink> custom, Clock clock) {
        checkDistinctFiles(config);
        List<SinkBinding> out = new ArrayList<>();
        List<AuditSink> opened = new ArrayList<>();
        if (!config.enabled()) {
            return out; // a disabled log opens nothing: no file appears until auditing is switched on
        }
        try {
            for (SinkConfig sc : config.sinks()) {
                SinkBinding reuse = null;
                for (SinkBinding b : existing) {
                    if (sameSink(b.config(), sc)) {
                        reuse = b;
                        break;
                    }
                }
                if (reuse != null) {
                    out.add(new SinkBinding(sc, reuse.sink()));
                    continue;
                }
                AuditSink sink;
                if (sc instanceof SinkConfig.File f) {
                    sink = new LineFileSink(f.options(), format(sc), clock);
                    opened.add(sink);
                } else if (sc instanceof SinkConfig.Stdout) {
                    sink = new LineStreamSink(System.out, format(sc));
                } else if (sc instanceof SinkConfig.Custom) {
                    sink = custom.get(sc.name());
                    if (sink == null) {
                        throw new AuditException("sink '" + sc.name() + "' is declared custom but no sink of that name "
                                + "was registered on the builder (AuditLog.builder().sink(\"" + sc.name() + "\", ...))");
                    }
                } else {
                    sink = provided(sc, clock);
                    opened.add(sink);
                }
                out.add(new SinkBinding(sc, sink));
            }
            if (config.enabled() && out.isEmpty()) {
                throw new AuditException("the audit log is enabled but has no sinks; add one (sinks, or target/filePath)");
            }
            return out;
        } catch (IOException | RuntimeException e) {
            for (AuditSink s : opened) {
                try {
                    s.close();
                } catch (IOException closeFailure) {
                    e.addSuppressed(closeFailure);
                }
            }
            if (e instanceof AuditException ae) {
                throw ae;
            }
            throw new AuditException("cannot open audit sinks: " + e.getMessage(), e);
        }
    }

    private static EventFormat format(SinkConfig sc) {
        try {
            return EventFormats.require(sc.format());
        } catch (AuditException e) {
            throw new AuditException("sink '" + sc.name() + "': " + e.getMessage(), e);
        }
    }

    /** Sinks that live in other modules (syslog, Kafka), found by their type. */
    private static AuditSink provided(SinkConfig sc, Clock clock) throws IOException {
        String type = sc instanceof SinkConfig.Syslog ? "syslog" : "kafka";
        String module = sc instanceof SinkConfig.Syslog ? "vigil-siem" : "vigil-kafka";
        for (SinkProvider p : ServiceLoader.load(SinkProvider.class, SinkBinder.class.getClassLoader())) {
            if (p.type().equals(type)) {
                return p.open(sc, format(sc), clock);
            }
        }
        throw new AuditException("sink '" + sc.name() + "' is a " + type + " sink, which " + module
                + " provides; add the io.vigil:" + module + " dependency to the application");
    }

    /** Same sink instance may serve both declarations: same kind, same name, same options; filters may differ. */
    private static boolean sameSink(SinkConfig a, SinkConfig b) {
        if (!a.name().equals(b.name()) || a.getClass() != b.getClass()) {
            return false;
        }
        if (a instanceof SinkConfig.File fa && b instanceof SinkConfig.File fb) {
            if (!samePath(fa, fb)) {
                return false;
            }
            if (!fa.options().equals(fb.options()) || !fa.format().equals(fb.format())) {
                // Two writers on one file would corrupt it; the open sink stays and keeps its options.
                LOG.warn("audit sink '{}': new file options or format for {} take effect when the log is next built",
                        b.name(), fb.options().path());
            }
            return true;
        }
        if (a instanceof SinkConfig.Stdout sa && b instanceof SinkConfig.Stdout sb) {
            return sa.format().equals(sb.format());
        }
        if (a instanceof SinkConfig.Syslog sa && b instanceof SinkConfig.Syslog sb) {
            if (!sa.options().spoolDir().equals(sb.options().spoolDir())) {
                return false;
            }
            if (!sa.format().equals(sb.format()) || !sa.options().equals(sb.options())) {
                // One spool has one sender; the open sink keeps it until the log is rebuilt.
                LOG.warn("audit sink '{}': new syslog options or format take effect when the log is next built",
                        b.name());
            }
            return true;
        }
        if (a instanceof SinkConfig.Kafka ka && b instanceof SinkConfig.Kafka kb) {
            return ka.format().equals(kb.format()) && ka.options().equals(kb.options());
        }
        return true;
    }

    private static boolean samePath(SinkConfig.File a, SinkConfig.File b) {
        return a.options().path().toAbsolutePath().normalize().equals(b.options().path().toAbsolutePath().normalize());
    }

    /** Two file sinks on one path would overwrite and truncate each other's lines; two syslog sinks on one spool, too. */
    private static void checkDistinctFiles(VigilConfig config) {
        List<SinkConfig.File> files = new ArrayList<>();
        List<SinkConfig.Syslog> spools = new ArrayList<>();
        for (SinkConfig sc : config.sinks()) {
            if (sc instanceof SinkConfig.Syslog s) {
                for (SinkConfig.Syslog other : spools) {
                    if (s.options().spoolDir().toAbsolutePath().normalize()
                            .equals(other.options().spoolDir().toAbsolutePath().normalize())) {
                        throw new AuditException("sinks '" + other.name() + "' and '" + s.name() + "' spool in the same"
                                + " directory " + s.options().spoolDir() + "; give each syslog sink its own spool.dir");
                    }
                }
                spools.add(s);
            }
            if (sc instanceof SinkConfig.File f) {
                for (SinkConfig.File other : files) {
                    if (samePath(f, other)) {
                        throw new AuditException("sinks '" + other.name() + "' and '" + f.name()
                                + "' write the same file " + f.options().path() + "; each file sink needs its own file");
                    }
                }
                files.add(f);
            }
        }
    }
}
