package io.strideback.support.security;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.strideback.events.EventCodec;
import io.strideback.events.EventEnvelope;
import io.strideback.events.SecurityEvents.RevokedBy;
import io.strideback.events.SecurityEvents.TokenRevoked;
import io.strideback.events.Topic;
import io.strideback.support.kafka.KafkaClientSecurity;
import io.strideback.support.kafka.KafkaProducers;
import io.strideback.support.messaging.DeadLetterBounds;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The tokens an operator revoked (issue 16), as every replica of every service knows them: read from
 * {@link Topic#TOKEN_REVOCATIONS} from its beginning by a consumer of its own (no consumer group: each
 * replica needs every revocation), so a revocation published once reaches every service within a
 * poll ({@code strideback.revocations.poll}, 500 ms) and survives restarts. A replica is not ready
 * ({@link RevocationsHealthCheck}) until it has read the revocations that were on the topic when it
 * started: a restarted service never accepts a token revoked before.
 *
 * <p>A token is refused when its {@code jti} was revoked, or its subject was revoked at or after the
 * token's {@code iat}. Entries older than the longest token lifetime (plus skew) are forgotten: no
 * token they could refuse is still valid.
 */
@ApplicationScoped
public class RevocationList {

    private static final Logger LOG = Logger.getLogger(RevocationList.class);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;
    @ConfigProperty(name = "quarkus.application.name")
    String application;
    @ConfigProperty(name = "strideback.revocations.enabled", defaultValue = "true")
    boolean enabled;
    @ConfigProperty(name = "strideback.revocations.poll", defaultValue = "PT0.5S")
    Duration poll;
    /** The longest a token may live (smallrye.jwt.time-to-live, 12 h) plus clock skew. */
    @ConfigProperty(name = "strideback.revocations.remember", defaultValue = "PT13H")
    Duration remember;
    /**
     * Round 19: whether this service parks a revocation record it cannot read on the topic's DLQ. Intake's, the
     * topic's writer (every service reads the topic whole: one parking service, not three, parks each record).
     */
    @ConfigProperty(name = "strideback.revocations.park-unreadable", defaultValue = "false")
    boolean parkUnreadable;
    @Inject
    MeterRegistry metrics;

    private final Map<String, Instant> tokenIds = new ConcurrentHashMap<>();
    private final Map<String, Instant> subjects = new ConcurrentHashMap<>();
    private volatile boolean caughtUp;
    private volatile String problem;
    private volatile boolean running;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private KafkaProducer<String, byte[]> deadLetters;
    /** Where the records already on the DLQ were read ({@code topic-partition@offset}): parked once, not per start. */
    private final Set<String> parked = new HashSet<>();
    private Thread reader;

    void start(@Observes StartupEvent e) {
        if (!enabled) {
            caughtUp = true;
            return;
        }
        running = true;
        reader = new Thread(this::read, "token-revocations");
        reader.setDaemon(true);
        reader.start();
    }

    void stop(@Observes ShutdownEvent e) {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        synchronized (this) {
            if (deadLetters != null) {
                deadLetters.close(Duration.ofSeconds(5));
            }
        }
    }

    /** Whether {@code token} was revoked: by its id, or by its subject at or after it was issued. */
    public boolean isRevoked(JsonWebToken token) {
        String jti = token.getTokenID();
        if (jti != null && tokenIds.containsKey(jti)) {
            return true;
        }
        Instant subjectRevoked = token.getSubject() == null ? null : subjects.get(token.getSubject());
        return subjectRevoked != null && token.getIssuedAtTime() <= subjectRevoked.getEpochSecond();
    }

    /** Applies one revocation read from the topic (also the unit tests' way in). */
    void apply(TokenRevoked revoked) {
        if (incomplete(revoked) != null) {
            return;
        }
        Instant forgetBefore = Instant.now().minus(remember);
        if (revoked.revokedAt().isBefore(forgetBefore)) {
            return;
        }
        (revoked.kind() == RevokedBy.SUBJECT ? subjects : tokenIds).merge(revoked.value(), revoked.revokedAt(),
                (a, b) -> a.isAfter(b) ? a : b);
        tokenIds.values().removeIf(at -> at.isBefore(forgetBefore));
        subjects.values().removeIf(at -> at.isBefore(forgetBefore));
    }

    /** Why {@code revoked} names nothing to refuse, or null when it is whole. */
    static String incomplete(TokenRevoked revoked) {
        if (revoked == null || revoked.kind() == null) {
            return "no kind (TOKEN_ID or SUBJECT)";
        }
        if (revoked.value() == null || revoked.value().isBlank()) {
            return "no value (the token id or subject revoked)";
        }
        return revoked.revokedAt() == null ? "no revokedAt" : null;
    }

    /** Whether this replica has read every revocation that was on the topic when it started. */
    public boolean caughtUp() {
        return caughtUp;
    }

    /** Why the reader is not reading, when it is not. */
    public String problem() {
        return problem;
    }

    public int size() {
        return tokenIds.size() + subjects.size();
    }

