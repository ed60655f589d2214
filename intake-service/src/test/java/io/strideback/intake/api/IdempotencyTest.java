package io.strideback.intake.api;

import io.quarkus.test.junit.QuarkusTest;
import io.strideback.events.EventCodec;
import io.strideback.intake.support.Bodies;
import io.strideback.intake.support.IntakeTest;
import io.strideback.intake.support.Json;
import io.strideback.intake.support.TestClinic;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static io.strideback.intake.support.ActivityTopic.header;
import static io.strideback.intake.support.Problems.UNPROCESSABLE;
import static io.strideback.intake.support.TestClinic.CLINICIAN;
import static io.strideback.intake.support.TestClinic.DEVICE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An {@code Idempotency-Key} makes a retry return the first answer and publish nothing new
 * (CONTRACT.md intake section), checked against what really reached the broker.
 */
@QuarkusTest
class IdempotencyTest extends IntakeTest {

    private static final String SESSIONS = "/api/v1/athletes/{athleteId}/sessions";

    @Test
    void the_same_key_and_body_twice_answers_the_same_event_and_publishes_it_once() {
        TestClinic clinic = new TestClinic();
        String athleteId = clinic.enrolAthlete();
        String key = UUID.randomUUID().toString();
        String run = Bodies.run().toString();

        String first = postSession(clinic, athleteId, key, run);
        String retry = postSession(clinic, athleteId, key, run);

        assertThat(retry).isEqualTo(first);
        topic().assertHoldsOnly(clinic.id(), clinic.reportSymptom(athleteId), "athlete.enrolled", "session.logged");
        assertThat(topic().recordsWithId(clinic.id(), first)).hasSize(1);
    }

    @Test
    void the_same_key_with_a_different_body_is_refused_and_publishes_nothing_new() {
        TestClinic clinic = new TestClinic();
        String athleteId = clinic.enrolAthlete();
        String key = UUID.randomUUID().toString();
        String first = postSession(clinic, athleteId, key, Bodies.run().toString());

        isProblem(clinic.as(DEVICE).header("Idempotency-Key", key)
                .body(Json.with(Bodies.run(), "run.distanceKm", 8.0).toString())
                .post(SESSIONS, athleteId).then(), 422, UNPROCESSABLE, "Idempotency-Key reused");

        topic().assertHoldsOnly(clinic.id(), clinic.reportSymptom(athleteId), "athlete.enrolled", "session.logged");
        assertThat(topic().recordsWithId(clinic.id(), first)).hasSize(1);
    }

    @Test
    void a_key_belongs_to_its_clinic_so_another_clinic_may_use_it_too() {
        String key = UUID.randomUUID().toString();
        TestClinic one = new TestClinic();
        String oneAthlete = one.enrolAthlete();
        TestClinic other = new TestClinic();
        String otherAthlete = other.enrolAthlete();

        String oneEvent = postSession(one, oneAthlete, key, Bodies.run().toString());
        // A different body under the same key: in another clinic this is no reuse.
        String otherEvent = postSession(other, otherAthlete, key,
                Json.with(Bodies.run(), "run.distanceKm", 10.0).toString());

        assertThat(otherEvent).isNotEqualTo(oneEvent);
        topic().assertHoldsOnly(one.id(), one.reportSymptom(oneAthlete), "athlete.enrolled", "session.logged");
        topic().assertHoldsOnly(other.id(), other.reportSymptom(otherAthlete), "athlete.enrolled", "session.logged");
        assertThat(header(topic().recordsWithId(one.id(), oneEvent).get(0), EventCodec.SUBJECT)).isEqualTo(oneAthlete);
        assertThat(header(topic().recordsWithId(other.id(), otherEvent).get(0), EventCodec.SUBJECT))
                .isEqualTo(otherAthlete);
    }

    @Test
    void an_enrolment_retried_with_the_same_key_answers_the_same_athlete_and_enrols_once() {
        TestClinic clinic = new TestClinic();
        String key = UUID.randomUUID().toString();
        String enrolment = Bodies.enrolment().toString();

        String first = clinic.as(CLINICIAN).header("Idempotency-Key", key).body(enrolment)
                .post("/api/v1/athletes").then().statusCode(201).extract().path("athleteId");
        String retry = clinic.as(CLINICIAN).header("Idempotency-Key", key).body(enrolment)
                .post("/api/v1/athletes").then().statusCode(201).extract().path("athleteId");

        assertThat(retry).isEqualTo(first);
        topic().assertHoldsOnly(clinic.id(), clinic.reportSymptom(first), "athlete.enrolled");
    }

    private static String postSession(TestClinic clinic, String athleteId, String key, String body) {
        return clinic.as(DEVICE).header("Idempotency-Key", key).body(body)
                .post(SESSIONS, athleteId).then().statusCode(202).extract().path("eventId");
    }
}
