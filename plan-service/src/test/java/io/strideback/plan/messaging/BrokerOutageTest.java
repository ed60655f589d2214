package io.strideback.plan.messaging;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.strideback.events.ActivityEvents.SymptomReported;
import io.strideback.events.EventCodec;
import io.strideback.events.EventEnvelope;
import io.strideback.events.EventType;
import io.strideback.events.Topic;
import io.strideback.events.vocabulary.PainCharacter;
import io.strideback.events.vocabulary.PainLocation;
import io.strideback.events.vocabulary.Side;
import io.strideback.events.vocabulary.SymptomContext;
import io.strideback.support.messaging.ConsumerChannels;
import io.strideback.support.ops.ConsumerChannelsHealthCheck;
import io.strideback.testing.LocalKafka;
import io.strideback.testing.LocalKeysResource;
import io.strideback.testing.PostgresResource;
import io.strideback.testing.StoppableBroker;
import io.strideback.testing.TopicRecords;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * Issue 15 "Done when": a broker outage never ends a channel ("a transient failure is retried without skipping";
 * "every instance can die at any time"). The clinical record's channel (now the activity channel, which keeps it)
 * once stayed failed, and readiness DOWN, after its first look-up of a partition's committed offset timed out while
 * the broker was down.
 * Given records the channel has already fetched from partitions it has not read since its assignment, held back
 * by a busy database (a table lock) until the broker is stopped: that look-up fails (here after 3 s, in production
 * after {@code default.api.timeout.ms}'s 60 s), the channel shows it is retrying, and once the broker is back every
 * record sent before, during and after the outage is in the clinical record exactly once, nothing parked, and the
 * service is ready again.
 */
@QuarkusTest
@TestProfile(BrokerOutageTest.OwnBroker.class)
class BrokerOutageTest {

    /** The service on a broker of its own, which this test stops; a committed-offset read gives up after 3 s. */
    public static class OwnBroker implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mp.messaging.incoming.activity.default.api.timeout.ms", "3000");
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(StoppableBroker.class),
                    new TestResourceEntry(PostgresResource.class, Map.of("database", "plan")),
                    new TestResourceEntry(LocalKeysResource.class));
        }
    }

    private static final String CHANNEL = "activity";
    private static final String GROUP = "plan-service-activity-and-record";
    private static final Instant NOW = Instant.now().minus(Duration.ofHours(1));
    private static final Duration KAFKA = Duration.ofSeconds(120);

    @Inject
    AgroalDataSource dataSource;
    @Inject
    KafkaClientService kafka;
    @Inject
    ConsumerChannels channels;

    private final String clinic = "outage-" + UUID.randomUUID();
    private final List<String> sent = new ArrayList<>();
    private int minute;

    @Test
    void records_before_during_and_after_a_broker_outage_are_recorded_once_and_the_service_is_ready_again()
            throws Exception {
        String bootstrap = StoppableBroker.bootstrapServers();
        assertThat(LocalKafka.LOCAL_PARTITIONS).as("the partitions this test places records on").isEqualTo(6);
        // Before: partitions 0-2 only, so 3-5 stay unread since the channel's assignment.
        send(bootstrap, 0, 1, 2);
        await().atMost(KAFKA).until(() -> recorded(sent) == sent.size());

        // The broker's shutdown sometimes makes the channel give its partitions back first (a rejoin on changed
        // metadata); the fetched records are then dropped and read again after the restart, and there is no look-up
        // to fail. That outcome loses nothing, but proves nothing either: then the channel is given its partitions
        // afresh and the outage tried again, until one lands between the fetch and the look-up.
        boolean retried = false;
        for (int attempt = 1; !retried; attempt++) {
            assertThat(attempt).as("outages tried before one fell between a fetch and its offset look-up")
                    .isLessThanOrEqualTo(5);
            if (attempt > 1) {
                await().atMost(KAFKA).until(() -> recorded(sent) == sent.size());
                assignedAfresh(bootstrap);
            }
            try (Connection lock = dataSource.getConnection()) {
                lock.setAutoCommit(false);
                try (Statement s = lock.createStatement()) {
                    s.execute("LOCK TABLE clinical_entry IN SHARE MODE"); // the channel's insert waits behind it
                }
                send(bootstrap, 0);
                await().atMost(KAFKA).until(this::insertWaits);
                // During: fetched by the channel, not yet handed on, when the broker goes.
                Map<TopicPartition, Long> ends = send(bootstrap, 3, 4, 5);
                await().atMost(KAFKA).until(() -> fetched(ends));
                StoppableBroker.stopBroker();
                lock.rollback();
            }
            try {
                retried = within(Duration.ofSeconds(30), () -> channels.channel(CHANNEL).retryingSince().isPresent());
                if (retried) {
                    assertThat(channels.failure(channels.channel(CHANNEL))).as("the channel retries, it has not failed")
                            .isEmpty();
                }
            } finally {
                StoppableBroker.restartBroker();
            }
        }

        // After: every partition again.
        send(bootstrap, 0, 1, 2, 3, 4, 5);
        await().atMost(KAFKA).until(() -> recorded(sent) == sent.size());
        assertThat(entriesOfTheClinic()).as("each record once, nothing else").isEqualTo(sent.size());
        await().atMost(KAFKA).untilAsserted(() -> RestAssured.given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == '" + ConsumerChannelsHealthCheck.NAME + "' }.data.'" + CHANNEL + "'",
                        equalTo("running")));
        assertThat(channels.channel(CHANNEL).parked()).as("nothing parked").isZero();
    }

    /** One symptom on each of {@code partitions}; the ends of those partitions after them. */
    private Map<TopicPartition, Long> send(String bootstrap, int... partitions) {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        for (int p : partitions) {
            EventEnvelope<SymptomReported> symptom = symptom("runner-" + p);
            ProducerRecord<String, byte[]> r = EventCodec.toRecord(symptom);
            records.add(new ProducerRecord<>(r.topic(), p, r.key(), r.value(), r.headers()));
            sent.add(symptom.id());
        }
        TopicRecords.send(bootstrap, records.toArray(ProducerRecord[]::new));
        Map<TopicPartition, Long> ends = new HashMap<>();
        try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            Map<TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest = new HashMap<>();
            for (int p : partitions) {
                latest.put(new TopicPartition(Topic.ATHLETE_ACTIVITY.topicName(), p),
                        org.apache.kafka.clients.admin.OffsetSpec.latest());
            }
            admin.listOffsets(latest).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return ends;
    }

    /** Whether {@code condition} holds within {@code limit}. */
    private static boolean within(Duration limit, java.util.concurrent.Callable<Boolean> condition) {
        try {
            await().atMost(limit).until(condition);
            return true;
        } catch (org.awaitility.core.ConditionTimeoutException notYet) {
            return false;
        }
    }

    /**
     * A new assignment for the channel, so no partition has been read since: a second member joins its group
     * (taking some partitions, committing nothing) and leaves, and the channel holds every partition again.
     */
    private void assignedAfresh(String bootstrap) {
        try (var member = new org.apache.kafka.clients.consumer.KafkaConsumer<String, byte[]>(Map.of(
                "bootstrap.servers", bootstrap, "group.id", GROUP, "enable.auto.commit", "false",
                "key.deserializer", org.apache.kafka.common.serialization.StringDeserializer.class.getName(),
                "value.deserializer", org.apache.kafka.common.serialization.ByteArrayDeserializer.class.getName()))) {
            member.subscribe(List.of(Topic.ATHLETE_ACTIVITY.topicName()));
            await().atMost(KAFKA).until(() -> {
                member.poll(Duration.ofMillis(100));
                return !member.assignment().isEmpty();
            });
        }
        await().atMost(KAFKA).until(() -> kafka.<Object, Object>getConsumer(CHANNEL)
                .runOnPollingThread(c -> c.assignment().size() == LocalKafka.LOCAL_PARTITIONS)
                .await().atMost(Duration.ofSeconds(10)));
    }

    /** The channel's consumer has fetched every record up to {@code ends} (its position, not what it applied). */
    private boolean fetched(Map<TopicPartition, Long> ends) {
        java.util.function.Function<org.apache.kafka.clients.consumer.Consumer<Object, Object>, Boolean> all =
                c -> ends.entrySet().stream()
                        .allMatch(e -> c.assignment().contains(e.getKey()) && c.position(e.getKey()) >= e.getValue());
        return kafka.<Object, Object>getConsumer(CHANNEL).runOnPollingThread(all).await().atMost(Duration.ofSeconds(10));
    }

    /** The channel's insert is waiting for the test's table lock. */
    private boolean insertWaits() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                     + " AND query LIKE '%INSERT INTO clinical_entry%'")) {
            rs.next();
            return rs.getLong(1) > 0;
        }
    }

    private EventEnvelope<SymptomReported> symptom(String athleteId) {
        Instant at = NOW.plusSeconds(60L * minute++);
        return EventEnvelope.of(EventType.SYMPTOM_REPORTED, "/test", at, clinic, athleteId,
                new SymptomReported(athleteId, clinic, at, 2, Side.LEFT, PainLocation.MID_CALF,
                        List.of(PainCharacter.TIGHTNESS), SymptomContext.AFTER_RUN, List.of(), "sore"));
    }

    private long recorded(List<String> eventIds) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM clinical_entry WHERE clinic_id = ? AND event_id = ANY(?)")) {
            ps.setString(1, clinic);
            ps.setArray(2, c.createArrayOf("text", eventIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private long entriesOfTheClinic() throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM clinical_entry WHERE clinic_id = ?")) {
            ps.setString(1, clinic);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
