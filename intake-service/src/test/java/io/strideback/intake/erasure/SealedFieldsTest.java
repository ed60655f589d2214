package io.strideback.intake.erasure;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.strideback.events.EventCodec;
import io.strideback.events.SealedText;
import io.strideback.intake.store.PersonalDataKeys;
import io.strideback.intake.support.ActivityTopic;
import io.strideback.intake.support.Bodies;
import io.strideback.intake.support.IntakeTest;
import io.strideback.intake.support.Json;
import io.strideback.intake.support.TestClinic;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16 item 3: the personal fields of what intake publishes (display name, notes, a wearable's source id) are
 * on the topic only sealed with the athlete's data key; the clinical numbers stay plain; a re-post of the same
 * body under the same key still answers the first ids.
 */
@QuarkusTest
class SealedFieldsTest extends IntakeTest {

    @Inject
    PersonalDataKeys keys;

    @Test
    void names_notes_and_source_ids_are_on_the_topic_only_sealed_and_open_with_the_athletes_key() {
        TestClinic clinic = new TestClinic();
        String name = "Runner " + UUID.randomUUID();
        String athleteId = clinic.as(TestClinic.CLINICIAN).body(Json.with(Bodies.enrolment(), "displayName", name).toString())
                .post("/api/v1/athletes").then().statusCode(201).extract().path("athleteId");
        String note = "sore after the hills " + UUID.randomUUID();
        String symptom = post(clinic, athleteId, "symptoms", Json.with(Bodies.symptom(), "note", note).toString());
        String assessmentNote = "hops fine " + UUID.randomUUID();
        String assessment = post(clinic, athleteId, "assessments",
                Json.with(Bodies.assessment(), "note", assessmentNote).toString());
        String externalId = "watch-" + UUID.randomUUID();
        String run = post(clinic, athleteId, "sessions", Bodies.wearableRun("garmin", externalId).toString());

        byte[] key = keys.forOpening(clinic.id(), List.of(athleteId)).get(athleteId);
        assertThat(key).as("the athlete's data key").hasSize(32);
        topic().awaitRecord(clinic.id(), run); // the last of the athlete's records: one partition, in order

        JsonNode enrolled = data(topic().recordsOf(clinic.id()).stream()
                .filter(r -> "athlete.enrolled".equals(ActivityTopic.header(r, EventCodec.TYPE))).findFirst().orElseThrow());
        assertSealed(enrolled.path("displayName").asText(), name, key, athleteId);
        assertThat(enrolled.path("diagnosis").asText()).as("clinical values stay plain").isEqualTo("CALF_STRAIN_SOLEUS");

        JsonNode reported = data(topic().awaitRecord(clinic.id(), symptom));
        assertSealed(reported.path("note").asText(), note, key, athleteId);
        assertThat(reported.path("pain").asInt()).isEqualTo(Bodies.symptom().path("pain").asInt());

        assertSealed(data(topic().awaitRecord(clinic.id(), assessment)).path("note").asText(), assessmentNote, key, athleteId);

        JsonNode session = data(topic().awaitRecord(clinic.id(), run));
        assertSealed(session.path("source").path("externalId").asText(), externalId, key, athleteId);
        assertThat(session.path("source").path("provider").asText()).isEqualTo("garmin");
        assertThat(session.path("run").path("distanceKm").isNumber()).isTrue();

        for (ConsumerRecord<String, byte[]> r : topic().recordsOf(clinic.id())) {
            assertThat(new String(r.value(), StandardCharsets.UTF_8)).as("a record as it lies on the topic")
                    .doesNotContain(name, note, assessmentNote, externalId);
        }
    }

    @Test
    void a_repost_of_the_same_body_and_key_answers_the_first_ids_though_every_seal_differs() {
        TestClinic clinic = new TestClinic();
        String athleteId = clinic.enrolAthlete();
        String idempotencyKey = UUID.randomUUID().toString();
        String body = Json.with(Bodies.symptom(), "note", "the same note").toString();
        String first = clinic.as(TestClinic.CLINICIAN).header("Idempotency-Key", idempotencyKey).body(body)
                .post("/api/v1/athletes/{a}/symptoms", athleteId).then().statusCode(202).extract().path("eventId");
        String again = clinic.as(TestClinic.CLINICIAN).header("Idempotency-Key", idempotencyKey).body(body)
                .post("/api/v1/athletes/{a}/symptoms", athleteId).then().statusCode(202).extract().path("eventId");
        assertThat(again).isEqualTo(first);

        String externalId = "watch-" + UUID.randomUUID();
        // One body posted twice: built twice, its startedAt (now, to the second) could differ and be a 422.
        String wearableRun = Bodies.wearableRun("garmin", externalId).toString();
        String run = post(clinic, athleteId, "sessions", wearableRun);
        assertThat(post(clinic, athleteId, "sessions", wearableRun))
                .as("a wearable's re-post under its source id").isEqualTo(run);

        String enrolmentKey = UUID.randomUUID().toString();
        String enrolment = Bodies.enrolment().toString();
        String enrolledOnce = clinic.as(TestClinic.CLINICIAN).header("Idempotency-Key", enrolmentKey).body(enrolment)
                .post("/api/v1/athletes").then().statusCode(201).extract().path("athleteId");
        assertThat((String) clinic.as(TestClinic.CLINICIAN).header("Idempotency-Key", enrolmentKey).body(enrolment)
                .post("/api/v1/athletes").then().statusCode(201).extract().path("athleteId")).isEqualTo(enrolledOnce);
    }

    static void assertSealed(String onTopic, String plain, byte[] key, String athleteId) {
        assertThat(SealedText.isSealed(onTopic)).as("sealed on the topic: %s", onTopic).isTrue();
        assertThat(onTopic).doesNotContain(plain);
        assertThat(SealedText.open(onTopic, key, athleteId)).contains(plain);
    }

    static JsonNode data(ConsumerRecord<String, byte[]> record) {
        try {
            return EventCodec.JSON.readTree(record.value());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String post(TestClinic clinic, String athleteId, String what, String body) {
        return clinic.as(TestClinic.CLINICIAN).body(body).post("/api/v1/athletes/{a}/" + what, athleteId)
                .then().statusCode(202).extract().path("eventId");
    }
}
