/**
 * The Logback bridge: log calls carrying an audit marker become Vigil audit events. Only the appender, the turbo filter
 * and their options are exported.
 */
module io.vigil.logback {
    requires io.vigil.core;
    requires ch.qos.logback.classic;
    requires ch.qos.logback.core;
    requires org.slf4j;

    exports io.vigil.logback;
}
