package io.strideback.testing;

import io.strideback.events.Topic;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Writing records straight to a topic (as a buggy or old producer would, under the services' APIs)
 * and reading a topic until what a test waits for is there.
 */
public final class TopicRecords {
    private TopicRecords() {
    }

    /** Sends the records in one go (acks=all), so a consumer most likely polls them in one batch. */
    @SafeVarargs
    public static void send(String bootstrap, ProducerRecord<String, byte[]>... records) {
        send(Map.of(), bootstrap, records);
    }

    /**
     * As {@link #send}, gzip-compressed and with a 64 MiB request limit, as a producer that gets a record of many MB past
     * the broker's 1 MiB {@code max.message.bytes} does (the broker checks the compressed batch): round 15's oversized
     * poison, which no DLQ can take whole.
     */
    @SafeVarargs
    public static void sendCompressed(String bootstrap, ProducerRecord<String, byte[]>... records) {
        send(Map.of(ProducerConfig.COMPRESSION_TYPE_CONFIG, "gzip",
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 64 * 1024 * 1024,
                ProducerConfig.BUFFER_MEMORY_CONFIG, 256L * 1024 * 1024), bootstrap, records);
    }

    @SafeVarargs
    private static void send(Map<String, Object> more, String bootstrap, ProducerRecord<String, byte[]>... records) {
        Map<String, Object> config = new java.util.HashMap<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 50,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
        config.putAll(more);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config)) {
            List<java.util.concurrent.Future<?>> acks = new ArrayList<>();
            for (ProducerRecord<String, byte[]> record : records) {
                acks.add(producer.send(record));
            }
            for (java.util.concurrent.Future<?> ack : acks) {
                ack.get(30, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot send to the broker", e);
        }
    }

    /**
     * An athlete id, {@code prefix} and a random suffix, whose record key lands on the same partition as
     * {@code athleteId}'s (both of {@code clinicId}) on each of {@code topics}, as the producers' default partitioner
     * places keys. Records of it sent after a test's records are a marker: once a consumer group shows their effect,
     * it has read everything before them on that partition (a group reads each partition in order, but partitions
     * independently, so another athlete's record proves nothing about this one's).
     */
    public static String athleteOnTheSamePartitions(String bootstrap, String clinicId, String athleteId, String prefix,
                                                    String... topics) {
        int[] partitions = new int[topics.length];
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            var described = admin.describeTopics(List.of(topics)).allTopicNames().get(30, TimeUnit.SECONDS);
            for (int t = 0; t < topics.length; t++) {
                partitions[t] = described.get(topics[t]).partitions().size();
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot describe " + List.of(topics), e);
        }
        String key = Topic.key(clinicId, athleteId);
        while (true) {
            String candidate = prefix + UUID.randomUUID();
            String candidateKey = Topic.key(clinicId, candidate);
            boolean everywhere = true;
            for (int n : partitions) {
                everywhere &= partition(candidateKey, n) == partition(key, n);
            }
            if (everywhere) {
                return candidate;
            }
        }
    }

    private static int partition(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /**
     * The topic's records that {@code mine} selects, read from the beginning until {@code done}
     * holds for them or {@code within} passed (then the test fails with what was found).
     */
    public static List<ConsumerRecord<String, byte[]>> read(String bootstrap, String topic,
                                                            Predicate<ConsumerRecord<String, byte[]>> mine,
                                                            Predicate<List<ConsumerRecord<String, byte[]>>> done,
                                                            Duration within) {
        return read("read_uncommitted", bootstrap, topic, mine, done, within);
    }

    /**
     * As {@link #read}, only what committed transactions wrote (what the services' consumers see): the records of a
     * transaction a killed instance left open, aborted by the broker, are not among them.
     */
    public static List<ConsumerRecord<String, byte[]>> readCommitted(String bootstrap, String topic,
                                                                     Predicate<ConsumerRecord<String, byte[]>> mine,
                                                                     Predicate<List<ConsumerRecord<String, byte[]>>> done,
                                                                     Duration within) {
        return read("read_committed", bootstrap, topic, mine, done, within);
    }

    private static List<ConsumerRecord<String, byte[]>> read(String isolation, String bootstrap, String topic,
                                                             Predicate<ConsumerRecord<String, byte[]>> mine,
                                                             Predicate<List<ConsumerRecord<String, byte[]>>> done,
                                                             Duration within) {
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + within.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(300))) {
                    if (mine.test(r)) {
                        found.add(r);
                    }
                }
                if (done.test(found)) {
                    return found;
                }
            }
        }
        throw new AssertionError("waited " + within + " on " + topic + "; found only " + found.size() + " record(s)");
    }
}
