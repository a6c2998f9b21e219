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
 * Records access to and movement of sensitive data; the data is the event's target and
 * {@code details.recordCount}, when given, says how many records were touched ({@code 0} included). Each method
 * records at once and returns the receipt's future.
 */
public final class DataEvents extends EventHelper {

    /** Data events recorded through {@code recorder}. */
    public DataEvents(EventRecorder recorder) {
        this(recorder, noCustomizer());
    }

    private DataEvents(EventRecorder recorder, Consumer<AuditEvent.Builder> customizer) {
        super(recorder, customizer);
    }

    /** A helper that also applies {@code customizer} (target, reason, details, …) to every event it records. */
    public DataEvents with(Consumer<AuditEvent.Builder> customizer) {
        return new DataEvents(recorder(), andThen(customizer));
    }

    /**
     * The type follows from action and outcome: a failed upload is {@code data.upload.rejected}, any other action
     * keeps its type with the outcome given; see {@link CatalogMappings}.
     */
    public CompletableFuture<AuditReceipt> record(DataAction action, Outcome outcome, Actor actor, Target data) {
        return data(action, outcome, actor, target(data));
    }

    /** {@code data.read}. */
    public CompletableFuture<AuditReceipt> read(Actor actor, Target data) {
        return record(DataAction.READ, Outcome.SUCCESS, actor, data);
    }

    /** {@code data.read} of {@code recordCount} records. */
    public CompletableFuture<AuditReceipt> read(Actor actor, Target data, long recordCount) {
        return data(DataAction.READ, Outcome.SUCCESS, actor, target(data).andThen(count(recordCount)));
    }

    /** {@code data.create}. */
    public CompletableFuture<AuditReceipt> created(Actor actor, Target data) {
        return record(DataAction.CREATE, Outcome.SUCCESS, actor, data);
    }

    /** {@code data.update}. */
    public CompletableFuture<AuditReceipt> updated(Actor actor, Target data) {
        return record(DataAction.UPDATE, Outcome.SUCCESS, actor, data);
    }

    /** {@code data.write}, where creating and updating are not told apart. */
    public CompletableFuture<AuditReceipt> written(Actor actor, Target data) {
        return record(DataAction.WRITE, Outcome.SUCCESS, actor, data);
    }

    /** {@code data.delete}. */
    public CompletableFuture<AuditReceipt> deleted(Actor actor, Target data) {
        return record(DataAction.DELETE, Outcome.SUCCESS, actor, data);
    }

    /** {@code data.delete} of {@code recordCount} records. */
    public CompletableFuture<AuditReceipt> deleted(Actor actor, Target data, long recordCount) {
        return data(DataAction.DELETE, Outcome.SUCCESS, actor, target(data).andThen(count(recordCount)));
    }

    /** {@code data.export}. */
    public CompletableFuture<AuditReceipt> exported(Actor actor, Target data) {
        return record(DataAction.EXPORT, Outcome.SUCCESS, actor, data);
    }

    /** {@code data.export} of {@code recordCount} records. */
    public CompletableFuture<AuditReceipt> exported(Actor actor, Target data, long recordCount) {
        return data(DataAction.EXPORT, Outcome.SUCCESS, actor, target(data).andThen(count(recordCount)));
    }

    /** {@code data.share}: the data was made available to {@code sharedWith} ({@code details.sharedWith}). */
    public CompletableFuture<AuditReceipt> shared(Actor actor, Target data, String sharedWith) {
        return data(DataAction.SHARE, Outcome.SUCCESS, actor, target(data).andThen(detail("sharedWith", sharedWith)));
    }

    /** {@code data.upload}: the file {@code file} was uploaded and stored. */
    public CompletableFuture<AuditReceipt> uploaded(Actor actor, Target file) {
        return record(DataAction.UPLOAD, Outcome.SUCCESS, actor, file);
    }

    /** {@code data.upload.rejected}: the file failed validation, for {@code reason}. */
    public CompletableFuture<AuditReceipt> uploadRejected(Actor actor, Target file, String reason) {
        return data(DataAction.UPLOAD, Outcome.FAILURE, actor, target(file).andThen(reason(reason)));
    }

    private CompletableFuture<AuditReceipt> data(DataAction action, Outcome outcome, Actor actor,
                                                 Consumer<AuditEvent.Builder> fill) {
        return emit(Category.DATA, Objects.requireNonNull(action, "action").action(), outcome, actor, fill);
    }

    private static Consumer<AuditEvent.Builder> count(long recordCount) {
        return detail("recordCount", notNegative("recordCount", recordCount));
    }
}
