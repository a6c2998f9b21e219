package io.vigil.postgres;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of a query, oldest first.
 *
 * @param entries    the matching entries
 * @param nextCursor pass it to {@link AuditQuery#after} for the next page; empty on the last page
 */
public record QueryPage(List<StoredEntry> entries, Optional<String> nextCursor) {
    public QueryPage {
        entries = List.copyOf(entries);
        Objects.requireNonNull(nextCursor, "nextCursor");
    }
}
