package io.vigil.bench.workload;

import io.vigil.event.EventType;

/**
 * One event of the workload as plain values, before any logging API sees it. Each stack under test turns it into its
 * own representation the way an application would, so the cost of that conversion is part of what is measured.
 * Details are three fixed slots rather than a map so that producing the workload allocates the same for everyone.
 *
 * @param index    position in the stream
 * @param type     catalogue type; its category, action, outcome and severity are written by every stack
 * @param actorId  user id
 * @param actorIp  client address
 * @param targetType kind of thing acted on
 * @param targetId id of the thing acted on
 * @param requestId correlation id, unique per event
 * @param key1     first detail key; never null
 * @param value1   first detail value; never null
 * @param key2     second detail key; never null
 * @param value2   second detail value; never null
 * @param key3     third detail key, or null when the event has only two
 * @param value3   third detail value, or null when the event has only two
 */
public record SampleEvent(long index, EventType type, String actorId, String actorIp, String targetType,
                          String targetId, String requestId, String key1, Object value1, String key2, Object value2,
                          String key3, Object value3) {
}
