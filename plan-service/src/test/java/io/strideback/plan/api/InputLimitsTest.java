package io.strideback.plan.api;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.strideback.testing.KafkaResource;
import io.strideback.testing.LocalKeysResource;
import io.strideback.testing.PostgresResource;
import io.strideback.testing.Tokens;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/**
 * What plan-service takes from a clinician (issue 12): a reason is free text of at most 2,000
 * characters without NUL or other control characters (a 2 MB phase-change reason was once taken,
 * and its plan event outgrew the producer's record size, so the outbox relay retried it for ever);
 * ids in the path hold no control character; a body over 1 MiB is 413 with a problem. Each refusal
 * comes before any look-up, so an athlete without a plan still shows which check answered.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "plan"))
@QuarkusTestResource(LocalKeysResource.class)
class InputLimitsTest {

    private static final String PHASE = "/api/v1/athletes/{athleteId}/plan/phase";
    private static final String PROBLEM_JSON = "application/problem+json";

    private final String clinic = "clinic-" + UUID.randomUUID();
    private final String athleteId = "ath-" + UUID.randomUUID();

    private RequestSpecification clinician() {
        return given().contentType(ContentType.JSON).auth().oauth2(Tokens.issue(clinic, "clinician"));
    }

    @Test
    void a_phase_change_reason_over_2000_characters_is_400_naming_it() {
        clinician().body(Map.of("phase", "BUILD", "reason", "r".repeat(2001))).post(PHASE, athleteId).then()
                .statusCode(400)
                .contentType(startsWith(PROBLEM_JSON))
                .body("errors.field", contains("reason"));
    }

    @Test
    void a_reason_with_a_nul_or_an_escape_character_is_400_naming_it() {
        clinician().body(Map.of("phase", "BUILD", "reason", "seen\u0000today")).post(PHASE, athleteId).then()
                .statusCode(400).contentType(startsWith(PROBLEM_JSON)).body("errors.field", contains("reason"));
        clinician().body(Map.of("reason", "no\u001b[2J")).post("/api/v1/adjustments/{id}/reject", "adj-1").then()
                .statusCode(400).contentType(startsWith(PROBLEM_JSON)).body("errors.field", contains("reason"));
        clinician().body("{\"phase\": \"BUILD\", \"reason\": \"half \\ud800 a pair\"}").post(PHASE, athleteId).then()
                .statusCode(400).contentType(startsWith(PROBLEM_JSON)).body("errors.field", contains("reason"));
    }

    /** Round 20: the shared text rule refuses bidirectional overrides and isolates, here as in intake's notes. */
    @Test
    void a_reason_with_a_bidirectional_override_is_400_naming_it() {
        clinician().body(Map.of("phase", "BUILD", "reason", "cleared \u202Eyb ton")).post(PHASE, athleteId).then()
                .statusCode(400).contentType(startsWith(PROBLEM_JSON)).body("errors.field", contains("reason"));
        clinician().body(Map.of("reason", "\u2066no\u2069")).post("/api/v1/adjustments/{id}/reject", "adj-1").then()
                .statusCode(400).contentType(startsWith(PROBLEM_JSON)).body("errors.field", contains("reason"));
    }

    @Test
    void a_raw_control_byte_in_a_body_is_400_naming_the_field() {
        // Review r9: a bare "HTTP 400 Bad Request" before, naming nothing.
        clinician().body("{\"phase\": \"BUILD\", \"reason\": \"a\u0000b\"}").post(PHASE, athleteId).then()
                .statusCode(400).contentType(startsWith(PROBLEM_JSON)).body("title", equalTo("Malformed JSON"))
                .body("errors.field", contains("reason"));
    }

    @Test
    void a_body_of_the_wrong_shape_is_400_with_a_problem_naming_the_field() {
        // Quarkus' own answer to these was a 400 with no body at all.
        clinician().body("{\"phase\": \"BUILD\", \"reason\": \"x\", \"overrideGates\": \"yes\"}").post(PHASE, athleteId)
                .then().statusCode(400).contentType(startsWith(PROBLEM_JSON)).body("errors.field", contains("overrideGates"));
        clinician().body("[]").post(PHASE, athleteId).then().statusCode(400).contentType(startsWith(PROBLEM_JSON));
    }

    @Test
    void a_phase_change_without_a_reason_is_400_naming_it() {
        // No plan for this athlete: before review r9 each of these passed the door and answered 404.
        for (String body : java.util.List.of("{\"phase\": \"BUILD\"}", "{\"phase\": \"BUILD\", \"reason\": null}",
                "{\"phase\": \"BUILD\", \"reason\": \"\"}", "{\"phase\": \"BUILD\", \"reason\": \" \\t\\n\"}",
                "{\"phase\": \"BUILD\", \"reason\": \"   \", \"overrideGates\": false}")) {
            clinician().body(body).post(PHASE, athleteId).then()
                    .statusCode(400).contentType(startsWith(PROBLEM_JSON)).body("errors.field", contains("reason"));
        }
        clinician().body("{}").post(PHASE, athleteId).then()
                .statusCode(400).contentType(startsWith(PROBLEM_JSON)).body("errors.field", contains("phase", "reason"));
    }

    @Test
    void a_value_of_another_json_type_is_never_coerced() {
        // Review r9: Jackson read 1 as true, so "overrideGates": 1 overrode a gate; 12 became the reason "12".
        for (String body : java.util.List.of(
                "{\"phase\": \"BUILD\", \"reason\": \"seen\", \"overrideGates\": 1}",
                "{\"phase\": \"BUILD\", \"reason\": \"seen\", \"overrideGates\": \"true\"}",
                "{\"phase\": \"BUILD\", \"reason\": \"seen\", \"overrideGates\": 0.0}")) {
            clinician().body(body).post(PHASE, athleteId).then()
                    .statusCode(400).contentType(startsWith(PROBLEM_JSON)).body("errors.field", contains("overrideGates"));
        }
        clinician().body("{\"phase\": \"BUILD\", \"reason\": 12}").post(PHASE, athleteId).then()
                .statusCode(400).contentType(startsWith(PROBLEM_JSON)).body("errors.field", contains("reason"));
        clinician().body("{\"phase\": 3, \"reason\": \"seen\"}").post(PHASE, athleteId).then()
                .statusCode(400).contentType(startsWith(PROBLEM_JSON)).body("errors.field", contains("phase"));
        clinician().body("{\"reason\": true}").post("/api/v1/athletes/{athleteId}/plan/referral/clear", athleteId).then()
                .statusCode(400).contentType(startsWith(PROBLEM_JSON)).body("errors.field", contains("reason"));
        for (String body : java.util.List.of("\"because\"", "[\"because\"]", "{\"reason\": 1}")) {
            clinician().body(body).post("/api/v1/adjustments/{id}/reject", "adj-1").then()
                    .statusCode(400).contentType(startsWith(PROBLEM_JSON)).body("errors.field", contains(body.startsWith("{") ? "reason" : "body"));
        }
    }

    @Test
    void an_as_of_past_any_calendar_is_400_naming_it_not_a_database_outage() {
        given().auth().oauth2(Tokens.issue(clinic, "clinician")).queryParam("asOf", "+999999999-12-31T23:59:59Z")
                .get("/api/v1/athletes/{athleteId}/plan", athleteId).then()
                .statusCode(400).contentType(startsWith(PROBLEM_JSON)).body("errors.field", contains("asOf"));
    }

    /**
     * Round 20: every instant a client sends is read by one rule (ContractInstants.readClientInstant, the intake's too).
     * An offset with seconds is neither ISO 8601 nor RFC 3339; {@code OffsetDateTime} and {@code Instant.parse} took it.
     */
    @Test
    void an_instant_whose_offset_has_seconds_is_400_naming_the_parameter() {
        given().auth().oauth2(Tokens.issue(clinic, "clinician")).queryParam("asOf", "2026-04-03T07:30:00+01:00:30")
                .get("/api/v1/athletes/{athleteId}/plan", athleteId).then()
                .statusCode(400).contentType(startsWith(PROBLEM_JSON)).body("errors.field", contains("asOf"));
        given().auth().oauth2(Tokens.issue(clinic, "clinic-admin")).queryParam("before", "2026-04-03T07:30:00+01:00:30")
                .get("/api/v1/audit").then()
                .statusCode(400).contentType(startsWith(PROBLEM_JSON)).body("errors.field", contains("before"));
        // The form the contract writes, and a leap second, are taken.
        given().auth().oauth2(Tokens.issue(clinic, "clinic-admin")).queryParam("before", "2016-12-31T23:59:60Z")
                .get("/api/v1/audit").then().statusCode(200);
    }

    /**
     * Round 19: {@code ?asOf=A&asOf=B} answered the plan as of A, B dropped silently; the same for the list endpoints'
     * filter and paging parameters. Refused naming the parameter, as a key given twice in a JSON body is.
     */
    @Test
    void a_query_parameter_given_twice_is_400_naming_it() {
        String at = java.time.Instant.now().toString();
        given().auth().oauth2(Tokens.issue(clinic, "clinician")).queryParam("asOf", at, "2020-01-01T00:00:00Z")
                .get("/api/v1/athletes/{athleteId}/plan", athleteId).then()
                .statusCode(400).contentType(startsWith(PROBLEM_JSON)).body("errors.field", contains("asOf"));
        given().auth().oauth2(Tokens.issue(clinic, "clinician")).queryParam("status", "PENDING", "APPLIED")
                .get("/api/v1/adjustments").then()
                .statusCode(400).contentType(startsWith(PROBLEM_JSON)).body("errors.field", contains("status"));
        given().auth().oauth2(Tokens.issue(clinic, "clinic-admin")).queryParam("limit", "1", "500")
                .queryParam("before", at, at).get("/api/v1/audit").then()
                .statusCode(400).contentType(startsWith(PROBLEM_JSON))
                .body("errors.field", org.hamcrest.Matchers.containsInAnyOrder("limit", "before"));
        // once each, the same parameters pass the door
        given().auth().oauth2(Tokens.issue(clinic, "clinician")).queryParam("status", "PENDING")
                .get("/api/v1/adjustments").then().statusCode(200);
    }

    @Test
    void a_reason_of_2000_characters_with_line_breaks_passes_the_door() {
        // No plan for this athlete: the 404 shows that the reason itself was accepted.
        clinician().body(Map.of("phase", "BUILD", "reason", "line 1\r\n\tline 2 " + "r".repeat(1982)))
                .post(PHASE, athleteId).then().statusCode(404);
    }

    @Test
    void a_nul_in_a_path_id_is_400_not_a_database_error() {
        clinician().get("/api/v1/athletes/{athleteId}/plan", "ath\u0000x").then()
                .statusCode(400).contentType(startsWith(PROBLEM_JSON)).body("errors.field", contains("athleteId"));
    }

    @Test
    void reads_over_http2_pass_the_body_limit() throws Exception {
        java.net.http.HttpClient h2 = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_2).build();
        for (int i = 0; i < 2; i++) { // the first upgrades the connection (h2c), the second is an HTTP/2 stream
            var answer = h2.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:"
                                    + io.restassured.RestAssured.port + "/api/v1/athletes/" + athleteId + "/plan"))
                            .header("Authorization", "Bearer " + Tokens.issue(clinic, "clinician")).GET().build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            org.assertj.core.api.Assertions.assertThat(answer.statusCode()).as(answer.body()).isEqualTo(404);
        }
    }

    @Test
    void a_body_over_1_MiB_is_413_with_a_problem() {
        String reason = "r".repeat(2 * 1024 * 1024);

        clinician().body(Map.of("phase", "BUILD", "reason", reason)).post(PHASE, athleteId).then()
                .statusCode(413)
                .contentType(startsWith(PROBLEM_JSON))
                .body("type", equalTo("https://strideback.io/problems/too-large"))
                .body("title", equalTo("Payload too large"))
                .body("status", equalTo(413));
    }
}
