package io.strideback.intake.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.strideback.events.EventCodec;
import io.strideback.intake.service.IntakeService;
import io.strideback.intake.support.Bodies;
import io.strideback.intake.support.IntakeTest;
import io.strideback.intake.support.Json;
import io.strideback.intake.support.TestClinic;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.strideback.intake.support.ActivityTopic.header;
import static io.strideback.intake.support.Problems.UNPROCESSABLE;
import static io.strideback.intake.support.TestClinic.DEVICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/**
 * Issue 12, "the wearable key identifies one thing": {@code source.provider} +
 * {@code source.externalId} identify one event of one kind for one athlete. Another kind or another
 * athlete under the same source id is another event (its own 202 and id, on the topic); the same
 * source id with another body is 422 and publishes nothing; a retry of the same body answers the
 * same event id and publishes nothing new. Single posts and batch items alike.
 */
@QuarkusTest
class WearableKeyTest extends IntakeTest {

    private static final String SESSIONS = "/api/v1/athletes/{athleteId}/sessions";
    private static final String SYMPTOMS = "/api/v1/athletes/{athleteId}/symptoms";
    private static final String BATCH = "/api/v1/events/batch";

    @Test
    void a_session_and_a_symptom_with_the_same_source_are_two_events() {
        TestClinic clinic = new TestClinic();
        String athleteId = clinic.enrolAthlete();
        String externalId = "r1-" + UUID.randomUUID();

        String session = post(clinic, SESSIONS, athleteId, Bodies.wearableRun("garmin", externalId));
        String symptom = post(clinic, SYMPTOMS, athleteId, symptomFrom("garmin", externalId));

        assertThat(symptom).isNotEqualTo(session);
        topic().assertHoldsOnly(clinic.id(), clinic.reportSymptom(athleteId), "athlete.enrolled",
                "session.logged", "symptom.reported");
        assertThat(header(topic().recordsWithId(clinic.id(), session).get(0), EventCodec.TYPE)).isEqualTo("session.logged");
        assertThat(header(topic().recordsWithId(clinic.id(), symptom).get(0), EventCodec.TYPE))
                .isEqualTo("symptom.reported");
    }

    @Test
    void two_athletes_uploads_with_the_same_external_id_are_two_events() {
        TestClinic clinic = new TestClinic();
        String one = clinic.enrolAthlete();
        String other = clinic.enrolAthlete();
        String externalId = "r1-" + UUID.randomUUID();
        ObjectNode run = Bodies.wearableRun("garmin", externalId);

        String first = post(clinic, SESSIONS, one, run);
        String second = post(clinic, SESSIONS, other, run);

        assertThat(second).isNotEqualTo(first);
        topic().assertHoldsOnly(clinic.id(), clinic.reportSymptom(one), "athlete.enrolled", "athlete.enrolled",
                "session.logged", "session.logged");
        assertThat(header(topic().recordsWithId(clinic.id(), first).get(0), EventCodec.SUBJECT)).isEqualTo(one);
        assertThat(header(topic().recordsWithId(clinic.id(), second).get(0), EventCodec.SUBJECT)).isEqualTo(other);
    }

    @Test
    void the_same_source_with_another_body_is_422_and_publishes_nothing_while_a_retry_gets_its_first_answer() {
        TestClinic clinic = new TestClinic();
        String athleteId = clinic.enrolAthlete();
        ObjectNode run = Bodies.wearableRun("garmin", "r1-" + UUID.randomUUID());
        String first = post(clinic, SESSIONS, athleteId, run);

        isProblem(clinic.as(DEVICE).body(Json.with(run, "run.distanceKm", 8.0).toString()).post(SESSIONS, athleteId)
                .then(), 422, UNPROCESSABLE, "Source id reused")
                .body("errors.field", contains("source.externalId"));
        String retry = post(clinic, SESSIONS, athleteId, run);

        assertThat(retry).isEqualTo(first);
        topic().assertHoldsOnly(clinic.id(), clinic.reportSymptom(athleteId), "athlete.enrolled", "session.logged");
        assertThat(topic().recordsWithId(clinic.id(), first)).hasSize(1);
    }

