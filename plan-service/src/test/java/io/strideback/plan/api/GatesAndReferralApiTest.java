package io.strideback.plan.api;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.strideback.events.vocabulary.AdjustmentType;
import io.strideback.events.vocabulary.Diagnosis;
import io.strideback.events.vocabulary.PatternKind;
import io.strideback.events.vocabulary.Side;
import io.strideback.plan.domain.Adjustment;
import io.strideback.plan.domain.ApplyAdjustment;
import io.strideback.plan.domain.CreatePlan;
import io.strideback.plan.service.PlanService;
import io.strideback.plan.service.ProtectExitClock;
import io.strideback.testing.KafkaResource;
import io.strideback.testing.LocalKeysResource;
import io.strideback.testing.PostgresResource;
import io.strideback.testing.Tokens;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

/**
 * CONTRACT v2 on a real PostgreSQL: {@code POST /plan/phase} answers 409 problem+json with
 * {@code unmetCriteria} for an unmet gate unless {@code overrideGates} comes with a reason (then the
 * history records both), and {@code POST /plan/referral/clear} is the only way an urgent referral ends.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "plan"))
@QuarkusTestResource(LocalKeysResource.class)
class GatesAndReferralApiTest {

    private static final String CLINIC = "gates-test-clinic";

    @Inject
    PlanService plans;
    @Inject
    ProtectExitClock clock;

    private static String clinician() {
        return Tokens.issue(CLINIC, "clinician");
    }

    /** A plan made the way the activity consumer makes it, without going through a broker. */
    private String enrolled() {
        return enrolledAt(Instant.now());
    }

    private String enrolledAt(Instant at) {
        String athleteId = "athlete-" + UUID.randomUUID();
        plans.execute(CLINIC, athleteId, (plan, policy) -> new CreatePlan(athleteId, CLINIC, Diagnosis.CALF_STRAIN_SOLEUS,
                Side.LEFT, LocalDate.parse("2026-03-20"), 3.0, at), null, null);
        return athleteId;
    }

    private void redFlag(String athleteId, String adjustmentId) {
        Adjustment referral = new Adjustment(adjustmentId, AdjustmentType.URGENT_REFERRAL, PatternKind.RED_FLAG, "red-flag",
                Map.of("redFlags", List.of("SWELLING")), List.of("evt-" + adjustmentId), "Calf swelling was reported.");
        plans.execute(CLINIC, athleteId, (plan, policy) -> new ApplyAdjustment(referral, policy, Instant.now()), null, null);
    }

    @Test
    void protect_to_return_to_sport_with_no_assessment_is_refused_with_the_unmet_criteria() {
        String athleteId = enrolled();
        given().auth().oauth2(clinician()).contentType(ContentType.JSON)
                .body(Map.of("phase", "RETURN_TO_SPORT", "reason", "looks fine"))
                .post("/api/v1/athletes/" + athleteId + "/plan/phase")
                .then().statusCode(409).contentType("application/problem+json")
                .body("status", equalTo(409))
                .body("type", equalTo(GatesNotMetProblem.TYPE))
                .body("unmetCriteria", hasSize(9))
                .body("unmetCriteria.gate", hasItem("RETURN_TO_RUN"))
                .body("unmetCriteria.gate", hasItem("RETURN_TO_SPORT"))
                .body("unmetCriteria[0].name", equalTo("Pain-free walking"))
                .body("unmetCriteria[0].observed", equalTo("not recorded"));
        given().auth().oauth2(clinician()).get("/api/v1/athletes/" + athleteId + "/plan")
                .then().statusCode(200).body("phase", equalTo("PROTECT"));
    }

    @Test
    void an_override_with_a_reason_moves_the_plan_and_the_history_records_the_unmet_criteria() {
        String athleteId = enrolled();
        given().auth().oauth2(clinician()).contentType(ContentType.JSON)
                .body(Map.of("phase", "RETURN_TO_RUN", "overrideGates", true, "reason", " "))
                .post("/api/v1/athletes/" + athleteId + "/plan/phase")
                .then().statusCode(400).body("errors[0].field", equalTo("reason"));
        given().auth().oauth2(clinician()).contentType(ContentType.JSON)
                .body(Map.of("phase", "RETURN_TO_RUN", "overrideGates", true, "reason", "Tested in clinic, no form to hand."))
                .post("/api/v1/athletes/" + athleteId + "/plan/phase")
                .then().statusCode(200).body("phase", equalTo("RETURN_TO_RUN"));
        given().auth().oauth2(clinician()).get("/api/v1/athletes/" + athleteId + "/plan/history")
                .then().statusCode(200)
                .body("events[1].type", equalTo("plan.phase-changed"))
                .body("events[1].overrideGates", equalTo(true))
                .body("events[1].unmetCriteria", hasSize(4))
                .body("events[1].unmetCriteria[0].gate", equalTo("RETURN_TO_RUN"))
                .body("events[1].reason", startsWith("Moved from PROTECT to RETURN_TO_RUN by "));
    }

    @Test
    void only_an_explicit_clearance_ends_an_urgent_referral_and_the_same_flag_escalates_again() {
        String athleteId = enrolled();
        redFlag(athleteId, "red-1-" + athleteId);
        given().auth().oauth2(clinician()).contentType(ContentType.JSON)
                .body(Map.of("phase", "PROTECT", "reason", "seen in clinic"))
                .post("/api/v1/athletes/" + athleteId + "/plan/phase")
                .then().statusCode(200).body("flags.urgentReferral", equalTo(true));
        given().auth().oauth2(clinician()).contentType(ContentType.JSON)
                .body(Map.of("phase", "RESTORE_CAPACITY", "reason", "seen in clinic"))
                .post("/api/v1/athletes/" + athleteId + "/plan/phase")
                .then().statusCode(409).body("detail", startsWith("An urgent referral is in force"));
        given().auth().oauth2(clinician()).contentType(ContentType.JSON).body(Map.of("reason", ""))
                .post("/api/v1/athletes/" + athleteId + "/plan/referral/clear")
                .then().statusCode(400).body("errors[0].field", equalTo("reason"));
        given().auth().oauth2(clinician()).contentType(ContentType.JSON).body(Map.of("reason", "Ultrasound clear, no DVT."))
                .post("/api/v1/athletes/" + athleteId + "/plan/referral/clear")
                .then().statusCode(200)
                .body("flags.urgentReferral", equalTo(false));
        given().auth().oauth2(clinician()).contentType(ContentType.JSON).body(Map.of("reason", "again"))
                .post("/api/v1/athletes/" + athleteId + "/plan/referral/clear")
                .then().statusCode(409);
        given().auth().oauth2(clinician()).get("/api/v1/athletes/" + athleteId + "/plan/history")
                .then().statusCode(200).body("events.type", hasItem("plan.referral-cleared"));

        redFlag(athleteId, "red-2-" + athleteId);
        given().auth().oauth2(clinician()).get("/api/v1/athletes/" + athleteId + "/plan")
                .then().statusCode(200).body("flags.urgentReferral", equalTo(true));
    }

    @Test
    void another_clinic_and_other_roles_cannot_clear_a_referral() {
        String athleteId = enrolled();
        redFlag(athleteId, "red-" + athleteId);
        given().auth().oauth2(Tokens.issue("another-clinic", "clinician")).contentType(ContentType.JSON)
                .body(Map.of("reason", "not mine")).post("/api/v1/athletes/" + athleteId + "/plan/referral/clear")
                .then().statusCode(404);
        given().auth().oauth2(Tokens.issue(CLINIC, "device")).contentType(ContentType.JSON)
                .body(Map.of("reason", "a watch")).post("/api/v1/athletes/" + athleteId + "/plan/referral/clear")
                .then().statusCode(403);
        given().contentType(ContentType.JSON).body(Map.of("reason", "nobody"))
                .post("/api/v1/athletes/" + athleteId + "/plan/referral/clear")
                .then().statusCode(401);
    }

    @Test
    void the_plans_clock_ends_protect_after_a_quiet_week_and_not_before() {
        String aWeekAgo = enrolledAt(Instant.now().minus(java.time.Duration.ofDays(8)));
        String twoDaysAgo = enrolledAt(Instant.now().minus(java.time.Duration.ofDays(2)));
        clock.tick(Instant.now());
        given().auth().oauth2(clinician()).get("/api/v1/athletes/" + aWeekAgo + "/plan")
                .then().statusCode(200).body("phase", equalTo("RESTORE_CAPACITY"));
        given().auth().oauth2(clinician()).get("/api/v1/athletes/" + aWeekAgo + "/plan/history")
                .then().statusCode(200).body("events[1].reason", startsWith("Moved from PROTECT to RESTORE_CAPACITY by itself"));
        given().auth().oauth2(clinician()).get("/api/v1/athletes/" + twoDaysAgo + "/plan")
                .then().statusCode(200).body("phase", equalTo("PROTECT"));
    }

    @Test
    void the_openapi_document_names_the_new_bodies() {
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.'/api/v1/athletes/{athleteId}/plan/referral/clear'.post.requestBody.content.'application/json'.schema.$ref",
                        equalTo("#/components/schemas/ReferralClearanceRequest"))
                .body("paths.'/api/v1/athletes/{athleteId}/plan/phase'.post.responses.'409'.content.'application/problem+json'.schema.$ref",
                        equalTo("#/components/schemas/GatesNotMetProblem"))
                .body("components.schemas.GatesNotMetProblem.properties.unmetCriteria.type", equalTo("array"));
    }
}
