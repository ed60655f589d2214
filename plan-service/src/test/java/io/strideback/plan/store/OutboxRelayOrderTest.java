package io.strideback.plan.store;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.strideback.events.EventCodec;
import io.strideback.events.Topic;
import io.strideback.support.outbox.OutboxRelay;
import io.strideback.testing.KafkaResource;
import io.strideback.testing.LocalKeysResource;
import io.strideback.testing.PostgresResource;
import io.strideback.testing.TopicRecords;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 14: with two replicas writing one outbox, ids are taken at insert and commits land in any
 * order. Three writers of one athlete, committing out of id order: the relay never publishes a row
 * while an older transaction is still in flight, and the athlete's records leave in (transaction,
 * id) order; nothing is lost.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "plan"))
@QuarkusTestResource(LocalKeysResource.class)
class OutboxRelayOrderTest {

    @Inject
    AgroalDataSource dataSource;
    @Inject
    OutboxRelay relay;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void a_row_committed_before_an_older_transaction_ends_waits_for_it() throws Exception {
        String clinic = "clinic-order-" + UUID.randomUUID();
        try (Connection first = transaction(); Connection second = transaction(); Connection third = transaction()) {
            // given three writers of one athlete: the first and second insert, the third inserts and commits
            String e0 = insert(first, clinic);
            String e1 = insert(second, clinic);
            String e2 = insert(third, clinic);
            third.commit();
            // when the oldest commits (the relay may now publish its row), the second still in flight
            first.commit();
            relay.wake();
            await().atMost(Duration.ofSeconds(60)).until(() -> published(e0));

            // then the relay ran a round that saw e2 committed, and held it back behind e1's transaction
            assertThat(published(e2)).as("e2 overtook e1, whose transaction is still in flight").isFalse();
            assertThat(published(e1)).isFalse();

            // when the second commits, both go, in order
            second.commit();
            relay.wake();
            List<ConsumerRecord<String, byte[]>> records = TopicRecords.read(bootstrap, Topic.PLAN_EVENTS.topicName(),
                    r -> clinic.equals(EventCodec.header(r.headers(), EventCodec.CLINIC)), found -> found.size() >= 3,
                    Duration.ofSeconds(60));
            assertThat(records).extracting(r -> EventCodec.header(r.headers(), EventCodec.ID))
                    .containsExactly(e0, e1, e2);
        }
    }

    @Test
    void a_rolled_back_older_transaction_releases_the_rows_behind_it() throws Exception {
        String clinic = "clinic-order-" + UUID.randomUUID();
        try (Connection older = transaction(); Connection younger = transaction()) {
            insert(older, clinic);
            String kept = insert(younger, clinic);
            younger.commit();
            older.rollback();
            relay.wake();
            await().atMost(Duration.ofSeconds(60)).until(() -> published(kept));
        }
    }

    private Connection transaction() throws Exception {
        Connection c = dataSource.getConnection();
        c.setAutoCommit(false);
        return c;
    }

    /** One outbox row for the clinic's athlete, written (not committed) on {@code c}. */
    private static String insert(Connection c, String clinic) throws Exception {
        String eventId = UUID.randomUUID().toString();
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO outbox (event_id, ce_type, ce_source, ce_time, ce_subject, ce_clinic, schema_version, payload)
                VALUES (?, 'plan.created', '/test', now(), 'ath-1', ?, 1, '\\x7b7d'::bytea)""")) {
            ps.setString(1, eventId);
            ps.setString(2, clinic);
            ps.executeUpdate();
        }
        return eventId;
    }

    private boolean published(String eventId) throws Exception {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT published_at IS NOT NULL FROM outbox WHERE event_id = ?")) {
            ps.setString(1, eventId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }
}