    @Test
    void in_a_batch_each_item_is_judged_the_same_way() {
        TestClinic clinic = new TestClinic();
        String one = clinic.enrolAthlete();
        String other = clinic.enrolAthlete();
        String externalId = "r1-" + UUID.randomUUID();
        ObjectNode run = Bodies.wearableRun("garmin", externalId);

        var answer = clinic.as(DEVICE).body(Json.batch(
                        Json.item(one, "session", run),
                        Json.item(one, "symptom", symptomFrom("garmin", externalId)),
                        Json.item(other, "session", run),
                        Json.item(one, "session", run),
                        Json.item(one, "session", Json.with(run, "rpe", 5))))
                .post(BATCH).then().statusCode(200)
                .body("results.status", contains(202, 202, 202, 202, 422))
                .body("results[4].eventId", nullValue())
                .body("results[4].problem.status", equalTo(422))
                .body("results[4].problem.type", equalTo(UNPROCESSABLE))
                .body("results[4].problem.errors.field", contains("source.externalId"));
        List<String> ids = answer.extract().path("results.eventId");
        assertThat(List.of(ids.get(0), ids.get(1), ids.get(2))).doesNotHaveDuplicates();
        assertThat(ids.get(3)).as("the same activity twice in one batch").isEqualTo(ids.get(0));

        // Synced again: the same bodies get their first answers, a recomputed one is refused.
        clinic.as(DEVICE).body(Json.batch(
                        Json.item(one, "session", run),
                        Json.item(other, "session", run),
                        Json.item(one, "session", Json.with(run, "durationMin", 35))))
                .post(BATCH).then().statusCode(200)
                .body("results.status", contains(202, 202, 422))
                .body("results.eventId", contains(equalTo(ids.get(0)), equalTo(ids.get(2)), nullValue()));

        topic().assertHoldsOnly(clinic.id(), clinic.reportSymptom(one), "athlete.enrolled", "athlete.enrolled",
                "session.logged", "symptom.reported", "session.logged");
    }

    @Test
    void an_event_accepted_before_keys_were_scoped_is_still_recognised_by_its_source_id() throws Exception {
        TestClinic clinic = new TestClinic();
        String athleteId = clinic.enrolAthlete();
        String externalId = "r1-" + UUID.randomUUID();
        ObjectNode run = Bodies.wearableRun("garmin", externalId);
        String earlierEvent = UUID.randomUUID().toString();
        // As the previous release stored it: "source:provider:externalId", the request hash naming kind and athlete.
        storeLegacyKey(clinic.id(), "source:garmin:" + externalId,
                IntakeService.requestHash("session.logged|" + athleteId, Json.parse(run.toString())), earlierEvent);

        // The same session synced again: its first answer, nothing published.
        assertThat(post(clinic, SESSIONS, athleteId, run)).isEqualTo(earlierEvent);
        // A symptom under the same source id was never that event: it is a new one.
        String symptom = post(clinic, SYMPTOMS, athleteId, symptomFrom("garmin", externalId));

        assertThat(symptom).isNotEqualTo(earlierEvent);
        topic().assertHoldsOnly(clinic.id(), clinic.reportSymptom(athleteId), "athlete.enrolled", "symptom.reported");
    }

    @Inject
    AgroalDataSource dataSource;

    private void storeLegacyKey(String clinicId, String key, String requestHash, String eventId) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO idempotency_key (clinic_id, idem_key, request_hash, status, response) VALUES (?, ?, ?, 202, ?)")) {
            ps.setString(1, clinicId);
            ps.setString(2, key);
            ps.setString(3, requestHash);
            ps.setString(4, eventId);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
    }

    private static String post(TestClinic clinic, String path, String athleteId, ObjectNode body) {
        return clinic.as(DEVICE).body(body.toString()).post(path, athleteId)
                .then().statusCode(202).extract().path("eventId");
    }

    private static ObjectNode symptomFrom(String provider, String externalId) {
        return Json.with(Bodies.symptom(), "source", Map.of("kind", "WEARABLE", "provider", provider,
                "externalId", externalId));
    }
}
