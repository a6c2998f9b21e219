package io.vigil.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Records a catalogue event each time the annotated bean method runs: success when it returns, denied when it throws
 * Spring Security's {@code AccessDeniedException} (or {@code AuthorizationDeniedException}), failure for an
 * {@link IllegalArgumentException} or {@link IllegalStateException} (the caller's request was refused), error for
 * anything else (the exception's class in {@code error}). The actor and the correlation ids come from the current
 * request and security context.
 *
 * <p>Expressions ({@link #targetId}, {@link #targetName}, {@link #details}) are SpEL over the method's arguments by
 * name ({@code #username}), {@code #result} (after return) and {@code #exception} (after a throw).
 *
 * <pre>{@code
 * @Audited(type = "admin.user.created", targetType = "user", targetId = "#request.username",
 *          details = {"roles=#request.roles"})
 * public User create(CreateUser request) { ... }
 * }</pre>
 *
 * <p>With {@link #failClosed()} the call is audited before it acts, as a write-ahead record: an
 * {@code audit.action.attempted} entry must be durable in every sink first; when the ledger cannot take it within
 * {@code vigil.audited.fail-closed-timeout}, the method does not run and the caller gets
 * {@link AuditUnavailableException} (503 in Spring MVC).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Audited {

    /** The catalogue type recorded, e.g. {@code admin.user.created}; see {@code docs/event-catalog.md}. */
    String type();

    /** The target's type, e.g. {@code user}; empty for no target. */
    String targetType() default "";

    /** SpEL giving the target's id, e.g. {@code #username}. */
    String targetId() default "";

    /** SpEL giving the target's display name. */
    String targetName() default "";

    /**
     * Details, each {@code key=SpEL}, e.g. {@code "roles=#request.roles"}. Values are redacted like any detail
     * (a key that looks secret is masked).
     */
    String[] details() default {};

    /** Audit before act: the method runs only once an attempt entry is durable. */
    boolean failClosed() default false;
}
