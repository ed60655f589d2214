package io.strideback.plan.store;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.strideback.support.outbox.OutboxPurge;
import io.strideback.testing.KafkaResource;
import io.strideback.testing.LocalKeysResource;
import io.strideback.testing.PostgresResource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 12: outbox rows published more than the retention (7 days) ago go; younger ones stay. */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "plan"))
@QuarkusTestResource(LocalKeysResource.class)
class OutboxPurgeTest {

    @Inject
    AgroalDataSource dataSource;
    @Inject
    OutboxPurge purge;
    @Inject
    MeterRegistry metrics;

    @Test
    void rows_published_before_the_retention_are_removed_and_younger_ones_kept() throws Exception {
        String old = published("8 days");
        String young = published("6 days");
        double before = purged();

        purge.run();

        assertThat(exists(old)).as("published 8 days ago").isFalse();
        assertThat(exists(young)).as("published 6 days ago").isTrue();
        assertThat(purged() - before).isGreaterThanOrEqualTo(1);
    }

    private String published(String ago) throws Exception {
        String eventId = UUID.randomUUID().toString();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO outbox (event_id, ce_type, ce_source, ce_time, ce_subject, ce_clinic, schema_version, payload,
                                    created_at, published_at)
                VALUES (?, 'plan.created', '/test', now(), 'ath-1', 'clinic-1', 1, '\\x7b7d'::bytea,
                        now() - ?::interval, now() - ?::interval)""")) {
            ps.setString(1, eventId);
            ps.setString(2, ago);
            ps.setString(3, ago);
            ps.executeUpdate();
        }
        return eventId;
    }

    private boolean exists(String eventId) throws Exception {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT 1 FROM outbox WHERE event_id = ?")) {
            ps.setString(1, eventId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private double purged() {
        return metrics.find("strideback.purged.rows").tag("table", "outbox").counters().stream()
                .mapToDouble(Counter::count).sum();
    }
}
