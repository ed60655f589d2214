package io.strideback.intake.erasure;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.strideback.intake.support.IntakeTest;
import io.strideback.intake.support.Json;
import io.strideback.intake.support.TestClinic;
import io.strideback.testing.Tokens;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

/**
 * Issue 16 item 3, {@code POST /api/v1/personal-data/seal}: a clinician's own words about an athlete (plan-service's
 * reasons) are sealed with the athlete's data key for the clinic's clinicians and clinic-admins, in order; they open
 * for the clinic like any sealed field, and not once the athlete is erased (then a seal is 410). Another clinic's or an
 * unknown athlete is 404; the athlete and a device may not seal; a request out of bounds is 400.
 */
@QuarkusTest
class PersonalDataSealTest extends IntakeTest {

    static final String SEAL = "/api/v1/personal-data/seal";

    @Test
    void a_clinicians_words_are_sealed_with_the_athletes_key_and_open_for_the_clinic() {
        TestClinic clinic = new TestClinic();
        String athleteId = clinic.enrolAthlete();
        String words = "Sam says the pain came back after his daughter's wedding " + UUID.randomUUID();

        for (String role : List.of(TestClinic.CLINICIAN, "clinic-admin")) {
            List<String> sealed = clinic.as(role).body(seal(athleteId, words, "second")).post(SEAL).then().statusCode(200)
                    .body("athleteId", equalTo(athleteId)).body("sealed", hasSize(2))
                    .extract().jsonPath().getList("sealed");
            assertThat(sealed).allMatch(s -> s.startsWith("sealed:v1:")).noneMatch(s -> s.contains("wedding"));
            clinic.as(TestClinic.CLINICIAN).body(open(athleteId, sealed)).post(PersonalDataOpenTest.OPEN).then()
                    .statusCode(200).body("items.value", contains(words, "second"));
        }
        // Another clinic with the same ids: as if there were no such athlete.
        new TestClinic().as(TestClinic.CLINICIAN).body(seal(athleteId, words)).post(SEAL).then().statusCode(404);
        clinic.as(TestClinic.CLINICIAN).body(seal("no-such-athlete-" + UUID.randomUUID(), words)).post(SEAL).then()
                .statusCode(404);
        // The runner and a device do not write a clinician's words.
        given().auth().oauth2(Tokens.issueAthlete(clinic.id(), athleteId)).contentType(ContentType.JSON)
                .body(seal(athleteId, words)).post(SEAL).then().statusCode(403);
        clinic.as(TestClinic.DEVICE).body(seal(athleteId, words)).post(SEAL).then().statusCode(403);
    }

    @Test
    void once_the_athlete_is_erased_their_words_no_longer_open_and_a_seal_is_410() {
        TestClinic clinic = new TestClinic();
        String athleteId = clinic.enrolAthlete();
        List<String> sealed = clinic.as(TestClinic.CLINICIAN).body(seal(athleteId, "seen by Dr Okafor")).post(SEAL)
                .then().statusCode(200).extract().jsonPath().getList("sealed");

        clinic.as("clinic-admin").delete("/api/v1/athletes/{a}", athleteId).then().statusCode(202);

        clinic.as(TestClinic.CLINICIAN).body(open(athleteId, sealed)).post(PersonalDataOpenTest.OPEN).then()
                .statusCode(200).body("items[0].value", nullValue());
        isProblem(clinic.as(TestClinic.CLINICIAN).body(seal(athleteId, "more words")).post(SEAL).then(), 410,
                "https://strideback.io/problems/gone", "Gone");
    }

    @Test
    void a_request_without_an_athlete_without_texts_with_too_many_or_with_a_bad_text_is_400() {
        TestClinic clinic = new TestClinic();
        String athleteId = clinic.enrolAthlete();
        isProblem(clinic.as(TestClinic.CLINICIAN).body("{}").post(SEAL).then(), 400,
                "https://strideback.io/problems/validation", "Invalid request")
                .body("errors.field", contains("athleteId", "texts"));
        String[] many = new String[21];
        java.util.Arrays.fill(many, "x");
        clinic.as(TestClinic.CLINICIAN).body(seal(athleteId, many)).post(SEAL).then().statusCode(400)
                .body("errors.field", contains("texts"));
        clinic.as(TestClinic.CLINICIAN).body(seal(athleteId, "fine", "x".repeat(2001), "nul\u0000")).post(SEAL).then()
                .statusCode(400).body("errors.field", contains("texts[1]", "texts[2]"));
    }

    private static String seal(String athleteId, String... texts) {
        ObjectNode body = Json.MAPPER.createObjectNode().put("athleteId", athleteId);
        var array = body.putArray("texts");
        for (String t : texts) {
            array.add(t);
        }
        return body.toString();
    }

    private static String open(String athleteId, List<String> values) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        var items = body.putArray("items");
        values.forEach(v -> items.addObject().put("athleteId", athleteId).put("value", v));
        return body.toString();
    }
}
