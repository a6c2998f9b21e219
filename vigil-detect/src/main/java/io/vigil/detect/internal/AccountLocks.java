package io.vigil.detect.internal;

import io.vigil.detect.AccountLocker;
import io.vigil.event.Actor;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventCatalog;
import io.vigil.event.EventIds;

import java.util.Objects;
import java.util.Optional;

/**
 * Turns a brute force finding into an account lock: asks the application's {@link AccountLocker} and, when it
 * locked, builds the {@code auth.account.locked} event that says so.
 */
public final class AccountLocks {

    /** The {@code reason} of the lock event, as the catalogue asks: why the account was locked. */
    static final String REASON = BruteForceDetector.NAME;
    /** The detail naming the finding that caused the lock. */
    static final String FINDING_ID = "findingId";

    private final AccountLocker locker;

    public AccountLocks(AccountLocker locker) {
        this.locker = Objects.requireNonNull(locker, "locker");
    }

    /**
     * Asks the locker about {@code finding} when it is a brute force finding that names an account.
     *
     * @return the {@code auth.account.locked} event to record when the locker locked; empty for any other finding and
     *         when it did not lock
     * @throws RuntimeException whatever the locker threw
     */
    public Optional<AuditEvent> lockFor(AuditEvent finding) {
        if (!BruteForceDetector.isAttackFinding(finding)) {
            return Optional.empty();
        }
        Optional<String> account = finding.actor().flatMap(Actor::id);
        if (account.isEmpty() || !locker.lock(finding.tenant(), account.get(), finding)) {
            return Optional.empty();
        }
        return Optional.of(lockEvent(finding, account.get()));
    }

    /**
     * The lock, stamped with the finding's own (event) time so that a replay gives the same events at the same times;
     * the actor is the account without the attacker's ip, which the finding already carries.
     */
    private static AuditEvent lockEvent(AuditEvent finding, String account) {
        AuditEvent.Builder b = AuditEvent.builder(EventCatalog.AUTH_ACCOUNT_LOCKED)
                .id(EventIds.next(finding.timestamp().toEpochMilli()))
                .timestamp(finding.timestamp())
                .actor(Actor.user(account))
                .reason(REASON)
                .detail(FINDING_ID, finding.id().toString())
                .detail(Findings.TRIGGERING_EVENT_IDS, finding.details().get(Findings.TRIGGERING_EVENT_IDS));
        finding.tenant().ifPresent(b::tenant);
        finding.service().ifPresent(b::service);
        return b.build();
    }
}
