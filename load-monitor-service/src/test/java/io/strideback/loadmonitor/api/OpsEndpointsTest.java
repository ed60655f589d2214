package io.strideback.loadmonitor.api;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.strideback.testing.KafkaResource;
import io.strideback.testing.LocalKeysResource;
import io.strideback.testing.Tokens;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

/**
 * The operator's view of the running service on a real broker: the shared {@code GET /api/v1/ops/status}
 * (service-support) next to the load monitor's own {@code /api/v1/ops/summary}, the Kafka Streams health checks
 * wired by hand (ready while RUNNING, live unless failed) and the tagged metrics.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(LocalKeysResource.class)
class OpsEndpointsTest {

    private static String token(String role) {
        return Tokens.issue("ops-test-clinic", role);
    }

    @Test
    void ops_status_shows_the_build() {
        given().auth().oauth2(token("ops")).get("/api/v1/ops/status").then().statusCode(200)
                .body("application", equalTo("load-monitor-service"))
                .body("version", notNullValue());
    }

    @Test
    void only_the_ops_role_reads_it() {
        given().auth().oauth2(token("clinician")).get("/api/v1/ops/status").then().statusCode(403);
        given().auth().oauth2(token("device")).get("/api/v1/ops/status").then().statusCode(403);
        given().get("/api/v1/ops/status").then().statusCode(401);
        given().auth().oauth2(token("clinician")).get("/api/v1/ops/summary").then().statusCode(403);
    }

    /** Round 19: the first of {@code ?scope=A&scope=B} was taken and the other dropped silently. */
    @Test
    void a_query_parameter_given_twice_is_400_naming_it() {
        given().auth().oauth2(token("ops")).queryParam("scope", "all", "mine").get("/api/v1/ops/summary").then()
                .statusCode(400).contentType(org.hamcrest.Matchers.startsWith("application/problem+json"))
                .body("errors.field", org.hamcrest.Matchers.contains("scope"));
        given().auth().oauth2(token("clinician")).queryParam("scope", "all", "all").get("/api/v1/athletes").then()
                .statusCode(400).body("errors.field", org.hamcrest.Matchers.contains("scope"));
    }

    @Test
    void the_load_monitors_own_ops_summary_answers_once_the_streams_run() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                given().auth().oauth2(token("ops")).get("/api/v1/ops/summary").then().statusCode(200)
                        .body("episodes", notNullValue()));
    }

    @Test
    void readiness_and_liveness_follow_the_kafka_streams_state() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                given().get("/q/health/ready").then().statusCode(200)
                        .body("checks.find { it.name == 'Kafka Streams (load monitor)' }.status", equalTo("UP"))
                        .body("checks.find { it.name == 'Kafka Streams (load monitor)' }.data.state",
                                equalTo("RUNNING")));
        given().get("/q/health/live").then().statusCode(200)
                .body("checks.find { it.name == 'Kafka Streams (load monitor)' }.status", equalTo("UP"));
    }

    /** Issue 16: metrics only on the management interface, not on the API port. */
    @io.quarkus.test.common.http.TestHTTPResource(value = "/metrics", management = true) // under the management root, /q
    java.net.URL metrics;

    @Test
    void metrics_are_tagged_with_the_application_and_served_only_on_the_management_port() {
        given().get("/q/metrics").then().statusCode(404);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                given().get(metrics).then().statusCode(200)
                        .body(containsString("strideback_load_monitor_streams_running{application=\"load-monitor-service\"} 1"))
                        // What the alerts on an unsettled monitor read; nothing has failed or been taken from it here.
                        .body(containsString("strideback_load_monitor_streams_threads_replaced_total{application=\"load-monitor-service\"} 0.0"))
                        .body(containsString("strideback_load_monitor_streams_rebalances_total{application=\"load-monitor-service\"}")));
    }
}
