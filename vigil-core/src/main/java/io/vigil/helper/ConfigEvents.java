package io.vigil.helper;

import io.vigil.AuditReceipt;
import io.vigil.EventRecorder;
import io.vigil.event.Actor;
import io.vigil.event.AuditEvent;
import io.vigil.event.Category;
import io.vigil.event.Outcome;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import static io.vigil.event.EventCatalog.*;

/**
 * Records configuration events: loading, runtime changes, reloads and rejected configurations (the legacy helpers had the
 * category but forgot the helper). Each method records at once and returns the receipt's future.
 */
public final class ConfigEvents extends EventHelper {

    /** Config events recorded through {@code recorder}. */
    public ConfigEvents(EventRecorder recorder) {
        this(recorder, noCustomizer());
    }

    private ConfigEvents(EventRecorder recorder, Consumer<AuditEvent.Builder> customizer) {
        super(recorder, customizer);
    }

    /** A helper that also applies {@code customizer} (target, reason, details, …) to every event it records. */
    public ConfigEvents with(Consumer<AuditEvent.Builder> customizer) {
        return new ConfigEvents(recorder(), andThen(customizer));
    }

    /**
     * The type follows from action and outcome: a failed load or reload is {@code config.validation_failed};
     * see {@link CatalogMappings}.
     */
    public CompletableFuture<AuditReceipt> record(ConfigAction action, Outcome outcome, Actor actor) {
        return config(action, outcome, actor, b -> { });
    }

    /** {@code config.loaded}; {@code details.source} says from where (a path or URL, no credentials). */
    public CompletableFuture<AuditReceipt> loaded(Actor actor, String source) {
        return config(ConfigAction.CONFIG_LOAD, Outcome.SUCCESS, actor, detail("source", source));
    }

    /** {@code config.changed}; {@code details.changes} holds {@code changes} (the pipeline redacts secrets). */
    public CompletableFuture<AuditReceipt> changed(Actor actor, Map<String, ?> changes) {
        return config(ConfigAction.CONFIG_CHANGE, Outcome.SUCCESS, actor, detail("changes", changes));
    }

    /** {@code config.reloaded} from {@code source}. */
    public CompletableFuture<AuditReceipt> reloaded(Actor actor, String source) {
        return config(ConfigAction.CONFIG_RELOAD, Outcome.SUCCESS, actor, detail("source", source));
    }

    /** {@code config.validation_failed}: the configuration from {@code source} was rejected with {@code error}. */
    public CompletableFuture<AuditReceipt> validationFailed(Actor actor, String source, String error) {
        return emit(CONFIG_VALIDATION_FAILED, actor, detail("source", source).andThen(error(error)));
    }

    private CompletableFuture<AuditReceipt> config(ConfigAction action, Outcome outcome, Actor actor,
                                                   Consumer<AuditEvent.Builder> fill) {
        return emit(Category.CONFIG, Objects.requireNonNull(action, "action").action(), outcome, actor, fill);
    }
}
