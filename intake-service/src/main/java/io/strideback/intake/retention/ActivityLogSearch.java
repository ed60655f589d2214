package io.strideback.intake.retention;

import io.micrometer.core.instrument.MeterRegistry;
import io.strideback.events.EventCodec;
import io.strideback.events.Topic;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether the event a PENDING key was claimed for reached the activity log. Reads only the records
 * written around the claim, not everything since: an event claimed at {@code t} was sent right after
 * the claim and acknowledged, if ever, within the publish timeout, so its record's time (the
 * producer's clock) lies in {@code [t - skew, t + publish timeout + 2 skew]}. The offsets of that
 * window come from the broker's time index ({@code offsetsForTimes}), so the cost of a look-up does
 * not grow with the claim's age.
 *
 * <p>Issue 12: the first version read from the claim to the partition's end within the 5 s publish
 * timeout. A key left PENDING for days meant days of a partition to read, more than 5 s of reading,
 * so every retry ran out of time and answered 503, for ever (and the partition only grows).
 */
@ApplicationScoped
public class ActivityLogSearch {

    /** Clock difference allowed between PostgreSQL (the claim's time) and intake (the record's). */
    static final Duration SKEW = Duration.ofMinutes(1);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @ConfigProperty(name = "strideback.intake.publish-timeout", defaultValue = "PT5S")
    Duration publishTimeout;

    @Inject
    MeterRegistry metrics;

    /** A search session: one consumer for any number of look-ups (the settle job checks many keys). */
    public Session open() {
        return new Session();
    }

    public final class Session implements AutoCloseable {

        private final KafkaConsumer<byte[], byte[]> consumer;
        private List<TopicPartition> partitions;

        private Session() {
            Map<String, Object> config = new HashMap<>();
            config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            config.put(ConsumerConfig.CLIENT_ID_CONFIG, "intake-pending-key-search");
            config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
            config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
            io.strideback.support.kafka.KafkaClientSecurity.addTo(config);
            consumer = new KafkaConsumer<>(config);
        }

        /**
         * Whether an event with id {@code eventId}, claimed at {@code claimedAt}, is on the activity
         * log. {@code recordKey} ({@code clinicId/athleteId}) narrows the search to its partition
         * (Kafka's default partitioner); null searches every partition (the settle job does not
         * know the athlete).
         *
         * @throws IllegalStateException when the log cannot be read in time
         */
        public boolean contains(String eventId, String recordKey, Instant claimedAt) {
            try {
                List<TopicPartition> searched = partitionsFor(recordKey);
                if (searched.isEmpty()) {
                    return false;
                }
                // One request per bound for all partitions searched, then each partition's window.
                Map<TopicPartition, OffsetAndTimestamp> first = consumer.offsetsForTimes(
                        at(searched, claimedAt.minus(SKEW)), publishTimeout);
                Map<TopicPartition, OffsetAndTimestamp> after = consumer.offsetsForTimes(
                        at(searched, claimedAt.plus(publishTimeout).plus(SKEW.multipliedBy(2))), publishTimeout);
                Map<TopicPartition, Long> end = consumer.endOffsets(searched, publishTimeout);
                for (TopicPartition tp : searched) {
                    if (first.get(tp) == null) {
                        continue; // nothing written to this partition since the window opened
                    }
                    long stop = after.get(tp) != null ? after.get(tp).offset() : end.get(tp);
                    if (containsIn(tp, eventId, first.get(tp).offset(), stop)) {
                        return true;
                    }
                }
                return false;
            } catch (KafkaException e) {
                throw new IllegalStateException("the activity log could not be read: " + e.getMessage(), e);
            }
        }

        private Map<TopicPartition, Long> at(List<TopicPartition> tps, Instant time) {
            Map<TopicPartition, Long> query = new HashMap<>();
            tps.forEach(tp -> query.put(tp, time.toEpochMilli()));
            return query;
        }

        private List<TopicPartition> partitionsFor(String recordKey) {
            if (partitions == null) {
                String topic = Topic.ATHLETE_ACTIVITY.topicName();
                List<PartitionInfo> info = consumer.partitionsFor(topic, publishTimeout);
                partitions = info == null ? List.of()
                        : info.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            }
            if (recordKey == null || partitions.isEmpty()) {
                return partitions;
            }
            int p = Utils.toPositive(Utils.murmur2(recordKey.getBytes(StandardCharsets.UTF_8))) % partitions.size();
            return partitions.stream().filter(tp -> tp.partition() == p).toList();
        }

        /** Reads {@code [start, stop)} of one partition for the event id, within the publish timeout. */
        private boolean containsIn(TopicPartition tp, String eventId, long start, long stop) {
            if (start >= stop) {
                return false;
            }
            consumer.assign(List.of(tp));
            consumer.seek(tp, start);
            long deadline = System.nanoTime() + publishTimeout.toNanos();
            long read = 0;
            try {
                while (consumer.position(tp) < stop) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("the activity log could not be read in time");
                    }
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        if (r.offset() >= stop) {
                            return false;
                        }
                        read++;
                        if (eventId.equals(EventCodec.header(r.headers(), EventCodec.ID))) {
                            return true;
                        }
                    }
                }
                return false;
            } finally {
                metrics.counter("strideback.intake.pending.records.read").increment(read);
            }
        }

        @Override
        public void close() {
            consumer.close(Duration.ofSeconds(1));
        }
    }
}
