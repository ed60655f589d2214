package io.strideback.intake.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.strideback.intake.support.Bodies;
import io.strideback.intake.support.IntakeTest;
import io.strideback.intake.support.Json;
import io.strideback.intake.support.TestClinic;
import org.junit.jupiter.api.Test;

import static io.strideback.intake.support.Problems.INVALID_REQUEST;
import static io.strideback.intake.support.Problems.VALIDATION;
import static io.strideback.intake.support.TestClinic.CLINICIAN;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;

/** A client learns everything it has to fix from one answer (CONTRACT.md "Errors"). */
@QuarkusTest
class EveryBadFieldAtOnceTest extends IntakeTest {

    @Test
    void a_session_with_three_bad_fields_gets_three_errors() {
        TestClinic clinic = new TestClinic();
        String athleteId = clinic.enrolAthlete();
        ObjectNode session = Json.with(Json.with(Json.with(Bodies.run(),
                "durationMin", 0), "rpe", 11), "run.cadenceSpm", 99);

        isProblem(clinic.as(CLINICIAN).body(session.toString())
                .post("/api/v1/athletes/{athleteId}/sessions", athleteId).then(), 400, VALIDATION, INVALID_REQUEST)
                .body("detail", containsString("3"))
                .body("errors", hasSize(3))
                .body("errors.field", containsInAnyOrder("durationMin", "rpe", "run.cadenceSpm"));

        topic().assertHoldsOnly(clinic.id(), clinic.reportSymptom(athleteId), "athlete.enrolled");
    }

    @Test
    void a_symptom_with_three_bad_fields_gets_three_errors() {
        TestClinic clinic = new TestClinic();
        String athleteId = clinic.enrolAthlete();
        ObjectNode symptom = Json.with(Json.with(Json.without(Bodies.symptom(),
                "context"), "pain", 12), "location", "KNEE");

        isProblem(clinic.as(CLINICIAN).body(symptom.toString())
                .post("/api/v1/athletes/{athleteId}/symptoms", athleteId).then(), 400, VALIDATION, INVALID_REQUEST)
                .body("errors", hasSize(3))
                .body("errors.field", containsInAnyOrder("context", "pain", "location"));

        topic().assertHoldsOnly(clinic.id(), clinic.reportSymptom(athleteId), "athlete.enrolled");
    }

    @Test
    void an_enrolment_with_three_bad_fields_gets_three_errors_and_enrols_nobody() {
        TestClinic clinic = new TestClinic();
        String athleteId = clinic.enrolAthlete();
        ObjectNode enrolment = Json.with(Json.with(Json.without(Bodies.enrolment(),
                "displayName"), "side", "BOTH"), "injuryDate", "yesterday");

        isProblem(clinic.as(CLINICIAN).body(enrolment.toString()).post("/api/v1/athletes").then(),
                400, VALIDATION, INVALID_REQUEST)
                .body("errors", hasSize(3))
                .body("errors.field", containsInAnyOrder("displayName", "side", "injuryDate"));

        topic().assertHoldsOnly(clinic.id(), clinic.reportSymptom(athleteId), "athlete.enrolled");
    }
}
