package io.vigil.ledger;

import io.vigil.event.Actor;
import io.vigil.event.AuditEvent;
import io.vigil.event.Target;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * Which ledger entries to read ({@link LedgerReader#query}): every given filter must match. The filters of an audit
 * trail's investigations (user, type, resource, IP, time range) plus tenant, a page size and a cursor for the next
 * page. Start from {@link #all()} and narrow it.
 *
 * @param user         the actor id
 * @param type         an event type, or a family ending in {@code .*} ({@code auth.login.*})
 * @param resourceType the target type
 * @param resourceId   the target id (with {@code resourceType})
 * @param ip           the actor's IP address, as recorded
 * @param tenant       the tenant
 * @param from         entries at or after this instant
 * @param to           entries before this instant
 * @param limit        at most this many entries per page, 1 to {@value #MAX_LIMIT}
 * @param cursor       where the previous page ended ({@link QueryPage#nextCursor()})
 */
public record AuditQuery(Optional<String> user, Optional<String> type, Optional<String> resourceType,
                         Optional<String> resourceId, Optional<String> ip, Optional<String> tenant,
                         Optional<Instant> from, Optional<Instant> to, int limit, Optional<String> cursor) {
    /** The largest page. */
    public static final int MAX_LIMIT = 10_000;
    private static final Pattern TYPE = Pattern.compile("[a-z0-9_]+(\\.[a-z0-9_]+)*(\\.\\*)?");

    public AuditQuery {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(resourceType, "resourceType");
        Objects.requireNonNull(resourceId, "resourceId");
        Objects.requireNonNull(ip, "ip");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(cursor, "cursor");
        type.ifPresent(t -> {
            if (!TYPE.matcher(t).matches()) {
                throw new IllegalArgumentException("type '" + t + "' is not an event type (auth.login.failure) or a"
                        + " family (auth.login.*)");
            }
        });
        if (resourceId.isPresent() && resourceType.isEmpty()) {
            throw new IllegalArgumentException("a resource id needs its resource type");
        }
        if (from.isPresent() && to.isPresent() && !from.get().isBefore(to.get())) {
            throw new IllegalArgumentException("from (" + from.get() + ") must be before to (" + to.get() + ")");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
        }
        cursor.ifPresent(AuditQuery::seqOfCursor);
    }

    /** Every entry, 100 to a page. */
    public static AuditQuery all() {
        return new AuditQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), 100, Optional.empty());
    }

    public AuditQuery user(String v) {
        return new AuditQuery(Optional.of(v), type, resourceType, resourceId, ip, tenant, from, to, limit, cursor);
    }

    public AuditQuery type(String v) {
        return new AuditQuery(user, Optional.of(v), resourceType, resourceId, ip, tenant, from, to, limit, cursor);
    }

    public AuditQuery resource(String type, Optional<String> id) {
        return new AuditQuery(user, this.type, Optional.of(type), id, ip, tenant, from, to, limit, cursor);
    }

    public AuditQuery ip(String v) {
        return new AuditQuery(user, type, resourceType, resourceId, Optional.of(v), tenant, from, to, limit, cursor);
    }

    public AuditQuery tenant(String v) {
        return new AuditQuery(user, type, resourceType, resourceId, ip, Optional.of(v), from, to, limit, cursor);
    }

    public AuditQuery from(Instant v) {
        return new AuditQuery(user, type, resourceType, resourceId, ip, tenant, Optional.of(v), to, limit, cursor);
    }

    public AuditQuery to(Instant v) {
        return new AuditQuery(user, type, resourceType, resourceId, ip, tenant, from, Optional.of(v), limit, cursor);
    }

    public AuditQuery limit(int v) {
        return new AuditQuery(user, type, resourceType, resourceId, ip, tenant, from, to, v, cursor);
    }

    /** The page after the one that returned {@code next}. */
    public AuditQuery after(String next) {
        return new AuditQuery(user, type, resourceType, resourceId, ip, tenant, from, to, limit, Optional.of(next));
    }

    /** The seq the cursor stands for: this page holds entries after it. Empty for the first page. */
    public OptionalLong cursorSeq() {
        return cursor.isPresent() ? OptionalLong.of(seqOfCursor(cursor.get())) : OptionalLong.empty();
    }

    /**
     * Whether {@code seq} and its {@code event} pass every filter and the cursor: the rule a store applies where it
     * cannot hand the filters to an index.
     */
    public boolean matches(long seq, AuditEvent event) {
        if (cursor.isPresent() && seq <= seqOfCursor(cursor.get())) {
            return false;
        }
        Optional<Actor> actor = event.actor();
        Optional<Target> target = event.target();
        return (user.isEmpty() || actor.flatMap(Actor::id).equals(user))
                && (type.isEmpty() || typeMatches(type.get(), event.type()))
                && (resourceType.isEmpty() || target.map(Target::type).equals(resourceType))
                && (resourceId.isEmpty() || target.flatMap(Target::id).equals(resourceId))
                && (ip.isEmpty() || actor.flatMap(Actor::ip).equals(ip))
                && (tenant.isEmpty() || event.tenant().equals(tenant))
                && (from.isEmpty() || !event.timestamp().isBefore(from.get()))
                && (to.isEmpty() || event.timestamp().isBefore(to.get()));
    }

    private static boolean typeMatches(String filter, String type) {
        return filter.endsWith(".*") ? type.startsWith(filter.substring(0, filter.length() - 1)) : type.equals(filter);
    }

    /** The seq a cursor stands for: pages are in seq order, and a cursor is the last seq of its page. */
    private static long seqOfCursor(String cursor) {
        if (!cursor.startsWith("s") || cursor.length() < 2 || cursor.length() > 20) {
            throw new IllegalArgumentException("'" + cursor + "' is not a cursor returned by a query");
        }
        try {
            long seq = Long.parseLong(cursor.substring(1), 36);
            if (seq < 0) {
                throw new NumberFormatException();
            }
            return seq;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + cursor + "' is not a cursor returned by a query");
        }
    }

    /** The cursor of a page that ends at {@code seq}. */
    static String cursorAfter(long seq) {
        return "s" + Long.toString(seq, 36);
    }
}
