package io.vigil.bench.workload;

import io.vigil.event.Actor;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventIds;
import io.vigil.event.Target;

import java.time.Instant;

/** Builds the Vigil form of a workload event, as application code would call the builder. */
public final class VigilEvents {
    private VigilEvents() {
    }

    public static AuditEvent.Builder builder(SampleEvent e) {
        AuditEvent.Builder b = AuditEvent.builder(e.type())
                .actor(Actor.user(e.actorId()).withIp(e.actorIp()))
                .target(Target.of(e.targetType(), e.targetId()))
                .requestId(e.requestId())
                .detail(e.key1(), e.value1())
                .detail(e.key2(), e.value2());
        if (e.key3() != null) {
            b.detail(e.key3(), e.value3());
        }
        return b;
    }

    /** The event with its id and time fixed beforehand at {@code epochMillis}, as a harness builds them before its clock. */
    public static AuditEvent.Builder at(SampleEvent e, long epochMillis) {
        return builder(e).id(EventIds.next(epochMillis)).timestamp(Instant.ofEpochMilli(epochMillis));
    }
}
