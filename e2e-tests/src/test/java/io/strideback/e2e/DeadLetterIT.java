package io.strideback.e2e;

import io.strideback.events.EventCodec;
import io.strideback.events.Topic;
import io.strideback.support.kafka.KafkaProducers;
import io.strideback.tools.ApiClient;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A record nobody can read is parked on the DLQ with its reason; the consumers keep going. */
class DeadLetterIT {

    private final Stack stack = Stack.get();

    @Test
    void a_poison_record_goes_to_the_dlq_and_the_next_event_is_still_processed() throws Exception {
        String clinic = "clinic-" + UUID.randomUUID();
        ApiClient clinician = stack.client(clinic, "clinician");
        String athleteId = clinician.postIntake("/api/v1/athletes", Map.of("displayName", "Runner",
                "diagnosis", "NEURAL_TENSION", "side", "RIGHT", "injuryDate", "2026-10-01")).body()
                .get("athleteId").asText();

        ProducerRecord<String, byte[]> poison = new ProducerRecord<>(Topic.ATHLETE_ACTIVITY.topicName(),
                clinic + "/" + athleteId, "{not json".getBytes(StandardCharsets.UTF_8));
        poison.headers().add(EventCodec.ID, UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
        poison.headers().add(EventCodec.TYPE, "symptom.reported".getBytes(StandardCharsets.UTF_8));
        poison.headers().add(EventCodec.SOURCE, "/somewhere".getBytes(StandardCharsets.UTF_8));
        poison.headers().add(EventCodec.TIME, Instant.now().toString().getBytes(StandardCharsets.UTF_8));
        poison.headers().add(EventCodec.SUBJECT, athleteId.getBytes(StandardCharsets.UTF_8));
        poison.headers().add(EventCodec.CLINIC, clinic.getBytes(StandardCharsets.UTF_8));
        try (KafkaProducer<String, byte[]> producer = KafkaProducers.durable(stack.kafkaBootstrap(), "poison", 10_000, 30_000)) {
            producer.send(poison).get();
        }
        assertThat(clinician.postIntake("/api/v1/athletes/" + athleteId + "/symptoms", Map.of(
                "observedAt", Instant.now().minusSeconds(60).toString(), "pain", 7, "context", "AT_REST",
                "redFlags", java.util.List.of("SEVERE_TENDERNESS"))).status()).isEqualTo(202);

        // Both readers of the activity log park it, each with the reason.
        var parked = Topics.read(stack.kafkaBootstrap(), Topic.ATHLETE_ACTIVITY.deadLetterTopicName(), clinic,
                recs -> recs.size() >= 2);
        assertThat(parked).allSatisfy(r -> assertThat(EventCodec.header(r.headers(), Topic.DLQ_REASON_HEADER))
                .contains("not valid JSON"));
        await().atMost(Duration.ofSeconds(60)).until(() -> clinician.getPlan("/api/v1/athletes/" + athleteId + "/plan")
                .body().path("flags").path("urgentReferral").asBoolean());
    }
}
