package io.strideback.plan.api;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
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
import io.strideback.testing.KafkaResource;
import io.strideback.testing.LocalKeysResource;
import io.strideback.testing.PostgresResource;
import io.strideback.testing.Tokens;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Round 21, from outside: CONTRACT "{@code POST /api/v1/adjustments/{id}/approve}, {@code .../reject} | 200" names no
 * body for either, and a rejection sent as an approval is (no body, no Content-Type, what {@code curl -X POST} sends)
 * was 415 "a body without a Content-Type" while the approval was 200. Sent so, a rejection is one without a reason, and
 * the calls that need fields (a phase change) say which are missing (400), not 415. The requests are made with the
 * JDK's client, which sends exactly no body and no Content-Type.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "plan"))
@QuarkusTestResource(LocalKeysResource.class)
class DecisionWithoutBodyTest {

    private final String clinic = "bodiless-" + UUID.randomUUID();

    @Inject
    PlanService plans;

    @TestHTTPResource("/")
    URL base;

    @Test
    void a_rejection_and_an_approval_posted_without_a_body_are_both_200() throws Exception {
        given().auth().oauth2(Tokens.issue(clinic, "clinic-admin")).contentType(ContentType.JSON)
                .body(Map.of("policy", "REVIEW")).put("/api/v1/clinic/policy").then().statusCode(200);
        String athleteId = enrolled();
        String rejected = proposed(athleteId, 2.0);
        String approved = proposed(athleteId, 2.5);

        HttpResponse<String> rejection = postWithoutBody("/api/v1/adjustments/" + rejected + "/reject");
        assertThat(rejection.statusCode()).as(rejection.body()).isEqualTo(200);
        assertThat(rejection.body()).contains("\"status\":\"REJECTED\"");

        HttpResponse<String> approval = postWithoutBody("/api/v1/adjustments/" + approved + "/approve");
        assertThat(approval.statusCode()).as(approval.body()).isEqualTo(200);
        assertThat(approval.body()).contains("\"status\":\"APPLIED\"");

        List<String> statuses = given().auth().oauth2(clinician()).get("/api/v1/athletes/" + athleteId + "/plan")
                .then().statusCode(200).extract().jsonPath().getList("adjustments.status");
        assertThat(statuses).containsExactlyInAnyOrder("REJECTED", "APPLIED");
    }

    @Test
    void a_phase_change_without_a_body_names_its_missing_fields() throws Exception {
        String athleteId = enrolled();
        HttpResponse<String> answer = postWithoutBody("/api/v1/athletes/" + athleteId + "/plan/phase");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(answer.body()).contains("\"field\":\"phase\"").contains("\"field\":\"reason\"");
    }

    @Test
    void a_body_without_a_content_type_is_still_refused() throws Exception {
        String athleteId = enrolled();
        String adjustmentId = proposed(athleteId, 2.0);
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "api/v1/adjustments/" + adjustmentId + "/reject"))
                .header("Authorization", "Bearer " + clinician())
                .POST(HttpRequest.BodyPublishers.ofString("{\"reason\":\"not now\"}")).build();
        HttpResponse<String> answer = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(415);
    }

    private HttpResponse<String> postWithoutBody(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path.substring(1)))
                .header("Authorization", "Bearer " + clinician())
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    private String clinician() {
        return Tokens.issue(clinic, "clinician");
    }

    private String enrolled() {
        String athleteId = "athlete-" + UUID.randomUUID();
        plans.execute(clinic, athleteId, (plan, policy) -> new CreatePlan(athleteId, clinic, Diagnosis.CALF_STRAIN_SOLEUS,
                Side.LEFT, LocalDate.parse("2026-03-20"), 3.0, Instant.now()), null, null);
        return athleteId;
    }

    /** A cap the load monitor proposes; under REVIEW it waits for a clinician. */
    private String proposed(String athleteId, double km) {
        String id = "adj-" + UUID.randomUUID();
        Adjustment cap = new Adjustment(id, AdjustmentType.CAP_RUN_DISTANCE, PatternKind.RUNNING_TRIGGERED_DISTANCE,
                "distance", Map.of("maxDistanceKm", km), List.of("evt-" + id), "Two flare-ups followed longer runs.");
        plans.execute(clinic, athleteId, (plan, policy) -> new ApplyAdjustment(cap, policy, Instant.now()), null, null);
        return id;
    }
}
