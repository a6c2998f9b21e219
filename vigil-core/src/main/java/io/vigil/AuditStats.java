package io.vigil;

/**
 * Counters of a log since it was built; a snapshot, cheap to take.
 *
 * @param recorded      events accepted by {@code record} into the queue
 * @param filtered      events excluded by the log's filter or because the log is disabled
 * @param dropped       events not accepted because the queue was full or the log closed
 * @param written       events every sink whose filter admitted them accepted (including events no sink's filter
 *                      admitted, which no sink was asked to write)
 * @param failed        events at least one sink could not write after every retry
 * @param sinkRetries   failed sink write attempts that were retried
 * @param queueDepth    events waiting in the queue now
 * @param queueCapacity the queue's capacity
 */
public record AuditStats(long recorded, long filtered, long dropped, long written, long failed, long sinkRetries,
                         int queueDepth, int queueCapacity) {
}
