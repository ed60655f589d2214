package io.strideback.support.kafka;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.strideback.events.EventCodec;
import io.strideback.events.EventEnvelope;
import io.strideback.events.Topic;
import io.strideback.events.UnreadableEventException;
import io.strideback.support.tracing.KafkaTracing;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One consumer thread for a service's subscriptions, at-least-once with an exactly-once effect:
 * a record's offset is committed only after its handler's transaction committed, and handlers
 * record processed event ids in that transaction, so a redelivery changes nothing.
 *
 * <ul>
 *   <li>A record that cannot be read goes to {@code <topic>.dlq} with the reason in the
 *       {@value Topic#DLQ_REASON_HEADER} header; the consumer keeps going.</li>
 *   <li>Any other failure (database down, broker hiccup) is retried with back-off from the same
 *       record: per-athlete order is kept and nothing is skipped.</li>
 *   <li>Each record is processed inside a CONSUMER span whose parent is the trace context its
 *       producer wrote into the headers ({@link KafkaTracing}), so what the handler writes to an
 *       outbox continues the same trace.</li>
 * </ul>
 */
public final class EventConsumerLoop implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EventConsumerLoop.class);

    /** Handles one readable event; throws to have it retried. */
    @FunctionalInterface
    public interface Handler {
        void handle(EventEnvelope<?> event, ConsumerRecord<String, byte[]> record) throws Exception;
    }

    /**
     * Runs after every record of a poll batch was handled and before their offsets are committed;
     * throws to have it retried. Lets a handler defer work that is cheaper once per batch (the
     * load monitor analyses each touched athlete once, not once per event). Also runs after an
     * empty poll, so work deferred while catching up gets done once the consumer is idle.
     */
    @FunctionalInterface
    public interface BatchEnd {
        void afterBatch() throws Exception;
    }

    private static final BatchEnd NO_BATCH_END = () -> {
    };

    private volatile BatchEnd batchEnd = NO_BATCH_END;
    /** The CONSUMER spans of the current batch, so the batch's deferred work continues their traces. */
    private final List<SpanContext> batchSpans = new ArrayList<>();

    private final String name;
    private final String groupId;
    private final List<Topic> topics;
    private final Handler handler;
    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> deadLetters;
    private final MeterRegistry metrics;
    private final KafkaTracing tracing;
    private final Thread thread;
    private final Map<TopicPartition, Long> lag = new ConcurrentHashMap<>();
    private volatile boolean running = true;
    private volatile Instant lastEventTime;
    private volatile Instant lastProcessedAt;
    private volatile Set<TopicPartition> assignment = Set.of();
    private volatile String stoppedBecause;
    /** Offsets of records fully processed but not yet committed; the consumer thread owns it. */
    private final Map<TopicPartition, OffsetAndMetadata> uncommitted = new HashMap<>();
    private long lastCommit = System.nanoTime();
    static final long COMMIT_INTERVAL_NANOS = Long.getLong("strideback.consumer.commit-interval-ms", 100) * 1_000_000;
    private final java.util.concurrent.atomic.AtomicLong rebalances = new java.util.concurrent.atomic.AtomicLong();

    /** A loop without tracing (an incoming trace context is passed on, nothing is recorded). */
    public EventConsumerLoop(String name, String bootstrapServers, String groupId, List<Topic> topics,
                             Handler handler, MeterRegistry metrics) {
        this(name, bootstrapServers, groupId, topics, handler, metrics, KafkaTracing.noop());
    }

    public EventConsumerLoop(String name, String bootstrapServers, String groupId, List<Topic> topics,
                             Handler handler, MeterRegistry metrics, KafkaTracing tracing) {
        this.name = name;
        this.groupId = groupId;
        this.topics = List.copyOf(topics);
        this.handler = handler;
        this.metrics = metrics;
        this.tracing = tracing;
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, groupId + "-" + name);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        this.consumer = new KafkaConsumer<>(config);
        this.deadLetters = KafkaProducers.durable(bootstrapServers, groupId + "-" + name + "-dlq", 10_000, 30_000);
        Gauge.builder("strideback.consumer.lag", lag, l -> l.values().stream().mapToLong(Long::longValue).sum())
                .tag("consumer", name).description("records behind the end of the subscribed partitions")
                .register(metrics);
        Gauge.builder("strideback.consumer.running", this, l -> l.isAlive() ? 1 : 0)
                .tag("consumer", name).description("1 while the loop's thread runs; 0 once it died (alert on it)")
                .register(metrics);
        this.thread = new Thread(this::run, "consumer-" + name);
        this.thread.setDaemon(true);
    }

    public EventConsumerLoop start() {
        thread.start();
        return this;
    }

    /** Sets the work done once per poll batch; call before {@link #start()}. */
    public EventConsumerLoop onBatchEnd(BatchEnd end) {
        this.batchEnd = end;
        return this;
    }

    private void run() {
        consumer.subscribe(topics.stream().map(Topic::topicName).toList(), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(java.util.Collection<TopicPartition> partitions) {
                rebalances.incrementAndGet();
                // What this instance finished on them is committed before another instance takes over.
                Map<TopicPartition, OffsetAndMetadata> finished = new HashMap<>(uncommitted);
                finished.keySet().retainAll(partitions);
                uncommitted.keySet().removeAll(partitions);
                if (!finished.isEmpty()) {
                    consumer.commitSync(finished);
                }
            }

            @Override
            public void onPartitionsLost(java.util.Collection<TopicPartition> partitions) {
                rebalances.incrementAndGet();
                uncommitted.keySet().removeAll(partitions);
            }

            @Override
            public void onPartitionsAssigned(java.util.Collection<TopicPartition> partitions) {
                rebalances.incrementAndGet();
            }
        });
        try {
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(200));
                assignment = Set.copyOf(consumer.assignment());
                Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
                for (TopicPartition tp : records.partitions()) {
                    for (ConsumerRecord<String, byte[]> record : records.records(tp)) {
                        if (!running) {
                            return;
                        }
                        process(record);
                        done.put(tp, new OffsetAndMetadata(record.offset() + 1));
                    }
                }
                if (!done.isEmpty()) {
                    // Offsets only after the batch's deferred work committed: a crash before it
                    // redelivers the batch, and handlers drop what they already stored.
                    if (!finishBatch()) {
                        return;
                    }
                    uncommitted.putAll(done);
                } else if (batchEnd != NO_BATCH_END && !retryBatchEnd()) {
                    return; // an empty poll: deferred work may be due (see BatchEnd)
                }
                commitIfDue();
                updateLag();
            }
        } catch (WakeupException e) {
            // closing
        } catch (Exception e) {
            stoppedBecause = e.getClass().getSimpleName() + ": " + e.getMessage();
            LOG.errorf(e, "consumer %s stopped", name);
        } finally {
            try {
                if (!uncommitted.isEmpty()) {
                    consumer.commitSync(uncommitted, Duration.ofSeconds(5));
                }
            } catch (Exception e) {
                LOG.warnf("%s: last offsets not committed (%s); those records come again, and are dropped as seen",
                        name, e.getMessage());
            }
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /**
     * Commits finished offsets at most every {@link #COMMIT_INTERVAL_NANOS}, not after every poll
     * (profiled: a synchronous commit per small live poll was a broker write and a round trip per
     * event for every consumer group). A crash loses at most that interval's commits; the records
     * come again and every handler drops what it already processed.
     */
    private void commitIfDue() {
        long now = System.nanoTime();
        if (uncommitted.isEmpty() || now - lastCommit < COMMIT_INTERVAL_NANOS) {
            return;
        }
        lastCommit = now;
        consumer.commitAsync(new HashMap<>(uncommitted), (offsets, e) -> {
            if (e != null) {
                LOG.warnf("%s: offset commit failed (%s); the next one covers it", name, e.getMessage());
            }
        });
        uncommitted.clear();
    }

    private boolean finishBatch() throws InterruptedException {
        if (batchEnd == NO_BATCH_END) {
            batchSpans.clear();
            return true;
        }
        // The deferred work (an outbox row it writes) continues the trace of the batch's last record,
        // linked to the others: one live symptom is a batch of one, so its trace goes on unbroken.
        Span span = tracing.startBatch(name, groupId, batchSpans);
        batchSpans.clear();
        try (Scope ignored = span.makeCurrent()) {
            return retryBatchEnd();
        } finally {
            span.end();
        }
    }

    private boolean retryBatchEnd() throws InterruptedException {
        long backoff = 100;
        while (running) {
            try {
                batchEnd.afterBatch();
                return true;
            } catch (Exception e) {
                LOG.warnf("%s: end of batch failed (%s); retrying in %d ms", name, e.getMessage(), backoff);
                Thread.sleep(backoff);
                backoff = Math.min(5_000, backoff * 2);
            }
        }
        return false;
    }

    private void process(ConsumerRecord<String, byte[]> record) throws InterruptedException {
        Span span = tracing.startProcess(record, groupId);
        if (batchSpans.size() < KafkaTracing.MAX_LINKS) {
            batchSpans.add(span.getSpanContext());
        } else {
            batchSpans.set(batchSpans.size() - 1, span.getSpanContext()); // the last record stays the parent
        }
        try (Scope ignored = span.makeCurrent()) {
            processInSpan(record, span);
        } finally {
            span.end();
        }
    }

    private void processInSpan(ConsumerRecord<String, byte[]> record, Span span) throws InterruptedException {
        EventEnvelope<?> event;
        try {
            event = EventCodec.fromRecord(record);
        } catch (UnreadableEventException e) {
            span.setStatus(StatusCode.ERROR, "unreadable: parked on the DLQ");
            park(record, e.getMessage());
            return;
        }
        long backoff = 100;
        while (running) {
            try {
                long start = System.nanoTime();
                handler.handle(event, record);
                metrics.timer("strideback.consumer.processing", "consumer", name, "type", event.type().ceType())
                        .record(Duration.ofNanos(System.nanoTime() - start));
                metrics.counter("strideback.events.in", "type", event.type().ceType()).increment();
                lastEventTime = event.time();
                lastProcessedAt = Instant.now();
                return;
            } catch (UnreadableEventException e) {
                span.setStatus(StatusCode.ERROR, "unreadable: parked on the DLQ");
                park(record, e.getMessage());
                return;
            } catch (Exception e) {
                span.addEvent("retry: " + e.getClass().getSimpleName());
                LOG.warnf("%s: %s %s failed (%s); retrying in %d ms", name, event.type().ceType(), event.id(),
                        e.getMessage(), backoff);
                Thread.sleep(backoff);
                backoff = Math.min(5_000, backoff * 2);
            }
        }
    }

    private void park(ConsumerRecord<String, byte[]> record, String reason) {
        String dlq = record.topic() + ".dlq";
        LOG.warnf("%s: record %s-%d@%d is unreadable (%s); parked on %s", name, record.topic(), record.partition(),
                record.offset(), reason, dlq);
        ProducerRecord<String, byte[]> parked = new ProducerRecord<>(dlq, null, record.key(), record.value(),
                record.headers());
        parked.headers().add(Topic.DLQ_REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8));
        parked.headers().add("dead-letter-origin", (record.topic() + "-" + record.partition() + "@" + record.offset())
                .getBytes(StandardCharsets.UTF_8));
        while (running) {
            try {
                deadLetters.send(parked).get();
                metrics.counter("strideback.dlq", "topic", record.topic()).increment();
                return;
            } catch (Exception e) {
                LOG.warnf("cannot park on %s (%s); retrying", dlq, e.getMessage());
                sleepQuietly(1000);
            }
        }
    }

    private void updateLag() {
        for (TopicPartition tp : consumer.assignment()) {
            OptionalLong l = consumer.currentLag(tp);
            if (l.isPresent()) {
                lag.put(tp, l.getAsLong());
            }
        }
        lag.keySet().retainAll(consumer.assignment());
    }

    /**
     * How many times partitions were revoked or assigned: a handler holding state per key compares it
     * to know when keys may have been handled elsewhere meanwhile.
     */
    public long rebalances() {
        return rebalances.get();
    }

    /** For the ops endpoint: partition → lag. */
    public Map<String, Long> lagByPartition() {
        Map<String, Long> out = new TreeMap<>();
        for (TopicPartition tp : assignment) {
            out.put(tp.topic() + "-" + tp.partition(), lag.getOrDefault(tp, 0L));
        }
        return out;
    }

    public Optional<Instant> lastEventTime() {
        return Optional.ofNullable(lastEventTime);
    }

    public Optional<Instant> lastProcessedAt() {
        return Optional.ofNullable(lastProcessedAt);
    }

    public boolean isAlive() {
        return thread.isAlive();
    }

    public String name() {
        return name;
    }

    public String groupId() {
        return groupId;
    }

    public List<Topic> topics() {
        return topics;
    }

    /** Why the loop's thread stopped, when it stopped on an error (a closed loop has no reason). */
    public Optional<String> stoppedBecause() {
        return Optional.ofNullable(stoppedBecause);
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deadLetters.close(Duration.ofSeconds(5));
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
