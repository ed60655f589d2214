package io.strideback.testing;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Issue 17 (CONTRACT v2 "Every /api response has a typed schema"), the same two checks for every service: each
 * {@code /api} answer in {@code /q/openapi} has a typed schema, and {@code docs/openapi/<service>.json} is the
 * document the service serves, so a client can be generated from the repository. A service's {@code @QuarkusTest}
 * implements this and names its module; the checks run against that test's application.
 */
public interface OpenApiDocumentChecks {

    /** The service's module, e.g. {@code plan-service}: its committed document and its {@code -pl}. */
    String service();

    @Test
    default void every_api_answer_has_a_typed_schema() {
        assertEquals(List.of(), OpenApiDocument.untypedApiAnswers(served()), "untyped /api answers of " + service());
    }

    @Test
    default void every_call_naming_a_resource_lists_its_404() {
        assertEquals(List.of(), OpenApiDocument.callsWithoutNotFound(served()), "calls without a 404 in " + service());
    }

    /** Round 21, from outside: a 400 for an over-long id, a 413, a 415 the call's document did not list. */
    @Test
    default void every_call_lists_the_answers_of_the_services_door() {
        assertEquals(List.of(), OpenApiDocument.callsWithoutDoorAnswers(served()), "calls missing a door answer in " + service());
    }

    @Test
    default void the_committed_openapi_json_is_current() {
        String refresh = "./mvnw -B -ntp -o verify -pl " + service() + " -am -Dtest=OpenApiDocumentTest "
                + "-Dsurefire.failIfNoSpecifiedTests=false -D" + OpenApiDocument.WRITE_PROPERTY + "=true";
        String difference = OpenApiDocument.differenceFromCommitted(served(),
                Path.of("..", "docs", "openapi", service() + ".json"), refresh);
        assertNull(difference, difference);
    }

    private static JsonNode served() {
        return OpenApiDocument.parse(given().accept("application/json").get("/q/openapi?format=json")
                .then().statusCode(200).extract().asString());
    }
}
