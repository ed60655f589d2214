package io.strideback.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.strideback.events.EventCodec;
import io.strideback.events.Topic;
import io.strideback.tools.ApiClient;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The walking skeleton, end to end on the packaged services, the real broker and PostgreSQL:
 * enrol on intake → plan-service makes the plan → a red-flag symptom posted on intake reaches the
 * load monitor → it proposes URGENT_REFERRAL → plan-service applies it.
 */
class SkeletonLoopIT {

    private final Stack stack = Stack.get();

    @Test
    void a_red_flag_report_pauses_running_and_refers_the_athlete_urgently() {
        String clinic = "clinic-" + UUID.randomUUID();
        ApiClient clinician = stack.client(clinic, "clinician");
        ApiClient.Answer enrolled = clinician.postIntake("/api/v1/athletes", Map.of(
                "displayName", "Skeleton runner", "diagnosis", "CALF_STRAIN_GASTROCNEMIUS", "side", "RIGHT",
                "injuryDate", "2026-10-01", "symptomFreeRunKm", 3.0));
        assertThat(enrolled.status()).isEqualTo(201);
        String athleteId = enrolled.body().get("athleteId").asText();

        JsonNode created = await().atMost(Duration.ofSeconds(60)).until(
                () -> clinician.getPlan("/api/v1/athletes/" + athleteId + "/plan"), a -> a.status() == 200).body();
        long createdVersion = created.get("version").asLong();
        assertThat(created.get("flags").get("urgentReferral").asBoolean()).isFalse();

        ApiClient.Answer posted = clinician.postIntake("/api/v1/athletes/" + athleteId + "/symptoms", Map.of(
                "observedAt", Instant.now().minusSeconds(3600).toString(), "pain", 3, "side", "RIGHT",
                "location", "MID_CALF", "character", List.of("ACHE"), "context", "AT_REST",
                "redFlags", List.of("SWELLING", "DISCOLOURATION")));
        assertThat(posted.status()).isEqualTo(202);
        String eventId = posted.body().get("eventId").asText();

        JsonNode plan = await().atMost(Duration.ofSeconds(60)).until(
                () -> clinician.getPlan("/api/v1/athletes/" + athleteId + "/plan").body(),
                p -> p.path("flags").path("urgentReferral").asBoolean()).deepCopy();
        assertThat(plan.get("constraints").get("runningPaused").asBoolean()).isTrue();
        assertThat(plan.get("version").asLong()).isGreaterThan(createdVersion);
        JsonNode referral = null;
        for (JsonNode a : plan.get("adjustments")) {
            if (a.get("type").asText().equals("URGENT_REFERRAL")) {
                referral = a;
            }
        }
        assertThat(referral).as("the plan lists the URGENT_REFERRAL").isNotNull();
        assertThat(referral.get("status").asText()).isEqualTo("APPLIED");
        assertThat(referral.get("evidenceEventIds").toString()).contains(eventId);
        assertThat(referral.get("reason").asText()).isNotBlank();

        JsonNode history = clinician.getPlan("/api/v1/athletes/" + athleteId + "/plan/history").body().get("events");
        assertThat(history.get(0).get("type").asText()).isEqualTo("plan.created");
        assertThat(history.toString()).contains("plan.adjusted").contains("URGENT_REFERRAL");
    }

    @Test
    void an_accepted_symptom_is_on_the_activity_topic_once_with_cloudevents_headers() {
        String clinic = "clinic-" + UUID.randomUUID();
        ApiClient clinician = stack.client(clinic, "clinician");
        String athleteId = clinician.postIntake("/api/v1/athletes", Map.of("athleteId", "ath-headers",
                "displayName", "Header runner", "diagnosis", "CALF_STRAIN_SOLEUS", "side", "LEFT",
                "injuryDate", "2026-10-01")).body().get("athleteId").asText();
        String observedAt = "2026-11-01T07:30:00Z";
        String eventId = clinician.postIntake("/api/v1/athletes/" + athleteId + "/symptoms", Map.of(
                "observedAt", observedAt, "pain", 2, "context", "MORNING")).body().get("eventId").asText();

        List<ConsumerRecord<String, byte[]>> mine = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG, "e2e-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            consumer.subscribe(List.of(Topic.ATHLETE_ACTIVITY.topicName()));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(300))) {
                    if (clinic.equals(EventCodec.header(r.headers(), EventCodec.CLINIC))) {
                        mine.add(r);
                    }
                }
                return mine.size() >= 2;
            });
        }
        ConsumerRecord<String, byte[]> symptom = mine.stream()
                .filter(r -> eventId.equals(EventCodec.header(r.headers(), EventCodec.ID))).findFirst().orElseThrow();
        assertThat(mine).filteredOn(r -> eventId.equals(EventCodec.header(r.headers(), EventCodec.ID))).hasSize(1);
        assertThat(symptom.key()).isEqualTo(clinic + "/" + athleteId);
        assertThat(EventCodec.header(symptom.headers(), EventCodec.SPEC_VERSION)).isEqualTo("1.0");
        assertThat(EventCodec.header(symptom.headers(), EventCodec.TYPE)).isEqualTo("symptom.reported");
        assertThat(EventCodec.header(symptom.headers(), EventCodec.SOURCE)).isEqualTo("/strideback/intake-service");
        assertThat(Instant.parse(EventCodec.header(symptom.headers(), EventCodec.TIME))).isEqualTo(Instant.parse(observedAt));
        assertThat(EventCodec.header(symptom.headers(), EventCodec.SUBJECT)).isEqualTo(athleteId);
        assertThat(EventCodec.header(symptom.headers(), EventCodec.SCHEMA_VERSION)).isEqualTo("1");
        assertThat(EventCodec.header(mine.get(0).headers(), EventCodec.TYPE)).isEqualTo("athlete.enrolled");
    }
}
