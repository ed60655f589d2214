package io.strideback.loadmonitor.api;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.strideback.testing.KafkaResource;
import io.strideback.testing.LocalKeysResource;
import io.strideback.testing.PostgresResource;
import io.strideback.testing.Tokens;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

/**
 * The operator's view of the running service on a real broker and PostgreSQL: the shared
 * {@code GET /api/v1/ops/status} (service-support) next to the load monitor's own
 * {@code /api/v1/ops/summary}, the consumer channels' health checks and the tagged metrics.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "loadmonitor"))
@QuarkusTestResource(LocalKeysResource.class)
class OpsEndpointsTest {

    private static String token(String role) {
        return Tokens.issue("ops-test-clinic", role);
    }

    @Test
    void ops_status_shows_the_build_the_consumer_partitions_and_lag_and_the_outbox() {
        given().auth().oauth2(token("ops")).get("/api/v1/ops/status").then().statusCode(200)
                .body("application", equalTo("load-monitor-service"))
                .body("version", notNullValue())
                .body("consumers[0].name", equalTo("activity"))
                .body("consumers[0].groupId", equalTo("load-monitor-service"))
                .body("consumers[0].topics", hasItem("strideback.athlete-activity.v1"))
                .body("consumers[0].running", equalTo(true))
                .body("outbox.pending", notNullValue())
                .body("outbox.deadLetters", notNullValue());
        // Once the group has joined, every partition of the activity log is this replica's.
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                given().auth().oauth2(token("ops")).get("/api/v1/ops/status").then().statusCode(200)
                        .body("consumers[0].partitions.size()", equalTo(6))
                        .body("consumers[0].lag", notNullValue()));
    }

    @Test
    void only_the_ops_role_reads_it() {
        given().auth().oauth2(token("clinician")).get("/api/v1/ops/status").then().statusCode(403);
        given().auth().oauth2(token("device")).get("/api/v1/ops/status").then().statusCode(403);
        given().get("/api/v1/ops/status").then().statusCode(401);
    }

    @Test
    void the_load_monitors_own_ops_summary_still_answers_beside_it() {
        given().auth().oauth2(token("ops")).get("/api/v1/ops/summary").then().statusCode(200)
                .body("episodes", notNullValue());
    }

    @Test
    void readiness_includes_the_consumer_channels_and_liveness_the_connectors_health() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                given().get("/q/health/ready").then().statusCode(200)
                        .body("checks.find { it.name == 'Kafka consumers' }.status", equalTo("UP"))
                        .body("checks.find { it.name == 'Kafka consumers' }.data.activity", equalTo("running"))
                        .body("checks.find { it.name == 'SmallRye Reactive Messaging - readiness check' }.status",
                                equalTo("UP")));
        given().get("/q/health/live").then().statusCode(200)
                .body("checks.find { it.name == 'SmallRye Reactive Messaging - liveness check' }.status", equalTo("UP"));
    }

    /** Issue 16: metrics only on the management interface, not on the API port. */
    @io.quarkus.test.common.http.TestHTTPResource(value = "/metrics", management = true) // under the management root, /q
    java.net.URL metrics;

    @Test
    void metrics_are_tagged_with_the_application_and_served_only_on_the_management_port() {
        given().get("/q/metrics").then().statusCode(404);
        given().get(metrics).then().statusCode(200)
                .body(containsString("strideback_consumer_running{application=\"load-monitor-service\",consumer=\"activity\"} 1"))
                .body(containsString("strideback_consumer_lag{application=\"load-monitor-service\",consumer=\"activity\"}"));
    }
}
