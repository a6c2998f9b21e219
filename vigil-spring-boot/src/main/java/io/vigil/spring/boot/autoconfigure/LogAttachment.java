package io.vigil.spring.boot.autoconfigure;

import io.vigil.AuditLog;
import io.vigil.sink.AuditSink;

import java.util.function.Consumer;

/**
 * A sink another auto-configuration registers on the audit log, told the log once it is built (detection records its
 * findings through it). An indirection of Vigil's own, so that {@link VigilAutoConfiguration} names no type of a module
 * the application may not have.
 *
 * @param name  the sink's name in the log
 * @param sink  the sink
 * @param bound called with the built log, before any event is recorded by the application
 */
record LogAttachment(String name, AuditSink sink, Consumer<AuditLog> bound) {
}
