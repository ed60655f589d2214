package io.strideback.intake.support;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.strideback.testing.Tokens;

import java.util.UUID;

import static io.restassured.RestAssured.given;

/**
 * A clinic of its own for one test: what the test finds on the topic under this clinic id was
 * written by this test and nothing else.
 */
public final class TestClinic {

    public static final String CLINICIAN = "clinician";
    public static final String DEVICE = "device";
    public static final String OPS = "ops";

    private final String id = "clinic-" + UUID.randomUUID();

    public String id() {
        return id;
    }

    public String token(String role) {
        return Tokens.issue(id, role);
    }

    /** A JSON request with this clinic's token for {@code role}. */
    public RequestSpecification as(String role) {
        return given().auth().oauth2(token(role)).contentType(ContentType.JSON);
    }

    /** Enrols an athlete with a valid body and answers its id. */
    public String enrolAthlete() {
        return as(CLINICIAN).body(Bodies.enrolment().toString())
                .when().post("/api/v1/athletes")
                .then().statusCode(201)
                .extract().path("athleteId");
    }

    /** Posts a valid symptom report and answers its event id. */
    public String reportSymptom(String athleteId) {
        return as(CLINICIAN).body(Bodies.symptom().toString())
                .when().post("/api/v1/athletes/{athleteId}/symptoms", athleteId)
                .then().statusCode(202)
                .extract().path("eventId");
    }
}
