package io.vigil.helper;

import io.vigil.AuditReceipt;
import io.vigil.EventRecorder;
import io.vigil.event.Actor;
import io.vigil.event.AuditEvent;
import io.vigil.event.Category;
import io.vigil.event.Outcome;
import io.vigil.event.Target;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import static io.vigil.event.EventCatalog.*;

/**
 * Records authorization events: access decisions, permission checks, and changes to permissions, roles, privilege
 * levels and access rules. Each method records at once and returns the receipt's future.
 */
public final class AuthzEvents extends EventHelper {

    /** Authz events recorded through {@code recorder}. */
    public AuthzEvents(EventRecorder recorder) {
        this(recorder, noCustomizer());
    }

    private AuthzEvents(EventRecorder recorder, Consumer<AuditEvent.Builder> customizer) {
        super(recorder, customizer);
    }

    /** A helper that also applies {@code customizer} (target, reason, details, …) to every event it records. */
    public AuthzEvents with(Consumer<AuditEvent.Builder> customizer) {
        return new AuthzEvents(recorder(), andThen(customizer));
    }

    /**
     * The legacy authz helper: the type follows from action and outcome, e.g. {@code PERMISSION_CHECK} with
     * {@code DENIED} is {@code authz.permission.check_denied}; see {@link CatalogMappings}.
     */
    public CompletableFuture<AuditReceipt> record(AuthzAction action, Outcome outcome, Actor actor) {
        return authz(action, outcome, actor, b -> { });
    }

    /** {@code authz.access.granted}: the actor may use {@code resource}. */
    public CompletableFuture<AuditReceipt> accessGranted(Actor actor, Target resource) {
        return authz(AuthzAction.ACCESS_GRANTED, Outcome.SUCCESS, actor, target(resource));
    }

    /** {@code authz.access.denied}: the actor may not use {@code resource}, for {@code reason}. */
    public CompletableFuture<AuditReceipt> accessDenied(Actor actor, Target resource, String reason) {
        return authz(AuthzAction.ACCESS_DENIED, Outcome.DENIED, actor, target(resource).andThen(reason(reason)));
    }

    /**
     * {@code authz.permission.checked} when the permission held, {@code authz.permission.check_denied} (outcome
     * denied) when it did not; {@code details.permission} names it.
     */
    public CompletableFuture<AuditReceipt> permissionChecked(Actor actor, String permission, boolean held) {
        return authz(AuthzAction.PERMISSION_CHECK, held ? Outcome.SUCCESS : Outcome.DENIED, actor,
                detail("permission", permission));
    }

    /** {@code authz.permission.granted}: the actor gave {@code permission} to {@code grantee}. */
    public CompletableFuture<AuditReceipt> permissionGranted(Actor actor, Target grantee, String permission) {
        return emit(AUTHZ_PERMISSION_GRANTED, actor, target(grantee).andThen(detail("permission", permission)));
    }

    /** {@code authz.permission.revoked}: the actor took {@code permission} from {@code grantee}. */
    public CompletableFuture<AuditReceipt> permissionRevoked(Actor actor, Target grantee, String permission) {
        return emit(AUTHZ_PERMISSION_REVOKED, actor, target(grantee).andThen(detail("permission", permission)));
    }

    /** {@code authz.role.assigned}: the actor gave {@code role} to {@code assignee}. */
    public CompletableFuture<AuditReceipt> roleAssigned(Actor actor, Target assignee, String role) {
        return authz(AuthzAction.ROLE_ASSIGNED, Outcome.SUCCESS, actor,
                target(assignee).andThen(detail("role", role)));
    }

    /** {@code authz.role.removed}: the actor took {@code role} from {@code assignee}. */
    public CompletableFuture<AuditReceipt> roleRemoved(Actor actor, Target assignee, String role) {
        return emit(AUTHZ_ROLE_REMOVED, actor, target(assignee).andThen(detail("role", role)));
    }

    /** {@code authz.privilege.changed}: {@code subject}'s privilege level went from {@code from} to {@code to}. */
    public CompletableFuture<AuditReceipt> privilegeChanged(Actor actor, Target subject, String from, String to) {
        return emit(AUTHZ_PRIVILEGE_CHANGED, actor, target(subject).andThen(fromTo(from, to)));
    }

    /** {@code authz.acl.changed}: the access rules of {@code object} went from {@code from} to {@code to}. */
    public CompletableFuture<AuditReceipt> aclChanged(Actor actor, Target object, String from, String to) {
        return emit(AUTHZ_ACL_CHANGED, actor, target(object).andThen(fromTo(from, to)));
    }

    private CompletableFuture<AuditReceipt> authz(AuthzAction action, Outcome outcome, Actor actor,
                                                  Consumer<AuditEvent.Builder> fill) {
        return emit(Category.AUTHZ, Objects.requireNonNull(action, "action").action(), outcome, actor, fill);
    }

    private static Consumer<AuditEvent.Builder> fromTo(String from, String to) {
        return detail("from", from).andThen(detail("to", to));
    }
}