    private void read() {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, application + "-revocations");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        KafkaClientSecurity.addTo(config);
        while (running) {
            try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(config)) {
                consumer = c;
                if (parkUnreadable) {
                    readParked(c);
                }
                List<TopicPartition> partitions = partitions(c);
                c.assign(partitions);
                c.seekToBeginning(partitions);
                Map<TopicPartition, Long> startEnd = c.endOffsets(partitions, Duration.ofSeconds(30));
                while (running) {
                    for (ConsumerRecord<String, byte[]> record : c.poll(poll)) {
                        take(record);
                    }
                    if (!caughtUp && startEnd.entrySet().stream().allMatch(p -> c.position(p.getKey()) >= p.getValue())) {
                        caughtUp = true;
                        LOG.infof("token revocations read: %d in force", size());
                    }
                    problem = null;
                }
            } catch (WakeupException stopping) {
                return;
            } catch (RuntimeException e) {
                problem = e.getClass().getSimpleName() + ": " + e.getMessage();
                LOG.warnf("token revocations cannot be read (%s); retrying", problem);
                sleep(2000);
            }
        }
    }

    private static List<TopicPartition> partitions(KafkaConsumer<String, byte[]> c) {
        String topic = Topic.TOKEN_REVOCATIONS.topicName();
        List<PartitionInfo> infos = c.partitionsFor(topic, Duration.ofSeconds(30));
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException(topic + " does not exist");
        }
        return infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
    }

    /**
     * Round 19: an unreadable record was logged and skipped, and one of another type or naming nothing was ignored
     * without a trace. Each would fail the same way at every read, so it is parked with its reason (by the parking
     * service, once; the others log it) and the next records are read. A failure to park (the broker) is thrown: the
     * reader starts again from the beginning, skipping nothing.
     */
    private void take(ConsumerRecord<String, byte[]> record) {
        String refused;
        String logged; // the reason without the record's content: an unreadable record's parser may quote it
        try {
            EventEnvelope<?> event = EventCodec.fromRecord(record);
            if (!(event.data() instanceof TokenRevoked revoked)) {
                refused = event.type().ceType() + " " + event.id() + " is not a token revocation";
            } else if ((refused = incomplete(revoked)) == null) {
                apply(revoked);
                return;
            } else {
                refused = event.type().ceType() + " " + event.id() + " names nothing to revoke: " + refused;
            }
            logged = refused;
        } catch (KafkaException e) {
            throw e;
        } catch (RuntimeException unreadable) {
            refused = unreadable.getMessage() == null ? unreadable.getClass().getSimpleName() : unreadable.getMessage();
            logged = "unreadable: " + unreadable.getClass().getSimpleName();
        }
        String where = record.topic() + "-" + record.partition() + "@" + record.offset();
        // Only intake writes here (ACL); a record is logged by offset and reason, never its content.
        LOG.errorf("revocation at %s refused: %s", where, logged.replaceAll("\\p{Cntrl}", "?"));
        if (parkUnreadable && parked.add(where)) {
            park(record, refused);
        }
    }

    private void park(ConsumerRecord<String, byte[]> record, String reason) {
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        DeadLetterBounds.reasonAndSource(headers, reason, record.topic(), record.partition(), record.offset());
        String key = DeadLetterBounds.key(headers, record.key());
        byte[] value = DeadLetterBounds.value(headers, record.value());
        try {
            deadLetters().send(new ProducerRecord<>(Topic.TOKEN_REVOCATIONS.deadLetterTopicName(), null, key, value,
                    headers)).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            parked.remove(record.topic() + "-" + record.partition() + "@" + record.offset());
            throw new IllegalStateException("interrupted while parking a revocation record", e);
        } catch (ExecutionException | TimeoutException e) {
            parked.remove(record.topic() + "-" + record.partition() + "@" + record.offset());
            throw new IllegalStateException("cannot park a revocation record yet: " + e, e);
        }
        metrics.counter("strideback.dlq", "topic", record.topic()).increment();
    }

    /** What is on the DLQ already (kept as long as the topic, a day): a restart parks nothing twice. */
    private void readParked(KafkaConsumer<String, byte[]> c) {
        String dlq = Topic.TOKEN_REVOCATIONS.deadLetterTopicName();
        List<PartitionInfo> infos = c.partitionsFor(dlq, Duration.ofSeconds(30));
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException(dlq + " does not exist");
        }
        List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(dlq, p.partition())).toList();
        c.assign(partitions);
        c.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = c.endOffsets(partitions, Duration.ofSeconds(30));
        while (running && !end.entrySet().stream().allMatch(p -> c.position(p.getKey()) >= p.getValue())) {
            for (ConsumerRecord<String, byte[]> r : c.poll(poll)) {
                parked.add(EventCodec.header(r.headers(), DeadLetterBounds.SOURCE_TOPIC_HEADER) + "-"
                        + EventCodec.header(r.headers(), DeadLetterBounds.SOURCE_PARTITION_HEADER) + "@"
                        + EventCodec.header(r.headers(), DeadLetterBounds.SOURCE_OFFSET_HEADER));
            }
        }
    }

    private synchronized KafkaProducer<String, byte[]> deadLetters() {
        if (deadLetters == null) {
            deadLetters = KafkaProducers.durable(bootstrapServers, application + "-revocation-dead-letters", 10_000,
                    20_000);
        }
        return deadLetters;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
