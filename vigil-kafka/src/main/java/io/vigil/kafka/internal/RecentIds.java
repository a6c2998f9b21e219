package io.vigil.kafka.internal;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/**
 * The ids of a partition's last appended events, at most {@code capacity}, oldest dropped first.
 *
 * <p>Why: a Kafka sink whose commit timed out cannot tell whether it landed; it reports the batch as failed and the
 * pipeline sends it again, so the topic may hold a batch twice, the second copy shortly after the first and in the
 * same partition (same keys). Skipping an event whose id is among the recent ones keeps each event once in the ledger.
 *
 * <p>A ring of the ids in append order beside a set sized for all of them: every event of a partition passes here, so
 * adding and dropping must not allocate more than the set's own entry or ever resize it.
 */
final class RecentIds {
    private final UUID[] ring;
    private final Set<UUID> ids;
    private int next;

    RecentIds(int capacity) {
        this.ring = new UUID[capacity];
        this.ids = new HashSet<>(capacity * 2);
    }

    boolean contains(UUID id) {
        return ids.contains(id);
    }

    void addAll(Collection<UUID> appended) {
        for (UUID id : appended) {
            if (!ids.add(id)) {
                continue;
            }
            UUID oldest = ring[next];
            if (oldest != null) {
                ids.remove(oldest);
            }
            ring[next] = id;
            next = (next + 1) % ring.length;
        }
    }
}
