package io.strideback.plan.messaging;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.strideback.events.ActivityEvents.SymptomReported;
import io.strideback.events.EventCodec;
import io.strideback.events.EventEnvelope;
import io.strideback.events.EventType;
import io.strideback.events.vocabulary.PainCharacter;
import io.strideback.events.vocabulary.PainLocation;
import io.strideback.events.vocabulary.Side;
import io.strideback.events.vocabulary.SymptomContext;
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
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 15, the measurement behind README "Speed" for what plan-service does with the activity topic's symptoms
 * (most of the topic; none changes a plan by itself): 3,000 symptom reports of 100 athletes, stored in the clinical
 * record by its channel and passed over by the plans' channel. Logged ("activity cost"): the CPU of plan-service's
 * own threads (consumers, workers, event loops; not the test's broker in this JVM) per record, and the plan
 * database's transactions per record. The test asserts that every report is in the record once.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "plan"))
@QuarkusTestResource(LocalKeysResource.class)
class ActivityCostTest {

    private static final Logger LOG = Logger.getLogger(ActivityCostTest.class);
    private static final Instant NOW = Instant.now().minus(Duration.ofDays(2));
    private static final int ATHLETES = 100;
    private static final int PER_ATHLETE = 30;
    /** plan-service's threads; the broker's and the test's own are left out. */
    private static final List<String> SERVICE_THREADS = List.of("executor-thread", "smallrye-kafka-consumer-thread",
            "vert.x-eventloop-thread", "outbox-relay", "consumer-lag-watch", "kafka-coordinator-heartbeat-thread");

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @Inject
    AgroalDataSource dataSource;
    /** The test's own queries while it waits (each a transaction of the plan database), left out of the count. */
    private volatile long ownQueries;

    @Test
    void every_symptom_of_a_burst_is_recorded_once_and_its_cost_is_logged() throws Exception {
        String clinic = "clinic-" + UUID.randomUUID();
        // Warm-up: one report per athlete, so the measured burst does not pay for class loading and the first JIT.
        send(clinic, 0, 1);
        await().atMost(Duration.ofSeconds(120)).until(() -> entries(clinic) == ATHLETES);

        long transactionsBefore = transactions();
        ownQueries = 0;
        Map<Long, Long> before = serviceThreadsCpu();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long processBefore = os.getProcessCpuTime();
        long start = System.nanoTime();
        int burst = send(clinic, 1, PER_ATHLETE);
        await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofMillis(20))
                .until(() -> entries(clinic) == (long) ATHLETES * (PER_ATHLETE + 1));
        long wallMs = (System.nanoTime() - start) / 1_000_000;
        Map<Long, Long> after = serviceThreadsCpu();
        long serviceNanos = 0;
        for (var e : after.entrySet()) {
            serviceNanos += e.getValue() - before.getOrDefault(e.getKey(), 0L);
        }
        LOG.infof("activity cost: %d symptom reports recorded in %d ms; plan-service's threads %.3f ms of CPU per "
                        + "report, this JVM (with the test's broker and producer) %.3f ms; %.2f plan database transactions "
                        + "per report", burst, wallMs, serviceNanos / 1e6 / burst,
                (os.getProcessCpuTime() - processBefore) / 1e6 / burst,
                (transactions() - transactionsBefore - ownQueries) / (double) burst);

        assertThat(count("SELECT count(DISTINCT event_id) FROM clinical_entry WHERE clinic_id = ?", clinic))
                .isEqualTo(entries(clinic));
    }

    /** Sends reports {@code from} to {@code from + n - 1} of every athlete, athletes interleaved; how many. */
    private int send(String clinic, int from, int n) {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            for (int a = 0; a < ATHLETES; a++) {
                String athlete = "runner-" + a;
                Instant at = NOW.plusSeconds(60L * i);
                records.add(EventCodec.toRecord(EventEnvelope.of(EventType.SYMPTOM_REPORTED, "/test", at, clinic,
                        athlete, new SymptomReported(athlete, clinic, at, 2, Side.LEFT, PainLocation.MID_CALF,
                                List.of(PainCharacter.TIGHTNESS), SymptomContext.AFTER_RUN, List.of(), "sore after the hills"))));
            }
        }
        TopicRecords.send(bootstrap, records.toArray(ProducerRecord[]::new));
        return records.size();
    }

    /** CPU time so far of each live thread of plan-service's, by thread id. */
    private static Map<Long, Long> serviceThreadsCpu() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<Long, Long> out = new HashMap<>();
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && SERVICE_THREADS.stream().anyMatch(info.getThreadName()::startsWith)) {
                long cpu = threads.getThreadCpuTime(info.getThreadId());
                if (cpu >= 0) {
                    out.put(info.getThreadId(), cpu);
                }
            }
        }
        return out;
    }

    private long transactions() throws Exception {
        // pg_stat_database is the statistics snapshot of this session's transaction: clear it to read it again.
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement clear = c.prepareStatement("SELECT pg_stat_clear_snapshot()")) {
                clear.execute();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = current_database()");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private long entries(String clinic) throws Exception {
        return count("SELECT count(*) FROM clinical_entry WHERE clinic_id = ?", clinic);
    }

    private long count(String sql, String clinic) throws Exception {
        ownQueries++;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, clinic);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
