package io.strideback.support.outbox;

import io.strideback.events.EventCodec;
import io.strideback.events.EventEnvelope;
import io.strideback.support.tracing.KafkaTracing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;

/**
 * The transactional outbox (debezium-examples/outbox): an event row is written on the same
 * connection, in the same transaction, as the state change it announces. {@link OutboxRelay}
 * publishes committed rows; a rolled-back change leaves no row, so no event.
 *
 * <p>Every service that writes through an outbox has the {@code outbox} table of its V1 migration
 * and the {@code traceparent} column of its V2: the trace context of the transaction that wrote the
 * row (a consumer's span), so the record the relay sends later continues that trace.
 */
public final class Outbox {
    private Outbox() {
    }

    public static void append(Connection connection, EventEnvelope<?> event) throws SQLException {
        appendAll(connection, java.util.List.of(event));
    }

    /** Appends events in one round trip, in list order (the relay publishes them in that order). */
    public static void appendAll(Connection connection, java.util.List<EventEnvelope<?>> events) throws SQLException {
        String traceparent = KafkaTracing.currentTraceparent();
        appendAll(connection, events, java.util.Collections.nCopies(events.size(), traceparent));
    }

    /**
     * Appends events written for several incoming records in one round trip (a consumer's poll batch), each with
     * the trace context of the record it answers ({@code traceparents}, by index; null for none).
     */
    public static void appendAll(Connection connection, java.util.List<EventEnvelope<?>> events,
                                 java.util.List<String> traceparents) throws SQLException {
        if (events.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = connection.prepareStatement("""
                INSERT INTO outbox (event_id, ce_type, ce_source, ce_time, ce_subject, ce_clinic, schema_version, payload,
                                    traceparent)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            for (int i = 0; i < events.size(); i++) {
                EventEnvelope<?> event = events.get(i);
                ps.setString(1, event.id());
                ps.setString(2, event.type().ceType());
                ps.setString(3, event.source());
                ps.setTimestamp(4, Timestamp.from(event.time()));
                ps.setString(5, event.subject());
                ps.setString(6, event.clinicId());
                ps.setInt(7, event.schemaVersion());
                ps.setBytes(8, EventCodec.writeData(event.data()));
                ps.setString(9, traceparents.get(i));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
