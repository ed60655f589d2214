package io.strideback.plan.messaging;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.strideback.events.ActivityEvents.AthleteEnrolled;
import io.strideback.events.EventCodec;
import io.strideback.events.EventEnvelope;
import io.strideback.events.EventType;
import io.strideback.events.FindingEvents.AdjustmentProposed;
import io.strideback.events.FindingEvents.AdjustmentWithdrawn;
import io.strideback.events.FindingEvents.FlareUpWithdrawn;
import io.strideback.events.Topic;
import io.strideback.events.vocabulary.AdjustmentType;
import io.strideback.events.vocabulary.Diagnosis;
import io.strideback.events.vocabulary.PatternKind;
import io.strideback.events.vocabulary.Side;
import io.strideback.testing.KafkaResource;
import io.strideback.testing.LocalKeysResource;
import io.strideback.testing.PostgresResource;
import io.strideback.testing.Tokens;
import io.strideback.testing.TopicRecords;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/**
 * DOMAIN.md "Convergence" through plan-service's adjustments channel, on a real broker and PostgreSQL: the
 * monitor's {@code plan.adjustment.withdrawn} withdraws the cap it proposed (GET /plan shows it WITHDRAWN with
 * the reason, the cap is the phase's again), the history and {@code strideback.plan-events.v1} carry
 * {@code plan.adjustment-withdrawn}; a type the plan does not act on and an unknown type on the same topic do
 * not stop the channel. The enrolment's display name is on the plan and the clinic's list (issue 18).
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "plan"))
@QuarkusTestResource(LocalKeysResource.class)
class WithdrawalThroughKafkaTest {

    private static final Instant NOW = Instant.now().minus(Duration.ofHours(1));
    private static final String ATHLETE = "runner-w";
    private static final String MONITOR = "/strideback/load-monitor-service";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void a_withdrawal_from_the_monitor_withdraws_the_adjustment_and_nothing_on_the_topic_stops_the_channel() {
        String clinic = "clinic-" + UUID.randomUUID();
        String clinician = Tokens.issue(clinic, "clinician");
        EventEnvelope<AthleteEnrolled> enrolment = EventEnvelope.of(EventType.ATHLETE_ENROLLED, "/test", NOW, clinic, ATHLETE,
                new AthleteEnrolled(ATHLETE, clinic, "Ada Runner", Diagnosis.CALF_STRAIN_GASTROCNEMIUS, Side.LEFT,
                        LocalDate.now().minusDays(20), 5.0, NOW, "Australia/Brisbane"));
        TopicRecords.send(bootstrap, EventCodec.toRecord(enrolment));

        String capId = "cap-" + UUID.randomUUID();
        EventEnvelope<AdjustmentProposed> cap = EventEnvelope.of(EventType.PLAN_ADJUSTMENT_PROPOSED, MONITOR, NOW, clinic, ATHLETE,
                new AdjustmentProposed(capId, ATHLETE, clinic, AdjustmentType.CAP_RUN_DISTANCE,
                        PatternKind.RUNNING_TRIGGERED_DISTANCE, "running-triggered-distance", Map.of("maxDistanceKm", 3.0),
                        List.of("evt-1", "evt-2"), "Two flare-ups followed runs longer than 3.0 km.", NOW));
        TopicRecords.send(bootstrap, EventCodec.toRecord(cap));
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> given().auth().oauth2(clinician)
                .get("/api/v1/athletes/" + ATHLETE + "/plan").then().statusCode(200)
                .body("constraints.maxDistanceKm", equalTo(3.0f))
                .body("displayName", equalTo("Ada Runner")));

        // A type the plan does not act on, and a type nobody knows, on the adjustments topic.
        ProducerRecord<String, byte[]> finding = EventCodec.toRecord(EventEnvelope.of(EventType.FLAREUP_WITHDRAWN, MONITOR, NOW,
                clinic, ATHLETE, new FlareUpWithdrawn(ATHLETE, clinic, "ep-1", "Merged into another episode.", NOW)));
        ProducerRecord<String, byte[]> passedOver = new ProducerRecord<>(Topic.PLAN_ADJUSTMENTS.topicName(), null,
                finding.key(), finding.value(), finding.headers());
        ProducerRecord<String, byte[]> unknown = new ProducerRecord<>(Topic.PLAN_ADJUSTMENTS.topicName(), clinic + "/" + ATHLETE,
                "{}".getBytes(StandardCharsets.UTF_8));
        String unknownId = UUID.randomUUID().toString();
        for (var h : Map.of(EventCodec.ID, unknownId, EventCodec.TYPE, "plan.adjustment.superseded", EventCodec.SOURCE, MONITOR,
                EventCodec.TIME, NOW.toString(), EventCodec.SUBJECT, ATHLETE, EventCodec.CLINIC, clinic).entrySet()) {
            unknown.headers().add(h.getKey(), h.getValue().getBytes(StandardCharsets.UTF_8));
        }
        EventEnvelope<AdjustmentWithdrawn> withdrawal = EventEnvelope.of(EventType.PLAN_ADJUSTMENT_WITHDRAWN, MONITOR, NOW, clinic,
                ATHLETE, new AdjustmentWithdrawn(capId, ATHLETE, clinic, AdjustmentType.CAP_RUN_DISTANCE,
                        "A late run showed the flare-ups came after runs within 3.0 km.", NOW));
        TopicRecords.send(bootstrap, passedOver, unknown, EventCodec.toRecord(withdrawal));

        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> given().auth().oauth2(clinician)
                .get("/api/v1/athletes/" + ATHLETE + "/plan").then().statusCode(200)
                .body("adjustments.find { it.adjustmentId == '" + capId + "' }.status", equalTo("WITHDRAWN"))
                .body("adjustments.find { it.adjustmentId == '" + capId + "' }.reason",
                        containsString("a late run showed the flare-ups came after runs within 3.0 km"))
                .body("constraints.maxDistanceKm", equalTo(5.0f)));

        given().auth().oauth2(clinician).get("/api/v1/athletes/" + ATHLETE + "/plan/history").then().statusCode(200)
                .body("events.type", hasItem("plan.adjustment-withdrawn"))
                .body("events.find { it.type == 'plan.adjustment-withdrawn' }.adjustment.status", equalTo("WITHDRAWN"))
                .body("events.find { it.type == 'plan.adjustment-withdrawn' }.reason", containsString("withdrawn by the load monitor"));
        given().auth().oauth2(clinician).get("/api/v1/adjustments?status=WITHDRAWN").then().statusCode(200)
                .body("adjustments.adjustment.adjustmentId", hasItem(capId));
        given().auth().oauth2(clinician).get("/api/v1/athletes").then().statusCode(200)
                .body("athletes.find { it.athleteId == '" + ATHLETE + "' }.displayName", equalTo("Ada Runner"));

        ConsumerRecord<String, byte[]> parked = TopicRecords.read(bootstrap, Topic.PLAN_ADJUSTMENTS.deadLetterTopicName(),
                r -> unknownId.equals(EventCodec.header(r.headers(), EventCodec.ID)), found -> !found.isEmpty(),
                Duration.ofSeconds(90)).get(0);
        assertThat(EventCodec.header(parked.headers(), Topic.DLQ_REASON_HEADER)).contains("unknown ce_type");
        List<ConsumerRecord<String, byte[]>> published = TopicRecords.read(bootstrap, Topic.PLAN_EVENTS.topicName(),
                r -> "plan.adjustment-withdrawn".equals(EventCodec.header(r.headers(), EventCodec.TYPE))
                        && (clinic + "/" + ATHLETE).equals(r.key()), found -> !found.isEmpty(), Duration.ofSeconds(90));
        assertThat(new String(published.get(0).value(), StandardCharsets.UTF_8)).contains(capId).contains("WITHDRAWN");
    }
}
