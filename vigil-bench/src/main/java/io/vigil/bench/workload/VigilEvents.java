package io.vigil.bench.workload;

import io.vigil.event.Actor;
import io.vigil.event.AuditEvent;
import io.vigil.event.Target;

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
}
