package io.strideback.loadmonitor.api;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.strideback.testing.KafkaResource;
import io.strideback.testing.LocalKeysResource;
import io.strideback.testing.OpenApiDocument;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 17: every /api answer of the load monitor has a typed schema in /q/openapi, and
 * docs/openapi/load-monitor-service.json is the document it serves, so a client can be generated from the repository.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(LocalKeysResource.class)
class OpenApiDocumentTest {

    static final String REFRESH = "./mvnw -B -ntp -o verify -pl load-monitor-service -am -Dtest=OpenApiDocumentTest "
            + "-Dsurefire.failIfNoSpecifiedTests=false -D" + OpenApiDocument.WRITE_PROPERTY + "=true";

    private static com.fasterxml.jackson.databind.JsonNode served() {
        return OpenApiDocument.parse(given().accept("application/json").get("/q/openapi?format=json")
                .then().statusCode(200).extract().asString());
    }

    @Test
    void every_api_answer_has_a_typed_schema() {
        assertThat(OpenApiDocument.untypedApiAnswers(served())).isEmpty();
    }

    @Test
    void the_committed_openapi_json_is_current() {
        assertThat(OpenApiDocument.differenceFromCommitted(served(),
                Path.of("..", "docs", "openapi", "load-monitor-service.json"), REFRESH)).isNull();
    }
}
