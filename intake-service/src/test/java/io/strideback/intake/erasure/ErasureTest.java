package io.strideback.intake.erasure;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.strideback.events.EventCodec;
import io.strideback.intake.support.ActivityTopic;
import io.strideback.intake.support.Bodies;
import io.strideback.intake.support.IntakeTest;
import io.strideback.intake.support.Json;
import io.strideback.intake.support.TestClinic;
import io.strideback.testing.Tokens;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * Issue 16 item 3, CONTRACT v2 {@code DELETE /api/v1/athletes/{athleteId}}: only a clinic-admin of the athlete's
 * clinic erases; the key is destroyed, {@code athlete.erased} (who, when) is on the topic, every later post for the
 * athlete answers 410 and publishes nothing, and what was sealed before no longer opens.
 */
@QuarkusTest
class ErasureTest extends IntakeTest {

    static final String CLINIC_ADMIN = "clinic-admin";
    static final String ATHLETE = "/api/v1/athletes/{athleteId}";

    @Test
    void a_clinician_may_not_erase_another_clinic_never_sees_the_athlete_and_the_clinic_admin_erases() {
        TestClinic clinic = new TestClinic();
        String athleteId = clinic.enrolAthlete();
        TestClinic other = new TestClinic();

        isProblem(clinic.as(TestClinic.CLINICIAN).delete(ATHLETE, athleteId).then(), 403,
                "https://strideback.io/problems/forbidden", "Forbidden");
        isProblem(given().auth().oauth2(Tokens.issueAthlete(clinic.id(), athleteId)).delete(ATHLETE, athleteId).then(),
                403, "https://strideback.io/problems/forbidden", "Forbidden");
        isProblem(other.as(CLINIC_ADMIN).delete(ATHLETE, athleteId).then(), 404,
                "https://strideback.io/problems/not-found", "Not found");
        isProblem(clinic.as(CLINIC_ADMIN).delete(ATHLETE, "nobody-" + UUID.randomUUID()).then(), 404,
                "https://strideback.io/problems/not-found", "Not found");
        // Still there: the refused erasures changed nothing.
        String symptom = clinic.reportSymptom(athleteId);

        String erasedAt = clinic.as(CLINIC_ADMIN).delete(ATHLETE, athleteId).then().statusCode(202)
                .contentType(ContentType.JSON).body("athleteId", equalTo(athleteId)).extract().path("erasedAt");

        ConsumerRecord<String, byte[]> erased = awaitErased(clinic.id(), athleteId);
        assertThat(erased.key()).as("keyed like the athlete's other events")
                .isEqualTo(topic().awaitRecord(clinic.id(), symptom).key());
        assertThat(ActivityTopic.header(erased, EventCodec.SUBJECT)).isEqualTo(athleteId);
        JsonNode data = SealedFieldsTest.data(erased);
        assertThat(data.path("athleteId").asText()).isEqualTo(athleteId);
        assertThat(data.path("clinicId").asText()).isEqualTo(clinic.id());
        assertThat(data.path("erasedBy").asText()).as("the clinic-admin's subject, for the audit log")
                .isEqualTo(Tokens.claim(clinic.token(CLINIC_ADMIN), "sub"));
        assertThat(Instant.parse(data.path("erasedAt").asText())).isEqualTo(Instant.parse(erasedAt));

        // Again: the same answer, and no second event.
        clinic.as(CLINIC_ADMIN).delete(ATHLETE, athleteId).then().statusCode(202).body("erasedAt", equalTo(erasedAt));
        String marker = clinic.reportSymptom(clinic.enrolAthlete());
        topic().awaitRecord(clinic.id(), marker);
        topic().readToEnd();
        assertThat(topic().typesOf(clinic.id()).stream().filter("athlete.erased"::equals)).hasSize(1);
    }

    @Test
    void after_erasure_every_post_for_the_athlete_is_410_publishes_nothing_and_nothing_sealed_opens() {
        TestClinic clinic = new TestClinic();
        String name = "Erased Runner " + UUID.randomUUID();
        String athleteId = clinic.as(TestClinic.CLINICIAN).body(Json.with(Bodies.enrolment(), "displayName", name).toString())
                .post("/api/v1/athletes").then().statusCode(201).extract().path("athleteId");
        String note = "private note " + UUID.randomUUID();
        String symptom = clinic.as(TestClinic.CLINICIAN).body(Json.with(Bodies.symptom(), "note", note).toString())
                .post(ATHLETE + "/symptoms", athleteId).then().statusCode(202).extract().path("eventId");
        String sealedNote = SealedFieldsTest.data(topic().awaitRecord(clinic.id(), symptom)).path("note").asText();
        assertThat(opened(clinic.id(), athleteId, sealedNote)).isEqualTo(note);

        clinic.as(CLINIC_ADMIN).delete(ATHLETE, athleteId).then().statusCode(202);

        assertThat(opened(clinic.id(), athleteId, sealedNote)).as("the key is destroyed").isNull();
        String gone = io.strideback.intake.support.Problems.GONE;
        isProblem(clinic.as(TestClinic.CLINICIAN).body(Bodies.symptom().toString()).post(ATHLETE + "/symptoms", athleteId)
                .then(), 410, gone, "Gone");
        isProblem(clinic.as(TestClinic.DEVICE).body(Bodies.run().toString()).post(ATHLETE + "/sessions", athleteId)
                .then(), 410, gone, "Gone");
        isProblem(given().auth().oauth2(Tokens.issueAthlete(clinic.id(), athleteId)).contentType(ContentType.JSON)
                .body(Bodies.assessment().toString()).post(ATHLETE + "/assessments", athleteId).then(), 410, gone, "Gone");
        clinic.as(TestClinic.DEVICE).body(Json.batch(Json.item(athleteId, "symptom", Bodies.symptom())))
                .post("/api/v1/events/batch").then().statusCode(200).body("results[0].status", equalTo(410));
        isProblem(clinic.as(TestClinic.CLINICIAN).body(Json.with(Bodies.enrolment(), "athleteId", athleteId).toString())
                .post("/api/v1/athletes").then(), 410, gone, "Gone");

        String marker = clinic.reportSymptom(clinic.enrolAthlete());
        topic().awaitRecord(clinic.id(), marker);
        topic().readToEnd();
        List<String> types = topic().recordsOf(clinic.id()).stream()
                .filter(r -> athleteId.equals(ActivityTopic.header(r, EventCodec.SUBJECT)))
                .map(r -> ActivityTopic.header(r, EventCodec.TYPE)).toList();
        assertThat(types).as("the erased athlete's records").containsExactly("athlete.enrolled", "symptom.reported",
                "athlete.erased");
    }

    private ConsumerRecord<String, byte[]> awaitErased(String clinicId, String athleteId) {
        org.awaitility.Awaitility.await().atMost(ActivityTopic.PATIENCE).pollInSameThread()
                .until(() -> topic().typesOf(clinicId).contains("athlete.erased"));
        return topic().recordsOf(clinicId).stream()
                .filter(r -> "athlete.erased".equals(ActivityTopic.header(r, EventCodec.TYPE))
                        && athleteId.equals(ActivityTopic.header(r, EventCodec.SUBJECT)))
                .findFirst().orElseThrow();
    }
}
