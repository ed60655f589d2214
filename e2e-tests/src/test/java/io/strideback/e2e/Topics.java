package io.strideback.e2e;

import io.strideback.events.EventCodec;
import io.strideback.events.EventEnvelope;
import io.strideback.support.kafka.KafkaProducers;
import io.strideback.testing.TopicRecords;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;

import java.time.Duration;
import java.util.List;
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

    /** Every record of the topic whose clinic header is {@code clinicId}, read until {@code done} holds (60 s at most). */
    static List<ConsumerRecord<String, byte[]>> read(String bootstrap, String topic, String clinicId,
                                                     Predicate<List<ConsumerRecord<String, byte[]>>> done) {
        return TopicRecords.read(bootstrap, topic, r -> clinicId.equals(EventCodec.header(r.headers(), EventCodec.CLINIC)),
                done, Duration.ofSeconds(60));
    }
}
