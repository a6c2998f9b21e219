package io.vigil.kafka.internal;

import io.vigil.event.AuditEvent;
import io.vigil.json.EventJson;
import io.vigil.kafka.SequencerOptions;
import io.vigil.kafka.SequencerTarget;
import io.vigil.ledger.LedgerOptions;
import io.vigil.sink.EventFormats;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.IntStream;

/**
 * The sequencer's consumer loop, on one thread that owns the consumer. The consumer reads committed records only, and
 * never commits offsets on its own: on assignment it seeks each partition to the offset stored with that partition's
 * ledger, and each poll's records of a partition are appended with the next offset in one durable step. Offsets are
 * also committed to Kafka, but only so that lag shows in Kafka's tools; they are never read back.
 *
 * <p>A poll's records are parsed in the background while the previous poll's are appended, so that parsing and the
 * ledger's work share the CPUs instead of taking turns. Records polled but not yet appended are only ever dropped,
 * never appended out of turn: when their partition was revoked, re-taken or seeked back in between (the stored
 * offset is the truth, so they are read again).
 *
 * <p>Rebalance callbacks run inside {@code poll}, between two appends, so a revoked partition has no append in
 * flight: it is closed at once. A partition whose previous owner still holds it (file ledgers, until that owner polls
 * again) is paused and taken over as soon as it is free.
 */
