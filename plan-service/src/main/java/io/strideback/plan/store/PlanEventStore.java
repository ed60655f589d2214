package io.strideback.plan.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.agroal.api.AgroalDataSource;
import io.strideback.events.EventCodec;
import io.strideback.plan.domain.*;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Append-only plan events in PostgreSQL, one stream per (clinic, athlete). */
@ApplicationScoped
public class PlanEventStore {

    /** Stored names of the domain's event classes: renaming a class never orphans stored events. */
    private static final Map<String, Class<? extends PlanEvent>> TYPES = Map.of(
            "PlanCreated", PlanCreated.class,
            "AdjustmentApplied", AdjustmentApplied.class,
            "AdjustmentPending", AdjustmentPending.class,
            "AdjustmentRejected", AdjustmentRejected.class,
            "PhaseChanged", PhaseChanged.class,
            "AssessmentNoted", AssessmentNoted.class,
            "ReferralCleared", ReferralCleared.class,
            "AdjustmentWithdrawn", AdjustmentWithdrawn.class);

    public record StoredEvent(long sequence, PlanEvent event) {
    }

    @Inject
    AgroalDataSource dataSource;

    public List<StoredEvent> load(Connection c, String clinicId, String athleteId, Instant asOf) throws SQLException {
        String sql = "SELECT sequence, event_type, payload FROM plan_event WHERE clinic_id = ? AND athlete_id = ?"
                + (asOf != null ? " AND occurred_at <= ?" : "") + " ORDER BY sequence";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, clinicId);
            ps.setString(2, athleteId);
            if (asOf != null) {
                ps.setTimestamp(3, Timestamp.from(asOf));
            }
            List<StoredEvent> events = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    events.add(new StoredEvent(rs.getLong(1), read(rs.getString(2), rs.getString(3))));
                }
            }
            return events;
        }
    }

    public List<StoredEvent> load(String clinicId, String athleteId, Instant asOf) {
        try (Connection c = dataSource.getConnection()) {
            return load(c, clinicId, athleteId, asOf);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read plan events", e);
        }
    }

    /**
     * Appends after {@code expectedVersion}; a concurrent writer that got there first makes the
     * insert hit the primary key, and the caller retries on the new history.
     */
    public void append(Connection c, String clinicId, String athleteId, long expectedVersion, List<PlanEvent> events,
                       String causedBy) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO plan_event (clinic_id, athlete_id, sequence, event_type, occurred_at, payload, caused_by)
                VALUES (?, ?, ?, ?, ?, ?::jsonb, ?)""")) {
            long sequence = expectedVersion;
            for (PlanEvent e : events) {
                ps.setString(1, clinicId);
                ps.setString(2, athleteId);
                ps.setLong(3, ++sequence);
                ps.setString(4, e.getClass().getSimpleName());
                ps.setTimestamp(5, Timestamp.from(e.occurredAt()));
                ps.setString(6, write(e));
                ps.setString(7, causedBy);
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            if (isUniqueViolation(e)) {
                throw new ConcurrentPlanChangeException(clinicId, athleteId);
            }
            throw e;
        }
    }

    /** One stored event as a scan hands it over, its plan's key beside it. */
    public interface EventVisitor {
        void visit(String clinicId, String athleteId, long sequence, PlanEvent event) throws SQLException;
    }

    /**
     * Every event of every plan, plan after plan and each plan's in sequence order, read through a
     * server-side cursor ({@code fetchSize} rows per round trip) so the store never sits in memory
     * (the rebuild, issue 15). PgJDBC only streams with autocommit off: the caller owns {@code c}'s
     * transaction, which is also the snapshot the scan reads.
     */
    public void scanAll(Connection c, int fetchSize, EventVisitor visitor) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT clinic_id, athlete_id, sequence, event_type, payload::text FROM plan_event
                ORDER BY clinic_id, athlete_id, sequence""")) {
            ps.setFetchSize(fetchSize);
            visitRows(ps, visitor);
        }
    }

    /** The events of the given plans in the order of {@link #scanAll}, in one query. */
    public void scanPlans(Connection c, List<PlanProjection.PlanRef> plans, EventVisitor visitor) throws SQLException {
        if (plans.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT e.clinic_id, e.athlete_id, e.sequence, e.event_type, e.payload::text
                FROM unnest(?::text[], ?::text[]) AS p(clinic_id, athlete_id)
                JOIN plan_event e ON e.clinic_id = p.clinic_id AND e.athlete_id = p.athlete_id
                ORDER BY e.clinic_id, e.athlete_id, e.sequence""")) {
            ps.setArray(1, c.createArrayOf("text", plans.stream().map(PlanProjection.PlanRef::clinicId).toArray()));
            ps.setArray(2, c.createArrayOf("text", plans.stream().map(PlanProjection.PlanRef::athleteId).toArray()));
            ps.setFetchSize(1000);
            visitRows(ps, visitor);
        }
    }

    private static void visitRows(PreparedStatement ps, EventVisitor visitor) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                visitor.visit(rs.getString(1), rs.getString(2), rs.getLong(3), read(rs.getString(4), rs.getString(5)));
            }
        }
    }

    static boolean isUniqueViolation(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && "23505".equals(s.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    public static String write(PlanEvent e) {
        try {
            return EventCodec.JSON.writeValueAsString(e);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("cannot store " + e.getClass().getSimpleName(), ex);
        }
    }

    public static PlanEvent read(String type, String json) {
        Class<? extends PlanEvent> cls = TYPES.get(type);
        if (cls == null) {
            throw new IllegalStateException("unknown stored plan event type " + type);
        }
        try {
            return EventCodec.JSON.readValue(json, cls);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot read stored " + type, e);
        }
    }
}
