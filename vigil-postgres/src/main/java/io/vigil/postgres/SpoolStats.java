package io.vigil.postgres;

/**
 * What a spooling PostgreSQL sink has done since it opened.
 *
 * @param spooled  events written to the local spool because the database was unreachable
 * @param replayed spooled events since appended to the database
 * @param skipped  spooled events found already in the database at replay (an append whose answer was lost)
 * @param pending  events in the spool now
 * @param outages  times the database became unreachable while events were being written
 * @param down     whether the last attempt to reach the database failed
 */
public record SpoolStats(long spooled, long replayed, long skipped, long pending, long outages, boolean down) {
}
