package io.vigil.helper;

import io.vigil.AuditReceipt;
import io.vigil.EventRecorder;
import io.vigil.event.Actor;
import io.vigil.event.AuditEvent;
import io.vigil.event.Category;
import io.vigil.event.EventType;
import io.vigil.event.Outcome;
import io.vigil.event.Target;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * What every category helper shares: the recorder, the caller's customizer, and one way to build and record an
 * event. The helper's own fields are set first and the customizer runs last, so a customizer can override them.
 */
abstract class EventHelper {
    private static final Consumer<AuditEvent.Builder> NOTHING = b -> { };

    private final EventRecorder recorder;
    private final Consumer<AuditEvent.Builder> customizer;

    EventHelper(EventRecorder recorder, Consumer<AuditEvent.Builder> customizer) {
        this.recorder = Objects.requireNonNull(recorder, "recorder");
        this.customizer = Objects.requireNonNull(customizer, "customizer");
    }

    static Consumer<AuditEvent.Builder> noCustomizer() {
        return NOTHING;
    }

    final EventRecorder recorder() {
        return recorder;
    }

    /** This helper's customizer followed by {@code more}. */
    final Consumer<AuditEvent.Builder> andThen(Consumer<AuditEvent.Builder> more) {
        Objects.requireNonNull(more, "customizer");
        return customizer == NOTHING ? more : customizer.andThen(more);
    }

    /** Records an event of this type for this actor, with the type's default outcome and severity. */
    final CompletableFuture<AuditReceipt> emit(EventType type, Actor actor, Consumer<AuditEvent.Builder> fill) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(actor, "actor");
        AuditEvent.Builder event = AuditEvent.builder(type).actor(actor);
        fill.accept(event);
        customizer.accept(event);
        return recorder.record(event);
    }

    final CompletableFuture<AuditReceipt> emit(EventType type, Actor actor) {
        return emit(type, actor, NOTHING);
    }

    /** Records a helper action: the type comes from {@link CatalogMappings}, the outcome is the one given. */
    final CompletableFuture<AuditReceipt> emit(Category category, String action, Outcome outcome, Actor actor,
                                               Consumer<AuditEvent.Builder> fill) {
        Objects.requireNonNull(outcome, "outcome");
        EventType type = CatalogMappings.typeFor(category, action, outcome);
        return emit(type, actor, event -> fill.accept(event.outcome(outcome)));
    }

    /** A target of this type whose id is the argument called {@code argument}; a null id is refused at once. */
    static Target targetOf(String type, String argument, String id) {
        return Target.of(type, Objects.requireNonNull(id, argument));
    }

    static Consumer<AuditEvent.Builder> target(Target target) {
        Objects.requireNonNull(target, "target");
        return b -> b.target(target);
    }

    static Consumer<AuditEvent.Builder> reason(String reason) {
        Objects.requireNonNull(reason, "reason");
        return b -> b.reason(reason);
    }

    static Consumer<AuditEvent.Builder> error(String error) {
        Objects.requireNonNull(error, "error");
        return b -> b.error(error);
    }

    /** Sets one detail; the value is checked for null here so the caller's mistake is reported at its call. */
    static Consumer<AuditEvent.Builder> detail(String key, Object value) {
        Objects.requireNonNull(value, key);
        return b -> b.detail(key, value);
    }

    static String required(String name, String value) {
        return Objects.requireNonNull(value, name);
    }

    static long notNegative(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " is " + value + "; it must not be negative");
        }
        return value;
    }
}
