package io.strideback.plan.personal;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.strideback.events.vocabulary.AdjustmentType;
import io.strideback.events.vocabulary.Diagnosis;
import io.strideback.events.vocabulary.PatternKind;
import io.strideback.events.vocabulary.Phase;
import io.strideback.events.vocabulary.Side;
import io.strideback.plan.domain.Adjustment;
import io.strideback.plan.domain.ApplyAdjustment;
import io.strideback.plan.domain.ChangePhase;
import io.strideback.plan.domain.CreatePlan;
import io.strideback.plan.service.PlanService;
import io.strideback.testing.KafkaResource;
import io.strideback.testing.LocalKeysResource;
import io.strideback.testing.PostgresResource;
import io.strideback.testing.Tokens;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

/**
 * Issue 16 item 3: a clinician's own words about an athlete (a phase change's, a rejection's, a clearance's reason)
 * are sealed by intake (here {@link StandInIntake}) BEFORE the command writes them: the plan's events, views,
 * approval queue, outbox and audit log hold them only sealed, and every answer that shows a reason (the plan, its
 * history, the queue, the decision, the FHIR export) opens them for the caller. Intake failing is a 503 with
 * Retry-After and nothing written; an athlete intake erased is 404. A plain reason stored before sealing reads as it is.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "plan"))
@QuarkusTestResource(LocalKeysResource.class)
@QuarkusTestResource(StandInIntake.class)
class ClinicianWordsSealedTest {

    private final String clinic = "words-clinic-" + UUID.randomUUID();
    private final String tag = UUID.randomUUID().toString().substring(0, 8);

    @Inject
    PlanService plans;
    @Inject
    AgroalDataSource dataSource;

    @Test
    void a_phase_changes_reason_is_stored_sealed_and_shown_opened() throws Exception {
        String athleteId = enrolled("athlete-");
        String words = "Sam says the pain came back after his daughter's wedding " + tag;

        given().auth().oauth2(clinician()).contentType(ContentType.JSON)
                .body(Map.of("phase", "RESTORE_CAPACITY", "reason", words))
                .post("/api/v1/athletes/" + athleteId + "/plan/phase").then().statusCode(200)
                .body("phase", equalTo("RESTORE_CAPACITY"));

        assertThat(storedText()).as("what plan-service stored for the clinic").isNotEmpty()
                .noneMatch(t -> t.contains(tag))
                .anyMatch(t -> t.contains("sealed:v1:"));
        List<String> reasons = given().auth().oauth2(clinician()).get("/api/v1/athletes/" + athleteId + "/plan/history")
                .then().statusCode(200).extract().jsonPath().getList("events.reason");
        assertThat(reasons).as("the history, opened").anyMatch(r -> r.startsWith("Moved from PROTECT to RESTORE_CAPACITY by ")
                && r.contains(": sam says the pain came back after his daughter's wedding " + tag + "; now "));
        assertThat(reasons).noneMatch(r -> r.contains("sealed:v1:"));
        // The audit log says who moved the plan, never the words.
        String audit = given().auth().oauth2(Tokens.issue(clinic, "clinic-admin")).get("/api/v1/audit")
                .then().statusCode(200).body("entries.what", hasItem("plan.phase-changed")).extract().asString();
        assertThat(audit).doesNotContain(tag).doesNotContain("sealed:v1:");
    }

    @Test
    void a_rejections_and_a_clearances_reasons_are_stored_sealed_and_shown_opened() throws Exception {
        given().auth().oauth2(Tokens.issue(clinic, "clinic-admin")).contentType(ContentType.JSON)
                .body(Map.of("policy", "REVIEW")).put("/api/v1/clinic/policy").then().statusCode(200);
        String athleteId = enrolled("athlete-");
        String adjustmentId = "adj-" + UUID.randomUUID();
        plans.execute(clinic, athleteId, (plan, policy) -> new ApplyAdjustment(new Adjustment(adjustmentId,
                AdjustmentType.CAP_RUN_DISTANCE, PatternKind.RUNNING_TRIGGERED_DISTANCE, "distance",
                Map.of("maxDistanceKm", 2.0), List.of("evt-" + adjustmentId), "Two flare-ups followed longer runs."),
                policy, Instant.now()), null, null);
        String rejection = "Not while he is nursing his mother in Leeds " + tag;
        given().auth().oauth2(clinician()).contentType(ContentType.JSON).body(Map.of("reason", rejection))
                .post("/api/v1/adjustments/" + adjustmentId + "/reject").then().statusCode(200)
                .body("adjustment.status", equalTo("REJECTED"))
                .body("adjustment.reason", org.hamcrest.Matchers.containsString("not while he is nursing his mother in Leeds " + tag));
        given().auth().oauth2(clinician()).get("/api/v1/adjustments?status=REJECTED").then().statusCode(200)
                .body("adjustments.find { it.adjustment.adjustmentId == '" + adjustmentId + "' }.adjustment.reason",
                        org.hamcrest.Matchers.containsString("nursing his mother in Leeds " + tag));
        given().auth().oauth2(clinician()).get("/api/v1/athletes/" + athleteId + "/plan").then().statusCode(200)
                .body("adjustments.find { it.adjustmentId == '" + adjustmentId + "' }.reason",
                        org.hamcrest.Matchers.containsString("nursing his mother in Leeds " + tag));

        String referral = "adj-red-" + UUID.randomUUID();
        plans.execute(clinic, athleteId, (plan, policy) -> new ApplyAdjustment(new Adjustment(referral,
                AdjustmentType.URGENT_REFERRAL, PatternKind.RED_FLAG, "red-flag", Map.of("redFlags", List.of("SWELLING")),
                List.of("evt-" + referral), "Calf swelling was reported."), policy, Instant.now()), null, null);
        String clearance = "Dr Okafor at St Mary's ruled out a DVT " + tag;
        given().auth().oauth2(clinician()).contentType(ContentType.JSON).body(Map.of("reason", clearance))
                .post("/api/v1/athletes/" + athleteId + "/plan/referral/clear").then().statusCode(200)
                .body("flags.urgentReferral", equalTo(false));
        String fhir = given().auth().oauth2(clinician()).get("/api/v1/athletes/" + athleteId + "/fhir")
                .then().statusCode(200).extract().asString();
        assertThat(fhir).as("the FHIR export, opened").contains("dr Okafor at St Mary's ruled out a DVT " + tag)
                .contains("nursing his mother in Leeds " + tag).doesNotContain("sealed:v1:");

        assertThat(storedText()).as("what plan-service stored for the clinic").isNotEmpty()
                .noneMatch(t -> t.contains(tag));
        assertThat(given().auth().oauth2(Tokens.issue(clinic, "clinic-admin")).get("/api/v1/audit").then()
                .statusCode(200).body("entries.what", hasItem("adjustment.rejected")).extract().asString())
                .doesNotContain(tag);
    }

    @Test
    void intake_failing_is_503_with_retry_after_and_nothing_is_written() throws Exception {
        String athleteId = enrolled(StandInIntake.DOWN);
        int before = events(athleteId);
        given().auth().oauth2(clinician()).contentType(ContentType.JSON)
                .body(Map.of("phase", "RESTORE_CAPACITY", "reason", "Sam is moving house " + tag))
                .post("/api/v1/athletes/" + athleteId + "/plan/phase").then().statusCode(503)
                .contentType("application/problem+json").header("Retry-After", equalTo("5"))
                .body("status", equalTo(503));
        given().auth().oauth2(clinician()).contentType(ContentType.JSON).body(Map.of("reason", "Sam is fine " + tag))
                .post("/api/v1/athletes/" + athleteId + "/plan/referral/clear").then().statusCode(503)
                .header("Retry-After", equalTo("5"));
        assertThat(events(athleteId)).as("no event was appended").isEqualTo(before);
        assertThat(storedText()).as("nothing holds the words").noneMatch(t -> t.contains(tag));
        given().auth().oauth2(clinician()).get("/api/v1/athletes/" + athleteId + "/plan/history").then().statusCode(200)
                .body("events.type", not(hasItem("plan.phase-changed")));
        // Without words there is no phase change (CONTRACT v2, review r9): refused before intake is asked.
        given().auth().oauth2(clinician()).contentType(ContentType.JSON).body(Map.of("phase", "RESTORE_CAPACITY"))
                .post("/api/v1/athletes/" + athleteId + "/plan/phase").then().statusCode(400)
                .body("errors.field", hasItem("reason"));
    }

    @Test
    void an_athlete_intake_erased_or_does_not_know_is_404() {
        for (String prefix : List.of(StandInIntake.ERASED, StandInIntake.UNKNOWN)) {
            String athleteId = enrolled(prefix);
            given().auth().oauth2(clinician()).contentType(ContentType.JSON)
                    .body(Map.of("phase", "RESTORE_CAPACITY", "reason", "progressing well"))
                    .post("/api/v1/athletes/" + athleteId + "/plan/phase").then().statusCode(404);
        }
    }

    @Test
    void a_plain_reason_stored_before_sealing_reads_as_it_is() {
        String athleteId = enrolled("athlete-");
        plans.execute(clinic, athleteId, (plan, policy) -> new ChangePhase(Phase.RESTORE_CAPACITY, "dr-before",
                "plain words from before sealing " + tag, Instant.now(), false), null, null);
        List<String> reasons = given().auth().oauth2(clinician()).get("/api/v1/athletes/" + athleteId + "/plan/history")
                .then().statusCode(200).extract().jsonPath().getList("events.reason");
        assertThat(reasons).anyMatch(r -> r.contains("plain words from before sealing " + tag));
    }

    private String clinician() {
        return Tokens.issue(clinic, "clinician");
    }

    private String enrolled(String prefix) {
        String athleteId = prefix + UUID.randomUUID();
        plans.execute(clinic, athleteId, (plan, policy) -> new CreatePlan(athleteId, clinic, Diagnosis.CALF_STRAIN_SOLEUS,
                Side.LEFT, LocalDate.parse("2026-03-20"), 3.0, Instant.now()), null, null);
        return athleteId;
    }

    private int events(String athleteId) throws Exception {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM plan_event WHERE clinic_id = ? AND athlete_id = ?")) {
            ps.setString(1, clinic);
            ps.setString(2, athleteId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Every row plan-service holds for the clinic where a reason can be: events, views, queue, outbox, audit log. */
    private List<String> storedText() throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            for (String sql : List.of(
                    "SELECT payload::text FROM plan_event WHERE clinic_id = ?",
                    "SELECT view::text FROM plan_view WHERE clinic_id = ?",
                    "SELECT row_to_json(a)::text FROM plan_adjustment_view a WHERE clinic_id = ?",
                    "SELECT convert_from(payload, 'UTF8') FROM outbox WHERE ce_clinic = ?",
                    "SELECT row_to_json(a)::text FROM audit_entry a WHERE clinic_id = ?")) {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setString(1, clinic);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.add(rs.getString(1));
                        }
                    }
                }
            }
        }
        return out;
    }
}
