package io.strideback.plan.api;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.strideback.events.vocabulary.Diagnosis;
import io.strideback.events.vocabulary.Side;
import io.strideback.plan.domain.CreatePlan;
import io.strideback.plan.service.PlanService;
import io.strideback.testing.KafkaResource;
import io.strideback.testing.LocalKeysResource;
import io.strideback.testing.PostgresResource;
import io.strideback.testing.Tokens;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BiFunction;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * Issue 18 item 1, the {@code athlete} role on every plan-service endpoint: a runner reads their own
 * plan (now and as of a time) and its history (200); another athlete's id is 404, as for another
 * clinic's; the clinic's calls (the athlete list, phases, referral clearance, the approval queue,
 * approve/reject, policy, rebuild, ops) are 403.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "plan"))
@QuarkusTestResource(LocalKeysResource.class)
class AthleteRoleTest {

    @Inject
    PlanService plans;

    /** One endpoint: its name, and how to call it for an athlete id. */
    private record Call(String name, BiFunction<RequestSpecification, String, Integer> call) {
    }

    private static final List<Call> OWN_READS = List.of(
            new Call("GET plan", (r, id) -> r.get("/api/v1/athletes/" + id + "/plan").statusCode()),
            new Call("GET plan?asOf", (r, id) -> r.queryParam("asOf", Instant.now().toString())
                    .get("/api/v1/athletes/" + id + "/plan").statusCode()),
            new Call("GET plan/history", (r, id) -> r.get("/api/v1/athletes/" + id + "/plan/history").statusCode()));

    private static final List<Call> OF_THE_CLINIC = List.of(
            new Call("GET athletes", (r, id) -> r.get("/api/v1/athletes").statusCode()),
            new Call("POST plan/phase", (r, id) -> r.contentType(ContentType.JSON)
                    .body("{\"phase\": \"RESTORE_CAPACITY\", \"reason\": \"I feel fine\"}")
                    .post("/api/v1/athletes/" + id + "/plan/phase").statusCode()),
            new Call("POST plan/referral/clear", (r, id) -> r.contentType(ContentType.JSON).body("{\"reason\": \"better\"}")
                    .post("/api/v1/athletes/" + id + "/plan/referral/clear").statusCode()),
            new Call("GET adjustments?status=PENDING", (r, id) -> r.get("/api/v1/adjustments?status=PENDING").statusCode()),
            new Call("POST adjustments/{id}/approve", (r, id) -> r.post("/api/v1/adjustments/adj-1/approve").statusCode()),
            new Call("POST adjustments/{id}/reject", (r, id) -> r.contentType(ContentType.JSON).body("{}")
                    .post("/api/v1/adjustments/adj-1/reject").statusCode()),
            new Call("GET clinic/policy", (r, id) -> r.get("/api/v1/clinic/policy").statusCode()),
            new Call("PUT clinic/policy", (r, id) -> r.contentType(ContentType.JSON).body("{\"policy\": \"AUTO_APPLY\"}")
                    .put("/api/v1/clinic/policy").statusCode()),
            new Call("POST admin/rebuild-plans", (r, id) -> r.post("/api/v1/admin/rebuild-plans").statusCode()),
            new Call("GET ops/status", (r, id) -> r.get("/api/v1/ops/status").statusCode()));

    private String enrolled(String clinic) {
        String athleteId = "athlete-" + UUID.randomUUID();
        plans.execute(clinic, athleteId, (plan, policy) -> new CreatePlan(athleteId, clinic, Diagnosis.CALF_STRAIN_SOLEUS,
                Side.LEFT, LocalDate.parse("2026-10-01"), 3.0, Instant.now().minusSeconds(60)), null, null);
        return athleteId;
    }

    @Test
    void a_runner_reads_their_own_plan_another_athletes_is_404_and_the_clinics_calls_are_403() {
        String clinic = "clinic-" + UUID.randomUUID();
        String me = enrolled(clinic);
        String other = enrolled(clinic);
        String token = Tokens.issueAthlete(clinic, me);
        String stranger = Tokens.issueAthlete("clinic-" + UUID.randomUUID(), me);

        List<String> wrong = new ArrayList<>();
        for (Call c : OWN_READS) {
            expect(wrong, c.name() + " of myself", c.call().apply(given().auth().oauth2(token), me), 200);
            expect(wrong, c.name() + " of another athlete", c.call().apply(given().auth().oauth2(token), other), 404);
            expect(wrong, c.name() + " of nobody", c.call().apply(given().auth().oauth2(token), "nobody"), 404);
            expect(wrong, c.name() + " from another clinic", c.call().apply(given().auth().oauth2(stranger), me), 404);
            expect(wrong, c.name() + " with no token", c.call().apply(given(), me), 401);
            expect(wrong, c.name() + " by the clinician", c.call().apply(given().auth().oauth2(Tokens.issue(clinic, "clinician")), other), 200);
        }
        for (Call c : OF_THE_CLINIC) {
            expect(wrong, c.name(), c.call().apply(given().auth().oauth2(token), me), 403);
        }
        assertThat(wrong).as("answers that differ from the table").isEmpty();

        given().auth().oauth2(token).get("/api/v1/athletes/" + me + "/plan").then().statusCode(200)
                .body("athleteId", equalTo(me)).body("phase", equalTo("PROTECT"));
        given().auth().oauth2(token).get("/api/v1/athletes/" + me + "/plan/history").then().statusCode(200)
                .body("events[0].type", equalTo("plan.created"));
    }

    private static void expect(List<String> wrong, String what, int status, int expected) {
        if (status != expected) {
            wrong.add(what + ": " + status + ", expected " + expected);
        }
    }
}
