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
import io.strideback.events.vocabulary.AdjustmentType;
import io.strideback.events.vocabulary.Diagnosis;
import io.strideback.events.vocabulary.PatternKind;
import io.strideback.events.vocabulary.Side;
import io.strideback.testing.KafkaResource;
import io.strideback.testing.LocalKeysResource;
import io.strideback.testing.PostgresResource;
import io.strideback.testing.TopicRecords;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 15 item 2, the measurement behind README "Speed": 1,000 proposals for 40 plans (25 each) through the
 * adjustments channel, and the CPU this JVM spent until every one was applied. The JVM also runs the test's
 * broker, so the figure is an upper bound of plan-service's own cost; it is logged ("adjustment cost"), the
 * test asserts only that every proposal was applied and each plan has all its adjustments.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "plan"))
@QuarkusTestResource(LocalKeysResource.class)
class AdjustmentCostTest {

    private static final Logger LOG = Logger.getLogger(AdjustmentCostTest.class);
    private static final Instant NOW = Instant.now().minus(Duration.ofHours(2));
    private static final int ATHLETES = 40;
    private static final int PER_ATHLETE = 25;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @Inject
    AgroalDataSource dataSource;

    @Test
    void every_proposal_of_a_burst_is_applied_and_its_cost_is_logged() throws Exception {
        String clinic = "clinic-" + UUID.randomUUID();
        List<ProducerRecord<String, byte[]>> enrolments = new ArrayList<>();
        for (int a = 0; a < ATHLETES; a++) {
            String athlete = "runner-" + a;
            enrolments.add(EventCodec.toRecord(EventEnvelope.of(EventType.ATHLETE_ENROLLED, "/test", NOW, clinic, athlete,
                    new AthleteEnrolled(athlete, clinic, "Runner " + a, Diagnosis.CALF_STRAIN_SOLEUS, Side.LEFT,
                            LocalDate.now().minusDays(20), 12.0, NOW, "UTC"))));
        }
        TopicRecords.send(bootstrap, enrolments.toArray(ProducerRecord[]::new));
        await().atMost(Duration.ofSeconds(120)).until(() -> count(
                "SELECT count(*) FROM plan_view WHERE clinic_id = ?", clinic) == ATHLETES);

        // Warm-up: one proposal per plan, so the measured burst does not pay for class loading and JIT.
        List<ProducerRecord<String, byte[]>> warmUp = new ArrayList<>();
        for (int a = 0; a < ATHLETES; a++) {
            warmUp.add(proposal(clinic, "runner-" + a, 11.9));
        }
        TopicRecords.send(bootstrap, warmUp.toArray(ProducerRecord[]::new));
        await().atMost(Duration.ofSeconds(120)).until(() -> count(
                "SELECT count(*) FROM plan_adjustment_view WHERE clinic_id = ?", clinic) == ATHLETES);

        List<ProducerRecord<String, byte[]>> burst = new ArrayList<>();
        for (int i = 0; i < PER_ATHLETE; i++) {
            for (int a = 0; a < ATHLETES; a++) {
                burst.add(proposal(clinic, "runner-" + a, 11.5 - i * 0.3));
            }
        }
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpuBefore = os.getProcessCpuTime();
        long start = System.nanoTime();
        TopicRecords.send(bootstrap, burst.toArray(ProducerRecord[]::new));
        int expected = ATHLETES * (PER_ATHLETE + 1);
        await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofMillis(20)).until(() -> count(
                "SELECT count(*) FROM plan_adjustment_view WHERE clinic_id = ?", clinic) == expected);
        long wallMs = (System.nanoTime() - start) / 1_000_000;
        double cpuMsPerAdjustment = (os.getProcessCpuTime() - cpuBefore) / 1e6 / burst.size();
        LOG.infof("adjustment cost: %d proposals for %d plans applied in %d ms, %.2f ms of this JVM's CPU each "
                + "(plan-service and the test's broker)", burst.size(), ATHLETES, wallMs, cpuMsPerAdjustment);

        for (int a = 0; a < ATHLETES; a++) {
            assertThat(count("SELECT count(*) FROM plan_event WHERE clinic_id = ? AND athlete_id = '" + "runner-" + a
                    + "' AND event_type IN ('AdjustmentApplied', 'AdjustmentPending', 'AdjustmentRejected')", clinic))
                    .as("runner-%d decided every proposal once", a).isEqualTo(PER_ATHLETE + 1);
        }
    }

    private static ProducerRecord<String, byte[]> proposal(String clinic, String athlete, double km) {
        String id = "cap-" + UUID.randomUUID();
        return EventCodec.toRecord(EventEnvelope.of(EventType.PLAN_ADJUSTMENT_PROPOSED, "/strideback/load-monitor-service",
                NOW, clinic, athlete, new AdjustmentProposed(id, athlete, clinic, AdjustmentType.CAP_RUN_DISTANCE,
                        PatternKind.RUNNING_TRIGGERED_DISTANCE, "running-triggered-distance", Map.of("maxDistanceKm", km),
                        List.of("evt-" + id), "Flare-ups followed runs longer than " + km + " km.", NOW)));
    }

    private long count(String sql, String clinic) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, clinic);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
