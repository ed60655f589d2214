package io.strideback.e2e;

import io.strideback.events.EventCodec;
import io.strideback.events.EventEnvelope;
import io.strideback.support.kafka.KafkaProducers;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

/** Reading and writing the platform's topics directly, as a test that looks under the API. */
final class Topics {
    private Topics() {
    }

    static void publish(String bootstrap, EventEnvelope<?> event) {
        try (KafkaProducer<String, byte[]> producer = KafkaProducers.durable(bootstrap, "e2e-" + UUID.randomUUID(), 10_000, 30_000)) {
            producer.send(EventCodec.toRecord(event)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every record of the topic whose clinic header is {@code clinicId}, read until {@code done} holds. */
    static List<ConsumerRecord<String, byte[]>> read(String bootstrap, String topic, String clinicId,
                                                     Predicate<List<ConsumerRecord<String, byte[]>>> done) {
        List<ConsumerRecord<String, byte[]>> mine = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "e2e-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            consumer.subscribe(List.of(topic));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(300))) {
                    if (clinicId.equals(EventCodec.header(r.headers(), EventCodec.CLINIC))) {
                        mine.add(r);
                    }
                }
                return done.test(mine);
            });
        }
        return mine;
    }
}
