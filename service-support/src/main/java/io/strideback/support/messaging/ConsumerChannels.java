package io.strideback.support.messaging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.health.HealthReport;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.providers.extension.HealthCenter;
import io.strideback.events.EventCodec;
import io.strideback.events.EventEnvelope;
import io.strideback.events.EventType;
import io.strideback.events.Topic;
import io.strideback.events.UnreadableEventException;
import io.strideback.support.tracing.KafkaTracing;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The service's incoming Kafka channels ({@code mp.messaging.incoming.<channel>.*}, SmallRye's
 * Kafka connector) and the one way their records are applied, so every consumer is poison-proof
 * the same way (issue 12):
 * <ul>
 *   <li>a record is acknowledged only once its effect committed; the connector's {@code throttled}
 *       commit strategy then commits an offset only when every record before it was acknowledged;</li>
 *   <li>a deterministic failure ({@link Failures}) parks that one record on {@code <topic>.dlq}
 *       (the connector's dead-letter queue, the reason in {@value Topic#DLQ_REASON_HEADER});</li>
 *   <li>a transient failure is retried from the same record with back-off, for as long as it
 *       lasts; the channel reports it (ops status, readiness after {@code stuck-after});</li>
 *   <li>once the service is stopping nothing more is acknowledged: a record whose effect did not
 *       commit is read again after the restart, never committed past.</li>
 * </ul>
 * Each channel is found in the configuration; its topic must be one of {@link Topic}'s and its
 * dead-letter queue that topic's {@code .dlq}, or the service does not start.
 */
@ApplicationScoped
public class ConsumerChannels {

    private static final Logger LOG = Logger.getLogger(ConsumerChannels.class);
    private static final String PREFIX = "mp.messaging.incoming.";
    /** The rebalance listener every channel names ({@code consumer-rebalance-listener.name}). */
    public static final String REBALANCE_LISTENER = "strideback-rebalances";
    /**
     * The commit strategy every channel names ({@code commit-strategy}): the connector's {@code throttled} with a
     * transient failure to read a partition's committed offset retried, not the channel ended ({@link RetriedCommit}).
     */
    public static final String COMMIT_STRATEGY = "strideback-throttled";

    /** A handler of one readable event; it throws to say the event was not applied. */
    @FunctionalInterface
    public interface EventHandler {
        void handle(EventEnvelope<?> event) throws Exception;
    }

    /**
     * A readable event of a poll batch, the trace context its record came with, and its data as the record carried it
     * ({@code json}) when no upcaster changed it (the record is at the current schema version; else null): a handler
     * that stores the data as JSON stores these bytes instead of writing the event out again (issue 15). {@code value}
     * is the record's value whatever its version, for {@link #bodyDigest}.
     */
    public record Delivery(EventEnvelope<?> event, Context trace, byte[] json, byte[] value) {

        /**
         * What a handler keeps with the event's id ({@link EventCodec#bodyDigest}) to tell a redelivery from another
         * body under the same id (round 17). Computed when asked: most records are never deduplicated by id.
         */
        public byte[] bodyDigest() {
            return EventCodec.bodyDigest(value);
        }
    }

    /**
     * A handler of the readable events of one poll batch, in partition order: it applies them all or none
     * (one transaction). It throws {@link RecordRefused} when one of them is the cause, anything else when it
     * cannot tell (the batch is then applied one record at a time, so the cause is found and parked alone).
     */
    @FunctionalInterface
    public interface BatchHandler {
        void handle(List<Delivery> deliveries) throws Exception;
    }

    /** The record at {@code index} of the deliveries a {@link BatchHandler} was given failed; its cause says why. */
    public static final class RecordRefused extends Exception {
        private final int index;

        public RecordRefused(int index, Throwable cause) {
            super(cause.getMessage(), cause, false, false);
            this.index = index;
        }

        public int index() {
            return index;
        }
    }

    @Inject
    MeterRegistry metrics;
    @Inject
    Config config;
    @Inject
    Instance<KafkaClientService> kafkaClients;
    @Inject
    Instance<HealthCenter> healthCenter;
    @Inject
    BeanManager beans;
    @ConfigProperty(name = "strideback.consumer.max-backoff", defaultValue = "PT5S")
    Duration maxBackoff;

    private final Map<String, ConsumerChannel> channels = new ConcurrentHashMap<>();
    /**
     * Channel name -> the names the health center reports its failures under: the channel's own, and
     * {@code application-<class>#<method>} for each method consuming it (SmallRye's name for a method's failure).
     */
    private final Map<String, Set<String>> failureSources = new ConcurrentHashMap<>();
    private final Map<String, Map<EventType, Meters>> meters = new ConcurrentHashMap<>();
    private volatile boolean stopping;
    private ScheduledExecutorService lagWatch;

    void start(@Observes StartupEvent event) {
        for (String property : config.getPropertyNames()) {
            if (property.startsWith(PREFIX) && property.endsWith(".connector")
                    && "smallrye-kafka".equals(config.getOptionalValue(property, String.class).orElse(""))) {
                register(property.substring(PREFIX.length(), property.length() - ".connector".length()));
            }
        }
        consumingMethods();
        lagWatch = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "consumer-lag-watch");
            t.setDaemon(true);
            return t;
        });
        lagWatch.scheduleWithFixedDelay(this::refreshLag, 1, 2, TimeUnit.SECONDS);
    }

    /** Before the connector closes: from here on nothing is acknowledged (see the class comment). */
    void stop(@Observes @Priority(1) ShutdownEvent event) {
        stopping = true;
        if (lagWatch != null) {
            lagWatch.shutdownNow();
        }
    }

    private void register(String name) {
        String topicName = config.getValue(PREFIX + name + ".topic", String.class);
        Topic topic = Arrays.stream(Topic.values()).filter(t -> t.topicName().equals(topicName)).findFirst()
                .orElseThrow(() -> new IllegalStateException("channel " + name + " reads " + topicName
                        + ", which is not a topic of the contract (io.strideback.events.Topic)"));
        String dlq = config.getOptionalValue(PREFIX + name + ".dead-letter-queue.topic", String.class).orElse("");
        if (!"dead-letter-queue".equals(config.getOptionalValue(PREFIX + name + ".failure-strategy", String.class)
                .orElse("")) || !dlq.equals(topic.deadLetterTopicName())) {
            throw new IllegalStateException("channel " + name + " must park on " + topic.deadLetterTopicName()
                    + " (failure-strategy=dead-letter-queue, dead-letter-queue.topic)");
        }
        // Round 15: a record too large for the DLQ must still be parked (its value left out), never retried for ever.
        if (!DeadLetterValueSerializer.class.getName().equals(config.getOptionalValue(
                PREFIX + name + ".dead-letter-queue.value.serializer", String.class).orElse(""))
                || !DeadLetterKeySerializer.class.getName().equals(config.getOptionalValue(
                PREFIX + name + ".dead-letter-queue.key.serializer", String.class).orElse(""))) {
            throw new IllegalStateException("channel " + name + " must name dead-letter-queue.value.serializer="
                    + DeadLetterValueSerializer.class.getName() + " and dead-letter-queue.key.serializer="
                    + DeadLetterKeySerializer.class.getName() + " (a record too large for the DLQ would stop it)");
        }
        if (!COMMIT_STRATEGY.equals(config.getOptionalValue(PREFIX + name + ".commit-strategy", String.class).orElse(""))) {
            throw new IllegalStateException("channel " + name + " must name commit-strategy=" + COMMIT_STRATEGY
                    + " (a broker outage at an assignment would otherwise end it for good)");
        }
        String groupId = config.getValue(PREFIX + name + ".group.id", String.class);
        ConsumerChannel channel = new ConsumerChannel(name, groupId, topic);
        registered(channel);
        Gauge.builder("strideback.consumer.lag", channel, ConsumerChannel::totalLag).tag("consumer", name)
                .description("records behind the end of the subscribed partitions").register(metrics);
        Gauge.builder("strideback.consumer.running", channel, c -> failure(c).isPresent() ? 0 : 1)
                .tag("consumer", name).description("1 while the channel consumes; 0 once it failed (alert on it)")
                .register(metrics);
        Gauge.builder("strideback.consumer.retrying", channel, c -> c.retryingSince().isPresent() ? 1 : 0)
                .tag("consumer", name).description("1 while the channel retries a transient failure")
                .register(metrics);
    }

    public ConsumerChannel channel(String name) {
        ConsumerChannel channel = channels.get(name);
        if (channel == null) {
            throw new IllegalStateException("no incoming channel " + name + " in the configuration");
        }
        return channel;
    }

    void registered(ConsumerChannel channel) {
        channels.put(channel.name(), channel);
        failureSources.computeIfAbsent(channel.name(), n -> ConcurrentHashMap.newKeySet()).add(channel.name());
    }

    /** The channel, once registered (the connector builds its consumers before the start event). */
    Optional<ConsumerChannel> find(String name) {
        return Optional.ofNullable(channels.get(name));
    }

    Duration maxBackoff() {
        return maxBackoff;
    }

    /** Notes each bean method consuming a channel ({@code @Incoming}), whose failure is that channel's. */
    private void consumingMethods() {
        if (beans == null) {
            return;
        }
        for (var bean : beans.getBeans(Object.class, Any.Literal.INSTANCE)) {
            Class<?> type = bean.getBeanClass();
            Method[] methods;
            try {
                methods = type.getDeclaredMethods();
            } catch (LinkageError absent) {
                continue; // a library bean whose optional dependencies are not here: it consumes no channel of ours
            }
            for (Method method : methods) {
                for (var incoming : method.getAnnotationsByType(Incoming.class)) {
                    if (channels.containsKey(incoming.value())) {
                        failureSources.get(incoming.value()).add("application-" + type.getName() + "#" + method.getName());
                    }
                }
            }
        }
    }

    public List<ConsumerChannel> all() {
        return channels.values().stream().sorted(java.util.Comparator.comparing(ConsumerChannel::name)).toList();
    }

    public boolean stopping() {
        return stopping;
    }

    /** Why the connector says the channel no longer consumes; empty while it does. */
    public Optional<String> failure(ConsumerChannel channel) {
        if (!healthCenter.isResolvable()) {
            return Optional.empty();
        }
        return failureOf(failureSources.getOrDefault(channel.name(), Set.of(channel.name())),
                healthCenter.get().getLiveness().getChannels());
    }

    /**
     * The first failure reported under one of {@code sources} (the channel's own name, or one of its consuming
     * methods': its stream then ends). Matched by the whole name: another channel's or method's failure is not this
     * channel's, whatever the names contain ({@code #}, a shared prefix).
     */
    static Optional<String> failureOf(Set<String> sources, List<HealthReport.ChannelInfo> reported) {
        for (HealthReport.ChannelInfo info : reported) {
            if (!info.isOk() && sources.contains(info.getChannel())) {
                return Optional.of(info.getChannel() + ": " + info.getMessage());
            }
        }
        return Optional.empty();
    }

    void rebalanced(String groupId) {
        channels.values().stream().filter(c -> c.groupId().equals(groupId)).forEach(c -> c.rebalances.incrementAndGet());
    }

    /**
     * Applies one record: reads the event (unreadable: parked), runs the handler until it is applied
     * (acknowledged) or refused (parked with the reason); while stopping, leaves it unacknowledged.
     * The handler runs in the record's trace context (quarkus-opentelemetry's CONSUMER span), so an
     * outbox row it writes carries that trace on.
     */
    public void deliver(String channelName, KafkaRecord<String, byte[]> record, EventHandler handler) {
        ConsumerChannel channel = channel(channelName);
        if (stopping) {
            return;
        }
        if (apply(channel, record, handler) == Applied.APPLIED) {
            ack(channel, record);
        }
    }

    /** What became of one record: applied (the caller acknowledges it), parked (the connector did), or neither. */
    private enum Applied { APPLIED, PARKED, STOPPED }

    /** Reads and applies one record, parking it when unreadable or refused. */
    private Applied apply(ConsumerChannel channel, KafkaRecord<String, byte[]> record, EventHandler handler) {
        String foreign = foreignType(channel, record);
        if (foreign != null) {
            return parked(park(channel, record, foreign));
        }
        EventEnvelope<?> event;
        try {
            event = EventCodec.fromParts(record.getHeaders(), record.getPayload());
        } catch (UnreadableEventException e) {
            return parked(park(channel, record, e.getMessage()));
        }
        String misplaced = misplaced(channel, record, event);
        if (misplaced != null) {
            return parked(park(channel, record, misplaced));
        }
        try (Scope ignored = traceOf(record).makeCurrent()) {
            long start = System.nanoTime();
            Attempt<Void> attempt = attempt(channel, event.type().ceType() + " " + event.id(), () -> {
                handler.handle(event);
                return null;
            });
            return switch (attempt.outcome()) {
                case APPLIED -> {
                    applied(channel, event, System.nanoTime() - start);
                    yield Applied.APPLIED;
                }
                case REFUSED -> parked(park(channel, record, event.type().ceType() + " " + event.id() + " refused: "
                        + attempt.reason()));
                // Not acknowledged: the record is read again after the restart.
                case STOPPED -> Applied.STOPPED;
            };
        }
    }

    private static Applied parked(boolean parked) {
        return parked ? Applied.PARKED : Applied.STOPPED;
    }

    /**
     * As {@link #deliver(String, KafkaRecord, EventHandler)}, but a record of a known type the channel does not
     * handle ({@code handled}) is acknowledged from its {@code ce_type} header alone, without reading its body
     * (issue 15: plan-service reads the activity topic for enrolments and assessments; sessions and symptoms
     * are most of it). A record of an unknown type, or without one, is read as before and parked as unreadable.
     */
    public void deliver(String channelName, KafkaRecord<String, byte[]> record, Set<EventType> handled,
                        EventHandler handler) {
        if (passedOver(channel(channelName), record, handled)) {
            if (!stopping) {
                ack(channel(channelName), record);
            }
            return;
        }
        deliver(channelName, record, handler);
    }

    /**
     * A poll batch (the channel's {@code batch=true}) applied one record at a time, each as
     * {@link #deliver(String, KafkaRecord, Set, EventHandler)} does (read, applied or parked, retried while the
     * failure is transient), but acknowledged once for the whole poll (issue 15: a channel that passes most of its
     * topic over by header paid a worker-thread hand-off and an acknowledgement per record). Nothing of the batch
     * is acknowledged when the service stops before its last record is applied: it is read again, and every
     * handler drops what it has already seen.
     */
    public void deliverEach(String channelName, KafkaRecordBatch<String, byte[]> batch, Set<EventType> handled,
                            EventHandler handler) {
        ConsumerChannel channel = channel(channelName);
        for (KafkaRecord<String, byte[]> record : batch.getRecords()) {
            if (stopping) {
                return;
            }
            if (passedOver(channel, record, handled)) {
                continue;
            }
            if (apply(channel, record, handler) == Applied.STOPPED) {
                return;
            }
        }
        if (!stopping) {
            ack(channel, batch);
        }
    }

    /**
     * Applies one poll batch (the channel's {@code batch=true}) with one call of {@code handler} for all its
     * readable records (issue 15: one transaction per poll, not per record). Records of a known type the channel
     * does not handle are passed over by their header; an unreadable one is parked. A deterministic failure
     * of one record parks that record with its reason and the rest are applied again without it; a transient
     * one is retried, the same records, for as long as it lasts (never skipped). The batch is acknowledged
     * once every record in it is applied or parked; while stopping nothing is, and it is read again.
     */
    public void deliverBatch(String channelName, KafkaRecordBatch<String, byte[]> batch, Set<EventType> handled,
                             BatchHandler handler) {
        ConsumerChannel channel = channel(channelName);
        if (stopping) {
            return;
        }
        List<KafkaRecord<String, byte[]>> records = new ArrayList<>();
        List<Delivery> deliveries = new ArrayList<>();
        for (KafkaRecord<String, byte[]> record : batch.getRecords()) {
            if (passedOver(channel, record, handled)) {
                continue;
            }
            String refused = foreignType(channel, record);
            if (refused == null) {
                try {
                    EventEnvelope<?> event = EventCodec.fromParts(record.getHeaders(), record.getPayload());
                    refused = misplaced(channel, record, event);
                    if (refused == null) {
                        deliveries.add(new Delivery(event, traceOf(record), asWritten(record), record.getPayload()));
                        records.add(record);
                        continue;
                    }
                } catch (UnreadableEventException e) {
                    refused = e.getMessage();
                }
            }
            if (!park(channel, record, refused)) {
                return;
            }
        }
        if (applyAll(channel, records, deliveries, handler) && !stopping) {
            ack(channel, batch);
        }
    }

    /** False when the service stopped first: then nothing more is acknowledged. */
    private boolean applyAll(ConsumerChannel channel, List<KafkaRecord<String, byte[]>> records,
                             List<Delivery> deliveries, BatchHandler handler) {
        List<KafkaRecord<String, byte[]>> left = new ArrayList<>(records);
        List<Delivery> todo = new ArrayList<>(deliveries);
        while (!todo.isEmpty()) {
            long start = System.nanoTime();
            List<Delivery> these = List.copyOf(todo);
            Attempt<Void> attempt = attempt(channel, these.size() == 1 ? describe(these.get(0).event())
                    : these.size() + " records from " + describe(these.get(0).event()), () -> {
                handler.handle(these);
                return null;
            });
            switch (attempt.outcome()) {
                case APPLIED -> {
                    long each = (System.nanoTime() - start) / these.size();
                    these.forEach(d -> applied(channel, d.event(), each));
                    return true;
                }
                case STOPPED -> {
                    return false;
                }
                case REFUSED -> {
                    if (attempt.failure() instanceof RecordRefused refused && refused.index() >= 0
                            && refused.index() < these.size()) {
                        // That one record is the cause: parked alone, the others go again without it.
                        int i = refused.index();
                        if (!park(channel, left.get(i), describe(these.get(i).event()) + " refused: "
                                + Failures.reason(refused.getCause()))) {
                            return false;
                        }
                        left.remove(i);
                        todo.remove(i);
                    } else if (these.size() == 1) {
                        if (!park(channel, left.get(0), describe(these.get(0).event()) + " refused: " + attempt.reason())) {
                            return false;
                        }
                        return true;
                    } else {
                        // The batch failed for good and cannot say which record: one at a time, in order.
                        LOG.infof("%s: a batch of %d records refused (%s); applying them one at a time", channel.name(),
                                these.size(), attempt.reason());
                        for (int i = 0; i < these.size(); i++) {
                            if (!applyAll(channel, List.of(left.get(i)), List.of(these.get(i)), handler)) {
                                return false;
                            }
                        }
                        return true;
                    }
                }
            }
        }
        return true;
    }

    /** The record's data when it is at the current schema version (read as written, no upcaster); else null. */
    private static byte[] asWritten(KafkaRecord<String, byte[]> record) {
        String version = EventCodec.header(record.getHeaders(), EventCodec.SCHEMA_VERSION);
        int at = version == null ? 1 : Integer.parseInt(version); // a number: fromParts read it already
        return at == EventType.CURRENT_SCHEMA_VERSION ? record.getPayload() : null;
    }

    private static String describe(EventEnvelope<?> event) {
        return event.type().ceType() + " " + event.id();
    }

    /**
     * A record of a known type of the channel's topic that the channel does not handle; decided by its header, the body
     * is never read. A type of another topic is not passed over: it is read and parked ({@link #misplaced}).
     */
    private static boolean passedOver(ConsumerChannel channel, KafkaRecord<String, byte[]> record,
                                      Set<EventType> handled) {
        String ceType = EventCodec.header(record.getHeaders(), EventCodec.TYPE);
        if (ceType == null) {
            return false;
        }
        Optional<EventType> type = EventType.fromCeType(ceType);
        return type.isPresent() && type.get().topic() == channel.topic() && !handled.contains(type.get());
    }

    /**
     * Why the record's type cannot be read from the channel's topic, or null: decided by its header, before its body is
     * read (a type of another topic read as its own type's data may bind, or fail with a reason that hides the cause).
     */
    static String foreignType(ConsumerChannel channel, KafkaRecord<String, byte[]> record) {
        return EventCodec.notAnEventOf(channel.topic(), record.getHeaders());
    }

    /**
     * Why a readable event cannot be applied from where it was read, or null (round 15, from outside: plan-service
     * applied them, the load monitor parked them, so the two disagreed on the athlete's events): a key other than
     * {@code ce_clinic/ce_subject} puts the event on another athlete's partition, out of order with the athlete's own.
     * A type of another topic (CONTRACT.md "Kafka": one writer and its types per topic) is {@link #foreignType}.
     */
    static String misplaced(ConsumerChannel channel, KafkaRecord<String, byte[]> record, EventEnvelope<?> event) {
        if (!event.key().equals(record.getKey())) {
            return event.type().ceType() + " " + event.id() + " has key '" + record.getKey() + "', not its athlete's '"
                    + event.key() + "'";
        }
        return null;
    }

    /** Counts an applied event for the metrics and the ops status. */
    public void applied(ConsumerChannel channel, EventEnvelope<?> event, long nanos) {
        Meters m = meters.computeIfAbsent(channel.name(), n -> new ConcurrentHashMap<>())
                .computeIfAbsent(event.type(), type -> new Meters(
                        metrics.timer("strideback.consumer.processing", "consumer", channel.name(), "type", type.ceType()),
                        metrics.counter("strideback.events.in", "type", type.ceType())));
        m.processing().record(nanos, TimeUnit.NANOSECONDS);
        m.in().increment();
        channel.applied(event.time());
    }

    /**
     * A channel's meters of one event type, looked up once: per event, the registry's look-up (tags built, sorted
     * and hashed) cost more than the recording (issue 15, JFR of plan-service in the intake figure).
     */
    private record Meters(Timer processing, Counter in) {
    }

    /**
     * Runs {@code work} until it succeeds or fails deterministically; a transient failure is retried
     * with back-off (100 ms doubling to {@code strideback.consumer.max-backoff}) for as long as it lasts.
     */
    public <T> Attempt<T> attempt(ConsumerChannel channel, String what, Callable<T> work) {
        long backoff = 100;
        while (!stopping) {
            try {
                T value = work.call();
                channel.flowing();
                return Attempt.ofApplied(value);
            } catch (Exception e) {
                if (stopping) {
                    // While the service stops anything may fail (pool closed, container gone): never
                    // park or acknowledge then; the record is read again after the restart.
                    LOG.infof("%s: %s not applied while stopping (%s); read again after the restart",
                            channel.name(), what, Failures.reason(e));
                    break;
                }
                if (Failures.classify(e) == Failures.Kind.DETERMINISTIC) {
                    channel.flowing();
                    return Attempt.ofRefused(e);
                }
                String reason = Failures.reason(e);
                channel.retrying(reason);
                metrics.counter("strideback.consumer.retries", "consumer", channel.name()).increment();
                LOG.warnf("%s: %s failed (%s); retrying in %d ms", channel.name(), what, reason, backoff);
                if (!pause(backoff)) {
                    break;
                }
                backoff = Math.min(maxBackoff.toMillis(), backoff * 2);
            }
        }
        return Attempt.ofStopped();
    }

    /** Acknowledges a message whose effect committed: its offset may now be committed. */
    public void ack(ConsumerChannel channel, Message<?> message) {
        try {
            message.ack().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // The record stays uncommitted and is read again; its handler drops it as seen.
            LOG.warnf("%s: acknowledgement failed (%s)", channel.name(), Failures.reason(e));
        }
    }

    /**
     * Parks one record on its topic's DLQ with {@code reason} in the {@value Topic#DLQ_REASON_HEADER}
     * header; the connector acknowledges it once the DLQ has it. Retried while the broker cannot take
     * it. False when the service stopped first (the record is then read again after the restart).
     */
    public boolean park(ConsumerChannel channel, KafkaRecord<?, ?> record, String reason) {
        String where = record.getTopic() + "-" + record.getPartition() + "@"
                + record.getMetadata(IncomingKafkaRecordMetadata.class).map(m -> Long.toString(m.getOffset())).orElse("?");
        long backoff = 500;
        while (!stopping) {
            try {
                record.nack(new DeadLetter(reason)).toCompletableFuture().get(150, TimeUnit.SECONDS);
                channel.parked(where + ": " + reason);
                metrics.counter("strideback.dlq", "topic", record.getTopic()).increment();
                LOG.warnf("%s: record %s parked on %s (%s)", channel.name(), where, channel.topic().deadLetterTopicName(),
                        reason);
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (Exception e) {
                LOG.warnf("%s: cannot park %s on %s yet (%s); retrying", channel.name(), where,
                        channel.topic().deadLetterTopicName(), Failures.reason(e));
                if (!pause(backoff)) {
                    return false;
                }
                backoff = Math.min(maxBackoff.toMillis(), backoff * 2);
            }
        }
        return false;
    }

    /** Notes work after a record was stored that failed for good (log, metric, ops status) and goes on. */
    public void stepFailed(ConsumerChannel channel, String step, String what) {
        channel.stepFailed(what);
        metrics.counter("strideback.consumer.step.failures", "consumer", channel.name(), "step", step).increment();
        LOG.errorf("%s: %s failed for good: %s; recorded, the others go on", channel.name(), step, what);
    }

    /**
     * The trace context quarkus-opentelemetry's messaging instrumentation gave the record (its CONSUMER span); where
     * the connector makes no spans (tracing off, {@code ConsumerSpansFollowTracing}), the context the record came
     * with ({@code traceparent} header), so what the handler writes still carries the writer's trace on.
     */
    public static Context traceOf(Message<?> record) {
        Optional<TracingMetadata> traced = TracingMetadata.fromMessage(record);
        if (traced.isPresent()) {
            return traced.get().getCurrentContext();
        }
        if (record instanceof KafkaRecord<?, ?> kafka && kafka.getHeaders() != null) {
            String traceparent = EventCodec.header(kafka.getHeaders(), KafkaTracing.TRACEPARENT);
            if (traceparent != null) {
                return KafkaTracing.fromTraceparent(traceparent);
            }
        }
        return Context.current();
    }

    private boolean pause(long millis) {
        long until = System.nanoTime() + millis * 1_000_000;
        try {
            while (!stopping && System.nanoTime() < until) {
                Thread.sleep(Math.min(100, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return !stopping;
    }

    private void refreshLag() {
        if (!kafkaClients.isResolvable()) {
            return;
        }
        for (ConsumerChannel channel : channels.values()) {
            try {
                KafkaConsumer<Object, Object> consumer = kafkaClients.get().getConsumer(channel.name());
                if (consumer == null) {
                    continue;
                }
                // Behind = the end of the partition minus what was applied and committed. Not the
                // consumer's position: the connector fetches ahead of the handler, so a position-based
                // lag says 0 while fetched records still wait to be applied.
                Map<String, Long> lag = consumer.runOnPollingThread(c -> {
                    Map<String, Long> out = new HashMap<>();
                    Set<TopicPartition> assigned = c.assignment();
                    if (assigned.isEmpty()) {
                        return out;
                    }
                    Map<TopicPartition, Long> ends = c.endOffsets(assigned, Duration.ofSeconds(2));
                    Map<TopicPartition, OffsetAndMetadata> committed = c.committed(assigned, Duration.ofSeconds(2));
                    Set<TopicPartition> neverCommitted = new HashSet<>(assigned);
                    neverCommitted.removeIf(tp -> committed.get(tp) != null);
                    Map<TopicPartition, Long> starts = neverCommitted.isEmpty() ? Map.of()
                            : c.beginningOffsets(neverCommitted, Duration.ofSeconds(2));
                    for (TopicPartition tp : assigned) {
                        OffsetAndMetadata done = committed.get(tp);
                        long next = done != null ? done.offset() : starts.getOrDefault(tp, 0L);
                        out.put(tp.topic() + "-" + tp.partition(), Math.max(0, ends.getOrDefault(tp, next) - next));
                    }
                    return out;
                }).await().atMost(Duration.ofSeconds(10));
                channel.lag.keySet().retainAll(lag.keySet());
                channel.lag.putAll(lag);
            } catch (Exception e) {
                LOG.debugf("%s: lag not refreshed (%s)", channel.name(), e.getMessage());
            }
        }
    }

    /** The failure a parked record is nacked with: its message is the dead-letter reason. */
    public static final class DeadLetter extends RuntimeException {
        public DeadLetter(String reason) {
            super(reason, null, false, false);
        }
    }
}
