package io.strideback.plan.store;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.strideback.events.ActivityEvents.AssessmentRecorded;
import io.strideback.events.ActivityEvents.AthleteEnrolled;
import io.strideback.events.ActivityEvents.SideCounts;
import io.strideback.events.EventCodec;
import io.strideback.events.EventEnvelope;
import io.strideback.events.EventType;
import io.strideback.events.FindingEvents.AdjustmentProposed;
import io.strideback.events.vocabulary.AdjustmentType;
import io.strideback.events.vocabulary.Diagnosis;
import io.strideback.events.vocabulary.PatternKind;
import io.strideback.events.vocabulary.Side;
import io.strideback.support.kafka.KafkaProducers;
import io.strideback.testing.KafkaResource;
import io.strideback.testing.LocalKeysResource;
import io.strideback.testing.PostgresResource;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 12: consumed event ids are purged after their retention, and a redelivery that comes after
 * its id was purged (a consumer group whose offsets expired restarts from the earliest offset)
 * still changes nothing: the plan aggregate drops it. Black box on the real broker and database:
 * the events go through the topics and plan-service's own consumers.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "plan"))
@QuarkusTestResource(LocalKeysResource.class)
class ProcessedIdPurgeTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Inject
    AgroalDataSource dataSource;
    @Inject
    ProcessedMessagePurge purge;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private KafkaProducer<String, byte[]> producer;
    private final String clinic = "clinic-" + UUID.randomUUID();
    private final String athlete = "ath-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeEach
    void producer() {
        producer = KafkaProducers.durable(bootstrapServers, "processed-id-purge-test", 10_000, 30_000);
    }

    @AfterEach
    void close() {
        producer.close(Duration.ofSeconds(5));
    }

    @Test
    void ids_past_their_retention_are_purged_and_younger_ones_kept() throws Exception {
        String old = "old-" + UUID.randomUUID();
        String young = "young-" + UUID.randomUUID();
        update("INSERT INTO processed_message (message_id, processed_at) VALUES (?, now() - interval '46 days'), "
                + "(?, now() - interval '44 days')", old, young);

        purge.run();

        assertThat(processed(old)).as("an id older than the 45-day retention").isFalse();
        assertThat(processed(young)).as("an id younger than the retention").isTrue();
    }

    @Test
    void a_retention_shorter_than_a_proposal_can_come_again_is_not_applied() {
        assertThat(purge.retention()).isEqualTo(Duration.ofDays(45));
        assertThat(ProcessedMessagePurge.applied(Duration.ofDays(2))).isEqualTo(ProcessedMessagePurge.SHORTEST_RETENTION);
        assertThat(ProcessedMessagePurge.applied(Duration.ofDays(90))).isEqualTo(Duration.ofDays(90));
    }

    @Test
    void a_redelivered_enrolment_and_adjustment_whose_ids_were_purged_change_nothing() throws Exception {
        EventEnvelope<AthleteEnrolled> enrolment = event(UUID.randomUUID().toString(), EventType.ATHLETE_ENROLLED,
                new AthleteEnrolled(athlete, clinic, "Test Runner", Diagnosis.CALF_STRAIN_SOLEUS, Side.LEFT,
                        LocalDate.now(ZoneOffset.UTC).minusDays(30), 3.0, Instant.now()));
        EventEnvelope<AdjustmentProposed> cap = proposal("adj-" + UUID.randomUUID(), 3.0);
        send(enrolment);
        awaitPlanEvents(List.of("PlanCreated " + enrolment.id()));
        send(cap);
        awaitPlanEvents(List.of("PlanCreated " + enrolment.id(), "AdjustmentApplied " + cap.id()));
        int outboxBefore = outboxRows();

        // Both ids processed long ago, and purged: as after 45 days.
        update("UPDATE processed_message SET processed_at = now() - interval '60 days' WHERE message_id IN (?, ?)",
                enrolment.id(), cap.id());
        purge.run();
        assertThat(processed(enrolment.id())).isFalse();
        assertThat(processed(cap.id())).isFalse();

        // The group restarts from the earliest offset: both come again, each followed by a new event
        // on the same partition, applied only after the redelivery before it was handled.
        EventEnvelope<AssessmentRecorded> assessment = event(UUID.randomUUID().toString(),
                EventType.ASSESSMENT_RECORDED, new AssessmentRecorded(athlete, clinic, Instant.now(),
                        new SideCounts(22, 30), 1, true, null, null, null, null));
        EventEnvelope<AdjustmentProposed> tighterCap = proposal("adj-" + UUID.randomUUID(), 2.0);
        send(enrolment);
        send(assessment);
        send(cap);
        send(tighterCap);

        awaitPlanEvents(List.of("PlanCreated " + enrolment.id(), "AdjustmentApplied " + cap.id(),
                "AssessmentNoted " + assessment.id(), "AdjustmentApplied " + tighterCap.id()));
        assertThat(outboxRows()).as("published: only the two new events").isEqualTo(outboxBefore + 2);
    }

    private EventEnvelope<AdjustmentProposed> proposal(String adjustmentId, double maxDistanceKm) {
        return event(adjustmentId, EventType.PLAN_ADJUSTMENT_PROPOSED, new AdjustmentProposed(adjustmentId, athlete,
                clinic, AdjustmentType.CAP_RUN_DISTANCE, PatternKind.RUNNING_TRIGGERED_DISTANCE, "flare-ups after longer runs",
                Map.of("maxDistanceKm", maxDistanceKm), List.of(), "Two flare-ups followed runs longer than that.",
                Instant.now()));
    }

    private <T> EventEnvelope<T> event(String id, EventType type, T data) {
        return new EventEnvelope<>(id, type, "/test", Instant.now(), athlete, clinic, EventType.CURRENT_SCHEMA_VERSION,
                data);
    }

    private void send(EventEnvelope<?> event) throws Exception {
        producer.send(EventCodec.toRecord(event)).get(30, TimeUnit.SECONDS);
    }

    /**
     * Waits until the plan holds every expected event, then checks it holds nothing else (the two
     * topics have no order between them, so the last two may come in either order).
     */
    private void awaitPlanEvents(List<String> expected) throws Exception {
        await().atMost(PATIENCE).until(() -> planEvents().containsAll(expected));
        assertThat(planEvents()).containsExactlyInAnyOrderElementsOf(expected);
    }

    /** The plan's events as "type caused-by-id", in sequence. */
    private List<String> planEvents() throws Exception {
        List<String> types = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT event_type, caused_by FROM plan_event WHERE clinic_id = ? AND athlete_id = ? ORDER BY sequence")) {
            ps.setString(1, clinic);
            ps.setString(2, athlete);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    types.add(rs.getString(1) + " " + rs.getString(2));
                }
            }
        }
        return types;
    }

    private int outboxRows() throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM outbox WHERE ce_clinic = ? AND ce_subject = ?")) {
            ps.setString(1, clinic);
            ps.setString(2, athlete);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private boolean processed(String messageId) throws Exception {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT 1 FROM processed_message WHERE message_id = ?")) {
            ps.setString(1, messageId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private void update(String sql, Object... args) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.executeUpdate();
        }
    }
}