public final class SequencerLoop implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(SequencerLoop.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration RETRY = Duration.ofSeconds(1);
    private static final Duration COMMIT_EVERY = Duration.ofSeconds(1);
    private static final Duration REJECT_LOG_EVERY = Duration.ofSeconds(10);
    /** How many of a partition's last event ids are remembered to skip a batch a producer sent twice. */
    private static final int RECENT_IDS = 10_000;
    /** A partition's records of fewer bytes (about 150 events) are parsed as one task: splitting them costs more. */
    private static final int PARALLEL_PARSE_BYTES = 64 * 1024;
    private static final byte[] JSONL = EventFormats.JSONL.getBytes(StandardCharsets.UTF_8);

    private final SequencerOptions options;
    private final Consumer<byte[], byte[]> consumer;
    private final Map<TopicPartition, Owned> owned = new HashMap<>();
    private final Set<TopicPartition> waiting = new LinkedHashSet<>();
    private volatile boolean stopping;
    /** The partitions owned, for other threads; replaced whenever they change. */
    private volatile Set<Integer> ownedNow = Set.of();
    private Instant lastCommit = Instant.EPOCH;

    /** A partition this sequencer owns, with its counters for the progress log. */
    private static final class Owned {
        final PartitionLedger ledger;
        final RecentIds recent = new RecentIds(RECENT_IDS);
        long committed = -1;
        long duplicates;
        long appended;
        long rejected;
        long rejectedSinceLog;
        long appendedAtLog;
        /** Counts the seeks back after a failed append: records polled before one are dropped. */
        int generation;
        Instant lastProgress;
        Instant lastRejectLog = Instant.EPOCH;

        Owned(PartitionLedger ledger, Instant now) {
            this.ledger = ledger;
            this.lastProgress = now;
        }
    }

    public SequencerLoop(SequencerOptions options) {
        this.options = options;
        this.consumer = new KafkaConsumer<>(consumerConfig(options));
    }

    /** The consumer's settings: the user's, then the ones exactly-once rests on. */
    static Map<String, Object> consumerConfig(SequencerOptions options) {
        Map<String, Object> c = new HashMap<>(options.consumerProperties());
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrap());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, options.groupId());
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        // A stored offset that Kafka no longer has (retention deleted records never sequenced) stops the sequencer
        // rather than skipping them; a partition without a stored offset is read from its beginning explicitly.
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        c.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "vigil-sequencer-" + options.topic());
        // A poll's records of a partition are one ledger append (one fsync); Kafka's 500 made appends too small.
        c.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10000");
        return c;
    }

    /** Asks the loop to stop after the append in progress; returns at once. */
    public void stop() {
        stopping = true;
        consumer.wakeup();
    }

    /**
     * Runs until {@link #stop()}: then every owned partition's ledger is closed (with a final checkpoint) and the
     * consumer leaves the group.
     *
     * @throws SequencerFailure when it cannot go on (a ledger that cannot be opened, offsets Kafka no longer has)
     */
    @Override
    public void run() {
        RuntimeException failure = null;
        try {
            consumer.subscribe(List.of(options.topic()), new Listener());
            Polled pending = null; // parsed in the background, not yet appended
            while (!stopping) {
                takeOverWaiting();
                ConsumerRecords<byte[], byte[]> records;
                try {
                    // with records waiting to be appended, take only what has arrived already
                    records = consumer.poll(pending == null ? POLL : Duration.ZERO);
                } catch (WakeupException e) {
                    if (stopping) {
                        break;
                    }
                    continue;
                }
                Polled next = records.isEmpty() ? null : new Polled(records);
                if (pending != null) {
                    append(pending);
                }
                pending = next;
                commitForLag(false);
                progress();
            }
            if (pending != null) {
                append(pending); // what was read when asked to stop
            }
        } catch (WakeupException e) {
            if (!stopping) {
                failure = new SequencerFailure("woken up without being stopped", e);
            }
        } catch (SequencerFailure e) {
            failure = e;
        } catch (KafkaException e) {
            failure = new SequencerFailure("topic " + options.topic() + " at " + options.bootstrap() + ": " + e, e);
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            try {
                commitForLag(true);
            } catch (RuntimeException e) {
                LOG.debug("final offset commit to Kafka failed: {}", e.toString());
            }
            closeAll(List.copyOf(owned.keySet()));
            waiting.clear();
            try {
                consumer.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                LOG.warn("closing the consumer: {}", e.toString());
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * A poll's records of the partitions owned when it returned, each partition's being parsed on the common pool
     * (a partition's records are one append, so they are parsed as one task).
     */
    private final class Polled {
        /** A partition's records, its owner and the owner's generation when polled, and the records' lines. */
        record Part(List<ConsumerRecord<byte[], byte[]>> records, Owned owner, int generation,
                    CompletableFuture<Object[][]> parsed) {
        }

        final Map<TopicPartition, Part> parts = new HashMap<>();

        Polled(ConsumerRecords<byte[], byte[]> records) {
            for (TopicPartition tp : records.partitions()) {
                Owned o = owned.get(tp);
                if (o != null) { // not ours (any more): a paused partition returns no records, a revoked one none
                    List<ConsumerRecord<byte[], byte[]>> of = records.records(tp);
                    parts.put(tp, new Part(of, o, o.generation, CompletableFuture.supplyAsync(() -> parseAll(of))));
                }
            }
        }
    }

    /**
     * Appends a poll's records, partition by partition, skipping a partition whose owner changed since the poll or
     * that was seeked back since: its records are read again from its stored offset.
     */
    private void append(Polled polled) {
        for (Map.Entry<TopicPartition, Polled.Part> e : polled.parts.entrySet()) {
            TopicPartition tp = e.getKey();
            Polled.Part part = e.getValue();
            Owned o = owned.get(tp);
            if (o != part.owner() || o.generation != part.generation()) {
                continue;
            }
            Object[][] parsed;
            try {
                parsed = part.parsed().join();
            } catch (CompletionException x) {
                throw x.getCause() instanceof RuntimeException r ? r : x;
            }
            sequence(tp, o, part.records(), parsed);
        }
    }

    private void sequence(TopicPartition tp, Owned o, List<ConsumerRecord<byte[], byte[]>> records,
                          Object[][] parsed) {
        if (records.isEmpty()) {
            return;
        }
        List<AuditEvent> events = new ArrayList<>(records.size());
        List<Rejected> rejected = new ArrayList<>();
        Set<UUID> batchIds = new LinkedHashSet<>(records.size() * 2); // in append order, for the recent ids
        long next = o.ledger.nextOffset();
        for (int i = 0; i < records.size(); i++) {
            ConsumerRecord<byte[], byte[]> r = records.get(i);
            if (r.offset() < next) {
                continue; // already in the ledger (a fetch from before a seek)
            }
            next = r.offset() + 1;
            for (Object line : parsed[i]) {
                if (line instanceof BadLine bad) {
                    rejected.add(new Rejected(r.offset(), bad.index(), r.key() == null ? new byte[0] : r.key(),
                            bad.value(), bad.reason()));
                    continue;
                }
                AuditEvent event = (AuditEvent) line;
                if (o.ledger.alreadyAppended(event.id())) {
                    continue; // appended before a crash, its offset not yet stored
                }
                if (o.recent.contains(event.id()) || !batchIds.add(event.id())) {
                    o.duplicates++;
                    LOG.warn("partition {}: event {} at offset {} is already in the ledger (a batch sent twice);"
                            + " skipped", tp, event.id(), r.offset());
                } else {
                    events.add(event);
                }
            }
        }
        if (next == o.ledger.nextOffset()) {
            return;
        }
        try {
            o.ledger.append(events, rejected, next);
            o.recent.addAll(batchIds);
            o.appended += events.size();
            if (!rejected.isEmpty()) {
                logRejected(tp, o, rejected);
            }
        } catch (FencedException e) {
            LOG.warn("partition {}: {}; giving it up", tp, e.getMessage());
            close(tp);
            consumer.pause(List.of(tp)); // until the rebalance that moved it reaches this consumer
        } catch (IOException e) {
            // Nothing of it is stored: read the same records again after a pause, never skip them.
            LOG.error("partition {}: could not append {} events up to offset {} ({}); retrying in {} s", tp,
                    events.size(), next - 1, e.toString(), RETRY.toSeconds());
            consumer.seek(tp, o.ledger.nextOffset());
            o.generation++; // records already polled past the failed ones are dropped, and read again
            sleep(RETRY);
        }
    }

    /** A line of a record that is no event: its index in the record, its bytes, and why. */
    private record BadLine(int index, byte[] value, String reason) {
    }

    /**
     * Each record's lines, in order: an event, or a {@link BadLine}. Records are independent of each other, so many
     * records' bytes are split over the common pool's threads; the ordered pass over the results is the sequencer's.
     */
    private static Object[][] parseAll(List<ConsumerRecord<byte[], byte[]>> records) {
        Object[][] out = new Object[records.size()][];
        long bytes = 0;
        for (ConsumerRecord<byte[], byte[]> r : records) {
            bytes += r.value() == null ? 0 : r.value().length;
        }
        IntStream range = IntStream.range(0, out.length);
        (bytes >= PARALLEL_PARSE_BYTES && out.length > 1 ? range.parallel() : range)
                .forEach(i -> out[i] = parse(records.get(i)));
        return out;
    }

    /** A record's value holds one or more events, one JSON line each (the Kafka sink packs a key's events). */
    private static Object[] parse(ConsumerRecord<byte[], byte[]> r) {
        byte[] v = r.value() == null ? new byte[0] : r.value();
        Header format = r.headers().lastHeader(KafkaSink.FORMAT_HEADER);
        if (format != null && !Arrays.equals(format.value(), JSONL)) {
            return new Object[] {new BadLine(0, v, "written in format '" + new String(format.value(),
                    StandardCharsets.UTF_8) + "'; a sequencer reads the jsonl format (the sink's format: jsonl)")};
        }
        int[] bounds = RecordLines.bounds(v);
        int count = bounds.length / 2;
        Object[] lines = new Object[count];
        for (int i = 0; i < count; i++) {
            int start = bounds[2 * i];
            int end = bounds[2 * i + 1];
            try {
                lines[i] = EventJson.parse(v, start, end - start); // strict about UTF-8 too
            } catch (RuntimeException e) {
                lines[i] = new BadLine(i, Arrays.copyOfRange(v, start, end),
                        (count > 1 ? "line " + (i + 1) + " of " + count + ": " : "")
                                + (e.getMessage() == null ? e.toString() : e.getMessage()));
            }
        }
        return lines;
    }

    /** One error line per partition now and then, with the count since the last: a flood stays readable. */
    private void logRejected(TopicPartition tp, Owned o, List<Rejected> rejected) {
        o.rejected += rejected.size();
        o.rejectedSinceLog += rejected.size();
        Instant now = options.clock().instant();
        if (now.isBefore(o.lastRejectLog.plus(REJECT_LOG_EVERY))) {
            return;
        }
        Rejected last = rejected.get(rejected.size() - 1);
        String where = options.target() instanceof SequencerTarget.Files
                ? "kept in " + tp.topic() + "-" + tp.partition() + ".rejected.jsonl"
                : "kept in table vigil_kafka_rejected";
        LOG.error("topic {} partition {}: {} records are no Vigil event (last at offset {}: {}); not appended, {}",
                tp.topic(), tp.partition(), o.rejectedSinceLog, last.offset(), last.reason(), where);
        o.rejectedSinceLog = 0;
        o.lastRejectLog = now;
    }

    private void progress() {
        Instant now = options.clock().instant();
        for (Map.Entry<TopicPartition, Owned> e : owned.entrySet()) {
            Owned o = e.getValue();
            Duration since = Duration.between(o.lastProgress, now);
            if (since.compareTo(options.progressInterval()) < 0) {
                continue;
            }
            long n = o.appended - o.appendedAtLog;
            OptionalLong lag = consumer.currentLag(e.getKey());
            LOG.info("partition {}: {} events appended ({} /s), next offset {}, lag {}", e.getKey(), o.appended,
                    since.toMillis() == 0 ? n : n * 1000 / since.toMillis(), o.ledger.nextOffset(),
                    lag.isPresent() ? Long.toString(lag.getAsLong()) : "unknown");
            o.appendedAtLog = o.appended;
            o.lastProgress = now;
        }
    }

    /** Tells Kafka how far the ledgers are, for lag monitoring only: the ledgers' stored offsets are the truth. */
    private void commitForLag(boolean now) {
        Instant t = options.clock().instant();
        if (!now && t.isBefore(lastCommit.plus(COMMIT_EVERY))) {
            return;
        }
        lastCommit = t;
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (Map.Entry<TopicPartition, Owned> e : owned.entrySet()) {
            long next = e.getValue().ledger.nextOffset();
            if (next != e.getValue().committed) {
                offsets.put(e.getKey(), new OffsetAndMetadata(next));
            }
        }
        if (offsets.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(offsets, Duration.ofSeconds(5));
            offsets.forEach((tp, om) -> {
                Owned o = owned.get(tp);
                if (o != null) {
                    o.committed = om.offset();
                }
            });
        } catch (WakeupException e) {
            throw e;
        } catch (KafkaException e) {
            // CommitFailedException among others: a rebalance is under way; the next commit catches up.
            LOG.debug("offset commit to Kafka (for lag monitoring) failed: {}", e.toString());
        }
    }

    private void takeOverWaiting() {
        if (waiting.isEmpty()) {
            return;
        }
        List<TopicPartition> ready = new ArrayList<>();
        for (TopicPartition tp : List.copyOf(waiting)) {
            if (takeOver(tp)) {
                waiting.remove(tp);
                ready.add(tp);
            }
        }
        if (!ready.isEmpty()) {
            consumer.resume(ready);
        }
    }

    /** Opens the partition's ledger and seeks to its stored offset; false when its previous owner still holds it. */
    private boolean takeOver(TopicPartition tp) {
        LedgerOptions lo = LedgerOptions.defaults(options.origin(tp.partition())).withClock(options.clock());
        if (options.signingKey().isPresent()) {
            lo = lo.withSigningKey(options.signingKey().get());
        }
        Optional<PartitionLedger> opened;
        try {
            if (options.target() instanceof SequencerTarget.Files f) {
                opened = FilePartitionLedger.tryOpen(f.dir(), tp.topic(), tp.partition(), lo);
            } else {
                opened = Optional.of(PostgresPartitionLedger.open((SequencerTarget.Postgres) options.target(),
                        tp.topic(), tp.partition(), lo));
            }
        } catch (IOException | RuntimeException e) {
            throw new SequencerFailure("partition " + tp + ": cannot open its ledger: " + e.getMessage(), e);
        }
        if (opened.isEmpty()) {
            return false;
        }
        PartitionLedger ledger = opened.get();
        Owned o = new Owned(ledger, options.clock().instant());
        try {
            o.recent.addAll(ledger.lastIds(RECENT_IDS));
        } catch (IOException | RuntimeException e) {
            try {
                ledger.close();
            } catch (IOException again) {
                e.addSuppressed(again);
            }
            throw new SequencerFailure("partition " + tp + ": cannot read its ledger's last entries: "
                    + e.getMessage(), e);
        }
        owned.put(tp, o);
        publishOwned();
        if (ledger.nextOffset() == 0) {
            consumer.seekToBeginning(List.of(tp));
        } else {
            consumer.seek(tp, ledger.nextOffset());
        }
        LOG.info("partition {}: taken over at offset {}, ledger size {}", tp, ledger.nextOffset(), sizeOf(ledger));
        return true;
    }

    private static String sizeOf(PartitionLedger ledger) {
        try {
            return Long.toString(ledger.size());
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private void closeAll(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            close(tp);
        }
    }

    private void close(TopicPartition tp) {
        Owned o = owned.remove(tp);
        if (o == null) {
            return;
        }
        publishOwned();
        try {
            o.ledger.close();
            LOG.info("partition {}: released at offset {} ({} events appended, {} rejected, {} duplicates skipped)",
                    tp, o.ledger.nextOffset(), o.appended, o.rejected, o.duplicates);
        } catch (IOException | RuntimeException e) {
            LOG.error("partition {}: closing its ledger failed: {}", tp, e.toString());
        }
    }

    private void publishOwned() {
        ownedNow = Set.copyOf(owned.keySet().stream().map(TopicPartition::partition).toList());
    }

    /** The partitions whose ledgers this loop owns now; safe from any thread. */
    public Set<Integer> ownedPartitions() {
        return ownedNow;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class Listener implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            try {
                commitForLag(true);
            } catch (RuntimeException e) {
                LOG.debug("offset commit on revocation failed: {}", e.toString());
            }
            closeAll(partitions);
            waiting.removeAll(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            closeAll(partitions);
            waiting.removeAll(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            List<TopicPartition> held = new ArrayList<>();
            for (TopicPartition tp : partitions) {
                if (!owned.containsKey(tp) && !takeOver(tp)) {
                    held.add(tp);
                }
            }
            if (!held.isEmpty()) {
                LOG.info("partitions {}: the previous owner still holds them; waiting for it to let go", held);
                consumer.pause(held);
                waiting.addAll(held);
            }
        }
    }
}
