package io.strideback.support.security;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.strideback.events.EventCodec;
import io.strideback.events.EventEnvelope;
import io.strideback.events.SecurityEvents.RevokedBy;
import io.strideback.events.SecurityEvents.TokenRevoked;
import io.strideback.events.Topic;
import io.strideback.support.kafka.KafkaClientSecurity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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

    private final Map<String, Instant> tokenIds = new ConcurrentHashMap<>();
    private final Map<String, Instant> subjects = new ConcurrentHashMap<>();
    private volatile boolean caughtUp;
    private volatile String problem;
    private volatile boolean running;
    private volatile KafkaConsumer<String, byte[]> consumer;
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
        if (revoked == null || revoked.value() == null || revoked.revokedAt() == null) {
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

    private void take(ConsumerRecord<String, byte[]> record) {
        try {
            EventEnvelope<?> event = EventCodec.fromRecord(record);
            if (event.data() instanceof TokenRevoked revoked) {
                apply(revoked);
            }
        } catch (RuntimeException unreadable) {
            // Only intake writes here (ACL); an unreadable record is logged by offset, never its content.
            LOG.errorf("revocation at %s-%d@%d unreadable: %s", record.topic(), record.partition(), record.offset(),
                    unreadable.getClass().getSimpleName());
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
