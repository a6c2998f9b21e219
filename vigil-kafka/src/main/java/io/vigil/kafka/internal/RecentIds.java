package io.vigil.kafka.internal;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.UUID;

/**
 * The ids of a partition's last appended events, at most {@code capacity}, oldest dropped first.
 *
 * <p>Why: a Kafka sink whose commit timed out cannot tell whether it landed; it reports the batch as failed and the
 * pipeline sends it again, so the topic may hold a batch twice, the second copy shortly after the first and in the
 * same partition (same keys). Skipping an event whose id is among the recent ones keeps each event once in the ledger.
 */
final class RecentIds {
    private final int capacity;
    private final LinkedHashSet<UUID> ids = new LinkedHashSet<>();

    RecentIds(int capacity) {
        this.capacity = capacity;
    }

    boolean contains(UUID id) {
        return ids.contains(id);
    }

    void addAll(Collection<UUID> appended) {
        for (UUID id : appended) {
            ids.add(id);
        }
        while (ids.size() > capacity) {
            ids.remove(ids.iterator().next());
        }
    }
}
