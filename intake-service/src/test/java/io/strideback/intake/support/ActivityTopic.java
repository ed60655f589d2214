package io.strideback.intake.support;

import io.strideback.events.EventCodec;
import io.strideback.events.Topic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.awaitility.Awaitility.await;

/**
 * What really reached {@code strideback.athlete-activity.v1}: a plain consumer that reads every
 * partition from the beginning, no consumer group, and keeps what it read. Tests ask for the
 * records of their own clinic ({@code ce_clinic}).
 */
public final class ActivityTopic implements AutoCloseable {

    public static final String NAME = Topic.ATHLETE_ACTIVITY.topicName();
    public static final Duration PATIENCE = Duration.ofSeconds(30);

    private static final Map<String, ActivityTopic> SHARED = new ConcurrentHashMap<>();

    private final KafkaConsumer<String, byte[]> consumer;
    private final List<TopicPartition> partitions;
    private final List<ConsumerRecord<String, byte[]>> read = new ArrayList<>();

    public ActivityTopic(String bootstrapServers) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG, "intake-test-reader",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
        partitions = consumer.partitionsFor(NAME, PATIENCE).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** One reader per broker for the whole test run: it only ever reads forward. */
    public static ActivityTopic of(String bootstrapServers) {
        return SHARED.computeIfAbsent(bootstrapServers, ActivityTopic::new);
    }

    /** The records of {@code clinicId} read so far, after one more short poll. */
    public synchronized List<ConsumerRecord<String, byte[]>> recordsOf(String clinicId) {
        poll();
        return read.stream().filter(r -> clinicId.equals(EventCodec.header(r.headers(), EventCodec.CLINIC))).toList();
    }

    /** The records of {@code clinicId} with {@code ce_id} {@code eventId}. */
    public List<ConsumerRecord<String, byte[]>> recordsWithId(String clinicId, String eventId) {
        return recordsOf(clinicId).stream().filter(r -> eventId.equals(header(r, EventCodec.ID))).toList();
    }

    /** Waits until the record with {@code ce_id} {@code eventId} of {@code clinicId} has been read. */
    public ConsumerRecord<String, byte[]> awaitRecord(String clinicId, String eventId) {
        await().atMost(PATIENCE).pollInSameThread().until(() -> !recordsWithId(clinicId, eventId).isEmpty());
        return recordsWithId(clinicId, eventId).get(0);
    }

    /** Waits until this reader has read every record the broker holds now, on every partition. */
    public synchronized void readToEnd() {
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, PATIENCE);
        // In this thread: the consumer is single-threaded, and this method holds its lock.
        await().atMost(PATIENCE).pollInSameThread().until(() -> {
            poll();
            return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
        });
    }

    /**
     * Asserts that, besides the marker event {@code markerEventId} (a valid event the test posted
     * last), {@code clinicId} holds exactly records of {@code expectedTypes}. The marker gives a
     * condition to wait on: once it and everything before it on every partition have been read,
     * anything a rejected request had published would have been read too.
     */
    public void assertHoldsOnly(String clinicId, String markerEventId, String... expectedTypes) {
        awaitRecord(clinicId, markerEventId);
        readToEnd();
        List<String> others = recordsOf(clinicId).stream()
                .filter(r -> !markerEventId.equals(header(r, EventCodec.ID)))
                .map(r -> header(r, EventCodec.TYPE)).toList();
        org.assertj.core.api.Assertions.assertThat(others)
                .as("records of clinic %s besides the marker", clinicId)
                .containsExactlyInAnyOrder(expectedTypes);
    }

    /** The {@code ce_type}s of {@code clinicId}'s records, in the order read. */
    public List<String> typesOf(String clinicId) {
        return recordsOf(clinicId).stream().map(r -> header(r, EventCodec.TYPE)).toList();
    }

    public static String header(ConsumerRecord<String, byte[]> record, String name) {
        return EventCodec.header(record.headers(), name);
    }

    private synchronized void poll() {
        consumer.poll(Duration.ofMillis(100)).forEach(read::add);
    }

    @Override
    public synchronized void close() {
        consumer.close();
    }
}
