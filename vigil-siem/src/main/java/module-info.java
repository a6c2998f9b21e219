/**
 * Vigil events in the schemas SIEMs read (OCSF, ECS, CEF), provided to the core as event formats, and the syslog
 * sink that carries them. Only the API package is exported; the implementations live in {@code io.vigil.siem.internal}
 * and {@code io.vigil.siem.internal.syslog}.
 */
module io.vigil.siem {
    requires io.vigil.core;
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;

    exports io.vigil.siem;

    provides io.vigil.sink.EventFormat with io.vigil.siem.internal.OcsfFormat, io.vigil.siem.internal.EcsFormat,
            io.vigil.siem.internal.CefFormat;
    provides io.vigil.sink.SinkProvider with io.vigil.siem.internal.syslog.SyslogSinkProvider;
}
