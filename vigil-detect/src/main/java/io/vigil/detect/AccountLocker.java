package io.vigil.detect;

import io.vigil.event.AuditEvent;

import java.util.Optional;

/**
 * What the application does about an account under brute force: lock it, or whatever its policy calls locking
 * (disable the password, demand a second factor). Set with {@link DetectionStage.Builder#accountLocker}.
 *
 * <p>The stage calls it once per brute force finding ({@code security.brute.force.detected}), after handing the
 * finding to the log, on the stage's own recorder thread: never on the log's writer or the detection thread, so a
 * slow locker delays only the findings behind it, never the events or their detection. When it returns true the stage records {@code auth.account.locked}
 * for the account. A locker that throws is logged and counted in {@link DetectionStats#lockErrors()}, and nothing is
 * recorded as locked.
 */
@FunctionalInterface
public interface AccountLocker {

    /**
     * Locks one account.
     *
     * @param tenant  the account's tenant; empty when the failed logins named none
     * @param account the account: the actor id of the failed logins
     * @param finding the {@code security.brute.force.detected} finding, as handed to the log
     * @return whether the account is now locked; true makes the stage record {@code auth.account.locked}
     */
    boolean lock(Optional<String> tenant, String account, AuditEvent finding);
}
