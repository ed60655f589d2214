package io.strideback.plan.web;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.strideback.testing.KafkaResource;
import io.strideback.testing.LocalKeysResource;
import io.strideback.testing.PostgresResource;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

/**
 * Issue 18: plan-service serves the runner's page at {@code /me} and {@code /me/{athleteId}}, public
 * (it holds no data), telling the script where intake and the load monitor are and letting it reach
 * them and nothing else (Content-Security-Policy); its script and style are served under {@code /runner/}.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "plan"))
@QuarkusTestResource(LocalKeysResource.class)
class RunnerPagesTest {

    @Test
    void the_page_is_served_without_a_token_and_names_the_services_it_calls() {
        for (String path : new String[] {"/me", "/me/seed000-x"}) {
            given().get(path).then().statusCode(200)
                    .contentType(containsString("text/html"))
                    .header("Cache-Control", "no-store")
                    .header("Content-Security-Policy", containsString("connect-src 'self' http://127.0.0.1:8081 http://127.0.0.1:8083"))
                    .header("Content-Security-Policy", not(containsString("unsafe-inline")))
                    .body(containsString("<meta name=\"strideback-intake\" content=\"http://127.0.0.1:8081\">"))
                    .body(containsString("How does the calf feel?"))
                    .body(containsString("/shared/dom.js?v=" + RunnerPages.assetsVersion()))
                    .body(containsString("/runner/me.js?v=" + RunnerPages.assetsVersion()));
        }
        // The DOM helpers both pages share, public like the pages' own scripts.
        given().get("/shared/dom.js").then().statusCode(200).body(containsString("window.StridebackDom"));
        given().get("/runner/me.js").then().statusCode(200).body(containsString("Idempotency-Key"));
        given().get("/runner/me.css").then().statusCode(200);
        // The clinician pages are where they were.
        given().get("/athletes/x").then().statusCode(200).body(containsString("Clinician token"))
                .body(containsString("/shared/dom.js?v=" + ClinicianPages.assetsVersion()))
                .header("Content-Security-Policy", containsString("connect-src 'self' http://127.0.0.1:8083"));
    }
}
