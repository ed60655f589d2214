package io.strideback.loadmonitor.streams;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.strideback.events.ActivityEvents.AthleteEnrolled;
import io.strideback.events.ActivityEvents.AthleteErased;
import io.strideback.events.ActivityEvents.Run;
import io.strideback.events.ActivityEvents.SessionLogged;
import io.strideback.events.ActivityEvents.SymptomReported;
import io.strideback.events.EventCodec;
import io.strideback.events.EventEnvelope;
import io.strideback.events.EventType;
import io.strideback.events.Topic;
import io.strideback.events.vocabulary.Diagnosis;
import io.strideback.events.vocabulary.PainLocation;
import io.strideback.events.vocabulary.RedFlag;
import io.strideback.events.vocabulary.RunIntensity;
import io.strideback.events.vocabulary.SessionType;
import io.strideback.events.vocabulary.Side;
import io.strideback.events.vocabulary.SymptomContext;
import io.strideback.loadmonitor.domain.ClinicRules;
import io.strideback.support.messaging.DeadLetterBounds;
import io.strideback.testing.KafkaResource;
import io.strideback.testing.LocalKeysResource;
import io.strideback.testing.Tokens;
import io.strideback.testing.TopicRecords;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

/**
 * Issue 12's promise on the Kafka Streams design, on a real broker: a record nobody can read is parked on the
 * DLQ with its reason and every other clinic's events flow on; settings written past the door's bounds are parked
 * on the settings topic's DLQ instead of stalling analysis; an erased athlete is gone from every read.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(LocalKeysResource.class)
class PoisonProofActivityTest {

    private static final Instant NOW = Instant.now().minus(Duration.ofHours(1));
    private static final String DLQ = Topic.ATHLETE_ACTIVITY.deadLetterTopicName();

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void an_unreadable_record_is_parked_with_its_reason_and_another_clinics_red_flag_is_still_analysed() {
        String clinicA = "clinic-" + UUID.randomUUID();
        String clinicB = "clinic-" + UUID.randomUUID();
        EventEnvelope<SymptomReported> symptom = symptom(clinicA, "runner-a", List.of());
        ProducerRecord<String, byte[]> poisoned = new ProducerRecord<>(Topic.ATHLETE_ACTIVITY.topicName(), null,
                symptom.key(), "{\"pain\": 6, \"note\": \"a\u0000".getBytes(StandardCharsets.UTF_8),
                EventCodec.toRecord(symptom).headers());
        TopicRecords.send(bootstrap, record(enrolment(clinicA, "runner-a")), poisoned);
        TopicRecords.send(bootstrap, record(enrolment(clinicB, "runner-b")),
                record(symptom(clinicB, "runner-b", List.of(RedFlag.SEVERE_TENDERNESS))));

        ConsumerRecord<String, byte[]> parked = TopicRecords.read(bootstrap, DLQ,
                r -> symptom.id().equals(EventCodec.header(r.headers(), EventCodec.ID)), found -> !found.isEmpty(),
                Duration.ofSeconds(90)).get(0);
        assertThat(EventCodec.header(parked.headers(), Topic.DLQ_REASON_HEADER)).contains("not valid JSON");

        await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                given().auth().oauth2(Tokens.issue(clinicB, "clinician"))
                        .get("/api/v1/athletes/runner-b/patterns").then().statusCode(200)
                        .body("patterns.kind", hasItem("RED_FLAG")));
        TopicRecords.read(bootstrap, Topic.PLAN_ADJUSTMENTS.topicName(),
                r -> clinicB.equals(EventCodec.header(r.headers(), EventCodec.CLINIC)), found -> !found.isEmpty(),
                Duration.ofSeconds(60));
        // the athlete of the parked record is still served, without it (awaited: the record is parked as it is
        // read, which can be a moment before the enrolment ahead of it is stored)
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().auth().oauth2(Tokens.issue(clinicA, "clinician"))
                .get("/api/v1/athletes/runner-a/timeline").then().statusCode(200).body("symptoms", hasSize(0)));
    }

    /**
     * Round 15: a record of 5 MB reaches the topic when its producer compresses it (the broker checks the compressed
     * batch), but no DLQ takes it whole. Its send to the DLQ failed, the stream thread died on it, was replaced and
     * died again: the task, and every athlete of its partition, stopped for good.
     */
    @Test
    void a_record_too_large_for_the_dlq_is_parked_without_its_value_and_its_partition_flows_on() {
        String clinic = "clinic-" + UUID.randomUUID();
        EventEnvelope<SymptomReported> symptom = symptom(clinic, "runner-big", List.of());
        byte[] huge = ("{\"pain\": 6, \"note\": \"" + "x".repeat(5_000_000) + "\u0000\"}").getBytes(StandardCharsets.UTF_8);
        ProducerRecord<String, byte[]> oversized = new ProducerRecord<>(Topic.ATHLETE_ACTIVITY.topicName(), null,
                symptom.key(), huge, EventCodec.toRecord(symptom).headers());
        String next = TopicRecords.athleteOnTheSamePartitions(bootstrap, clinic, "runner-big", "runner-next-",
                Topic.ATHLETE_ACTIVITY.topicName());
        TopicRecords.sendCompressed(bootstrap, oversized);
        TopicRecords.send(bootstrap, record(enrolment(clinic, next)), record(symptom(clinic, next, List.of(RedFlag.SWELLING))));

        ConsumerRecord<String, byte[]> parked = TopicRecords.read(bootstrap, DLQ,
                r -> symptom.id().equals(EventCodec.header(r.headers(), EventCodec.ID)), found -> !found.isEmpty(),
                Duration.ofSeconds(90)).get(0);
        assertThat(EventCodec.header(parked.headers(), Topic.DLQ_REASON_HEADER)).contains("not valid JSON");
        assertThat(parked.value()).isNull();
        assertThat(EventCodec.header(parked.headers(), DeadLetterBounds.VALUE_OMITTED_HEADER))
                .startsWith(huge.length + " bytes")
                .contains(Topic.ATHLETE_ACTIVITY.topicName() + "-" + EventCodec.header(parked.headers(),
                        DeadLetterBounds.SOURCE_PARTITION_HEADER) + "@" + EventCodec.header(parked.headers(),
                        DeadLetterBounds.SOURCE_OFFSET_HEADER));
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                given().auth().oauth2(Tokens.issue(clinic, "clinician"))
                        .get("/api/v1/athletes/" + next + "/patterns").then().statusCode(200)
                        .body("patterns.kind", hasItem("RED_FLAG")));
    }

    /** Round 19: parked on the settings topic's DLQ with the reason, once per partition written; nothing kept. */
    @Test
    void settings_written_out_of_bounds_past_the_door_are_parked_and_the_clinic_keeps_its_settings() throws Exception {
        String absurd = "clinic-" + UUID.randomUUID();
        ObjectNode rules = EventCodec.JSON.valueToTree(ClinicRules.defaults());
        rules.put("progressionWindow", "PT2562047788015215H");
        ObjectNode change = EventCodec.JSON.createObjectNode().put("clinicId", absurd)
                .put("revision", UUID.randomUUID().toString()).put("changedAt", NOW.toString());
        change.set("rules", rules);
        byte[] value = EventCodec.JSON.writeValueAsBytes(change);
        List<ProducerRecord<String, byte[]>> everyPartition = new ArrayList<>();
        try (var admin = org.apache.kafka.clients.admin.Admin.create(java.util.Map.of("bootstrap.servers", bootstrap))) {
            int partitions = admin.describeTopics(List.of(MonitorTopology.SETTINGS_TOPIC)).allTopicNames().get()
                    .get(MonitorTopology.SETTINGS_TOPIC).partitions().size();
            for (int p = 0; p < partitions; p++) {
                everyPartition.add(new ProducerRecord<>(MonitorTopology.SETTINGS_TOPIC, p, absurd, value));
            }
        }
        @SuppressWarnings("unchecked")
        ProducerRecord<String, byte[]>[] settings = everyPartition.toArray(ProducerRecord[]::new);
        TopicRecords.send(bootstrap, settings);
        TopicRecords.send(bootstrap, record(enrolment(absurd, "runner-f")),
                record(symptom(absurd, "runner-f", List.of(RedFlag.SWELLING))),
                record(session(absurd, "runner-f", NOW.minus(Duration.ofDays(1)))));

        await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                given().auth().oauth2(Tokens.issue(absurd, "clinician"))
                        .get("/api/v1/athletes/runner-f/patterns").then().statusCode(200)
                        .body("patterns.kind", hasItem("RED_FLAG")));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                given().auth().oauth2(Tokens.issue(absurd, "clinician"))
                        .get("/api/v1/athletes/runner-f/timeline").then()
                        .statusCode(200).body("sessions", hasSize(1)).body("symptoms", hasSize(1)));
        given().auth().oauth2(Tokens.issue(absurd, "clinician")).get("/api/v1/clinic/rules").then()
                .statusCode(200).body("progressionWindow", equalTo(
                        (float) ClinicRules.defaults().progressionWindow().toSeconds()));
        List<ConsumerRecord<String, byte[]>> parked = TopicRecords.read(bootstrap, MonitorTopology.SETTINGS_DEAD_LETTERS,
                r -> absurd.equals(r.key()), found -> found.size() >= everyPartition.size(), Duration.ofSeconds(60));
        assertThat(parked).hasSize(everyPartition.size()).allSatisfy(r ->
                assertThat(EventCodec.header(r.headers(), Topic.DLQ_REASON_HEADER)).contains("progressionWindow"));
    }

    @Test
    void an_erased_athlete_is_404_on_every_read() {
        String clinic = "clinic-" + UUID.randomUUID();
        TopicRecords.send(bootstrap, record(enrolment(clinic, "runner-e")),
                record(symptom(clinic, "runner-e", List.of(RedFlag.SWELLING))));
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                given().auth().oauth2(Tokens.issue(clinic, "clinician"))
                        .get("/api/v1/athletes/runner-e/flare-ups").then().statusCode(200));
        // another clinic never sees it
        given().auth().oauth2(Tokens.issue("clinic-" + UUID.randomUUID(), "clinician"))
                .get("/api/v1/athletes/runner-e/flare-ups").then().statusCode(404);

        TopicRecords.send(bootstrap, record(EventEnvelope.of(EventType.ATHLETE_ERASED, "/test", NOW, clinic,
                "runner-e", new AthleteErased("runner-e", clinic, NOW))));

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (String part : List.of("flare-ups", "patterns", "load", "timeline", "adjustments")) {
                given().auth().oauth2(Tokens.issue(clinic, "clinician"))
                        .get("/api/v1/athletes/runner-e/" + part).then().statusCode(404);
            }
        });
        given().auth().oauth2(Tokens.issue(clinic, "clinician")).get("/api/v1/athletes").then().statusCode(200)
                .body("athletes", hasSize(0));
    }

    private static ProducerRecord<String, byte[]> record(EventEnvelope<?> event) {
        return EventCodec.toRecord(event);
    }

    private static EventEnvelope<AthleteEnrolled> enrolment(String clinic, String athlete) {
        return EventEnvelope.of(EventType.ATHLETE_ENROLLED, "/test", NOW.minus(Duration.ofDays(20)), clinic, athlete,
                new AthleteEnrolled(athlete, clinic, "Runner", Diagnosis.NEURAL_TENSION, Side.RIGHT,
                        LocalDate.now().minusDays(30), null, NOW.minus(Duration.ofDays(20))));
    }

    private static EventEnvelope<SessionLogged> session(String clinic, String athlete, Instant at) {
        return EventEnvelope.of(EventType.SESSION_LOGGED, "/test", at, clinic, athlete,
                new SessionLogged(athlete, clinic, UUID.randomUUID().toString(), SessionType.RUN, at, 30, 4,
                        new Run(4.0, RunIntensity.EASY, null), null, null));
    }

    private static EventEnvelope<SymptomReported> symptom(String clinic, String athlete, List<RedFlag> redFlags) {
        return EventEnvelope.of(EventType.SYMPTOM_REPORTED, "/test", NOW, clinic, athlete,
                new SymptomReported(athlete, clinic, NOW, 6, Side.RIGHT, PainLocation.MID_CALF, List.of(),
                        SymptomContext.AT_REST, redFlags, null));
    }
}
