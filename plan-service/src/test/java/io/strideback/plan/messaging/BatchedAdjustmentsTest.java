package io.strideback.plan.messaging;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.strideback.events.ActivityEvents.AthleteEnrolled;
import io.strideback.events.EventCodec;
import io.strideback.events.EventEnvelope;
import io.strideback.events.EventType;
import io.strideback.events.FindingEvents.AdjustmentProposed;
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
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

/**
 * Issue 15 item 2 through the adjustments channel on a real broker and PostgreSQL: proposals sent together come in
 * poll batches applied in one transaction each. A proposal the database refuses in the middle of a batch is parked
 * on the DLQ with its reason and every other one is applied, each plan's in partition order (the last cap sent is
 * the plan's); the same records delivered again change nothing. A session on the activity topic with a body no
 * one could read is passed over by the activity channel by its {@code ce_type} header, never read nor parked there.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "plan"))
@QuarkusTestResource(LocalKeysResource.class)
class BatchedAdjustmentsTest {

    private static final Instant NOW = Instant.now().minus(Duration.ofHours(1));
    private static final double[] CAPS = {1.9, 1.7, 1.5, 1.3};

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @Inject
    AgroalDataSource dataSource;

    @Test
    void a_poison_proposal_is_parked_alone_the_rest_apply_in_order_and_a_redelivered_batch_changes_nothing()
            throws Exception {
        String clinic = "clinic-" + UUID.randomUUID();
        String clinician = Tokens.issue(clinic, "clinician");
        List<String> athletes = List.of("runner-a", "runner-b", "runner-c");
        List<ProducerRecord<String, byte[]>> enrolments = new ArrayList<>();
        for (String athlete : athletes) {
            enrolments.add(EventCodec.toRecord(EventEnvelope.of(EventType.ATHLETE_ENROLLED, "/test", NOW, clinic, athlete,
                    new AthleteEnrolled(athlete, clinic, "Runner", Diagnosis.CALF_STRAIN_SOLEUS, Side.LEFT,
                            LocalDate.now().minusDays(20), 10.0, NOW, "UTC"))));
        }
        // A session whose body is not JSON: plan-service passes it over by its header and never parks it.
        String sessionId = UUID.randomUUID().toString();
        ProducerRecord<String, byte[]> session = new ProducerRecord<>(Topic.ATHLETE_ACTIVITY.topicName(),
                clinic + "/runner-a", "{not json".getBytes(StandardCharsets.UTF_8));
        for (var h : Map.of(EventCodec.ID, sessionId, EventCodec.TYPE, EventType.SESSION_LOGGED.ceType(),
                EventCodec.SOURCE, "/test", EventCodec.TIME, NOW.toString(), EventCodec.SUBJECT, "runner-a",
                EventCodec.CLINIC, clinic).entrySet()) {
            session.headers().add(h.getKey(), h.getValue().getBytes(StandardCharsets.UTF_8));
        }
        enrolments.add(session);
        TopicRecords.send(bootstrap, enrolments.toArray(ProducerRecord[]::new));
        for (String athlete : athletes) {
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> given().auth().oauth2(clinician)
                    .get("/api/v1/athletes/" + athlete + "/plan").then().statusCode(200));
        }

        // One burst: four tightening caps per plan, interleaved, with a proposal the database refuses (a NUL in
        // its reason) between the second and third of runner-b's.
        List<ProducerRecord<String, byte[]>> burst = new ArrayList<>();
        List<String> applied = new ArrayList<>();
        String poisonId = null;
        for (int i = 0; i < CAPS.length; i++) {
            for (String athlete : athletes) {
                EventEnvelope<AdjustmentProposed> cap = cap(clinic, athlete, CAPS[i], "Flare-ups followed long runs.");
                burst.add(EventCodec.toRecord(cap));
                applied.add(cap.id());
                if (i == 1 && athlete.equals("runner-b")) {
                    EventEnvelope<AdjustmentProposed> poison = cap(clinic, athlete, 1.0, "a reason with a NUL \u0000 in it");
                    poisonId = poison.id();
                    burst.add(EventCodec.toRecord(poison));
                }
            }
        }
        TopicRecords.send(bootstrap, burst.toArray(ProducerRecord[]::new));

        String parkedId = poisonId;
        ConsumerRecord<String, byte[]> parked = TopicRecords.read(bootstrap, Topic.PLAN_ADJUSTMENTS.deadLetterTopicName(),
                r -> parkedId.equals(EventCodec.header(r.headers(), EventCodec.ID)), found -> !found.isEmpty(),
                Duration.ofSeconds(90)).get(0);
        assertThat(EventCodec.header(parked.headers(), Topic.DLQ_REASON_HEADER)).contains("SQLState 22P05");
        for (String athlete : athletes) {
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> given().auth().oauth2(clinician)
                    .get("/api/v1/athletes/" + athlete + "/plan").then().statusCode(200)
                    .body("constraints.maxDistanceKm", equalTo(1.3f)));
        }
        given().auth().oauth2(clinician).get("/api/v1/adjustments?status=APPLIED").then().statusCode(200)
                .body("adjustments.adjustment.adjustmentId", hasItems(applied.toArray()));
        assertThat(count("SELECT count(*) FROM processed_message WHERE message_id = ANY(?)", applied))
                .isEqualTo(applied.size());
        assertThat(count("SELECT count(*) FROM processed_message WHERE message_id = ANY(?)", List.of(poisonId)))
                .as("the parked proposal's id is not recorded as processed").isZero();
        long events = planEvents(clinic);
        long outbox = outboxRows(clinic);

        // The same records again (a redelivered batch), and a marker after them on each athlete's partition: the
        // consumer reads partitions independently, so runner-a's marker alone says nothing of runner-b's records.
        List<String> markers = new ArrayList<>();
        List<ProducerRecord<String, byte[]>> again = new ArrayList<>(burst);
        for (String athlete : athletes) {
            EventEnvelope<AdjustmentProposed> marker = cap(clinic, athlete, 1.1, "A marker after the redelivery.");
            markers.add(marker.id());
            again.add(EventCodec.toRecord(marker));
        }
        TopicRecords.send(bootstrap, again.toArray(ProducerRecord[]::new));
        for (String athlete : athletes) {
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> given().auth().oauth2(clinician)
                    .get("/api/v1/athletes/" + athlete + "/plan").then().statusCode(200)
                    .body("constraints.maxDistanceKm", equalTo(1.1f)));
        }
        await().atMost(Duration.ofSeconds(90)).until(() -> count(
                "SELECT count(*) FROM processed_message WHERE message_id = ANY(?)", markers) == markers.size());
        assertThat(planEvents(clinic)).as("only the markers added events").isEqualTo(events + markers.size());
        assertThat(outboxRows(clinic)).as("only the markers announced changes").isEqualTo(outbox + markers.size());
        // The clinical record reads sessions, so its channel parks this one; long after the session's turn, the
        // activity channel has not parked it too: it passed it over by its header, without reading the body.
        assertThatThrownBy(() -> TopicRecords.read(bootstrap, Topic.ATHLETE_ACTIVITY.deadLetterTopicName(),
                r -> sessionId.equals(EventCodec.header(r.headers(), EventCodec.ID)), found -> found.size() > 1,
                Duration.ofSeconds(5))).as("the session was parked once (the clinical record's), not twice")
                .isInstanceOf(AssertionError.class).hasMessageContaining("found only 1");
    }

    private static EventEnvelope<AdjustmentProposed> cap(String clinic, String athlete, double km, String reason) {
        String id = "cap-" + UUID.randomUUID();
        return new EventEnvelope<>(id, EventType.PLAN_ADJUSTMENT_PROPOSED, "/strideback/load-monitor-service", NOW, athlete,
                clinic, EventType.CURRENT_SCHEMA_VERSION, new AdjustmentProposed(id, athlete, clinic,
                AdjustmentType.CAP_RUN_DISTANCE, PatternKind.RUNNING_TRIGGERED_DISTANCE, "running-triggered-distance",
                Map.of("maxDistanceKm", km), List.of("evt-" + id), reason, NOW));
    }

    private long planEvents(String clinic) throws Exception {
        return count("SELECT count(*) FROM plan_event WHERE clinic_id = ANY(?)", List.of(clinic));
    }

    private long outboxRows(String clinic) throws Exception {
        return count("SELECT count(*) FROM outbox WHERE ce_clinic = ANY(?)", List.of(clinic));
    }

    private long count(String sql, List<String> values) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("text", values.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
