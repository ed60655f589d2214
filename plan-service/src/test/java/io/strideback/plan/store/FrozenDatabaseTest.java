package io.strideback.plan.store;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.Response;
import io.strideback.events.ActivityEvents.AthleteEnrolled;
import io.strideback.events.EventCodec;
import io.strideback.events.EventEnvelope;
import io.strideback.events.EventType;
import io.strideback.events.FindingEvents.AdjustmentProposed;
import io.strideback.events.vocabulary.AdjustmentType;
import io.strideback.events.vocabulary.Diagnosis;
import io.strideback.events.vocabulary.PatternKind;
import io.strideback.events.vocabulary.Side;
import io.strideback.testing.KafkaResource;
import io.strideback.testing.LocalKeysResource;
import io.strideback.testing.LocalPostgres;
import io.strideback.testing.PostgresResource;
import io.strideback.testing.Tokens;
import io.strideback.testing.TopicRecords;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/**
 * Round 17: a database that hangs (a paused host, a stalled disk: its connections stay open and answer nothing; the
 * test PostgreSQL SIGSTOPped) is a database that is down for plan-service too: a read answers 503 with Retry-After
 * within seconds instead of never (pgjdbc socketTimeout, 10 s), and a proposal that arrives meanwhile is applied once
 * the database answers again: the adjustments channel retried it from the same record, nothing skipped. Shares the
 * Quarkus boot of the other tests with these resources.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "plan"))
@QuarkusTestResource(LocalKeysResource.class)
class FrozenDatabaseTest {

    private static final Instant NOW = Instant.now().minus(Duration.ofHours(1));
    /** The client gives up long after the service's own socket timeout (10 s) and its pool's wait (5 s). */
    private static final RestAssuredConfig PATIENT_CLIENT = RestAssuredConfig.config().httpClient(
            HttpClientConfig.httpClientConfig().setParam("http.socket.timeout", 60_000));

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void a_read_while_the_database_hangs_gets_503_with_retry_after_and_a_proposal_sent_meanwhile_is_applied_after() {
        String clinic = "clinic-" + UUID.randomUUID();
        TopicRecords.send(bootstrap, EventCodec.toRecord(EventEnvelope.of(EventType.ATHLETE_ENROLLED, "/test", NOW,
                clinic, "runner-1", new AthleteEnrolled("runner-1", clinic, "Runner", Diagnosis.CALF_STRAIN_SOLEUS,
                        Side.LEFT, LocalDate.now().minusDays(20), null, NOW))));
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> given().auth().oauth2(Tokens.issue(clinic,
                "clinician")).get("/api/v1/athletes/runner-1/plan").then().statusCode(200));
        String adjustmentId = UUID.randomUUID().toString();
        EventEnvelope<AdjustmentProposed> referral = new EventEnvelope<>(adjustmentId,
                EventType.PLAN_ADJUSTMENT_PROPOSED, "/test", NOW, "runner-1", clinic, EventType.CURRENT_SCHEMA_VERSION,
                new AdjustmentProposed(adjustmentId, "runner-1", clinic, AdjustmentType.URGENT_REFERRAL,
                        PatternKind.RED_FLAG, "RED_FLAG_REPORTED", Map.of(), List.of(), "Red flag: refer", NOW));

        Response refused;
        Duration waited;
        try (LocalPostgres.Frozen frozen = PostgresResource.server().freeze()) {
            TopicRecords.send(bootstrap, EventCodec.toRecord(referral));
            long start = System.nanoTime();
            refused = given().config(PATIENT_CLIENT).auth().oauth2(Tokens.issue(clinic, "clinician"))
                    .get("/api/v1/athletes/runner-1/plan");
            waited = Duration.ofNanos(System.nanoTime() - start);
        }

        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.header("Retry-After")).isNotBlank();
        assertThat(waited).isLessThan(Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> given().auth().oauth2(Tokens.issue(clinic,
                "clinician")).get("/api/v1/athletes/runner-1/plan").then().statusCode(200)
                .body("adjustments.adjustmentId", hasItem(adjustmentId))
                .body("flags.urgentReferral", equalTo(true)));
    }
}
