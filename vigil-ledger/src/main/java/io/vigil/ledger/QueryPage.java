package io.vigil.ledger;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of a query, oldest first.
 *
 * @param entries    the matching entries
 * @param nextCursor pass it to {@link AuditQuery#after} for the next page; empty on the last page
 */
public record QueryPage(List<LedgerEntry> entries, Optional<String> nextCursor) {
    public QueryPage {
        entries = List.copyOf(entries);
        Objects.requireNonNull(nextCursor, "nextCursor");
    }

    /**
     * A page of {@code entries}; when {@code more} match after them, its cursor points past the last one.
     *
     * @throws IllegalArgumentException when {@code more} is claimed of an empty page (there is no place to resume)
     */
    public static QueryPage of(List<LedgerEntry> entries, boolean more) {
        if (more && entries.isEmpty()) {
            throw new IllegalArgumentException("an empty page cannot have a next page");
        }
        return new QueryPage(entries, more ? Optional.of(AuditQuery.cursorAfter(entries.get(entries.size() - 1).seq()))
                : Optional.empty());
    }
}
