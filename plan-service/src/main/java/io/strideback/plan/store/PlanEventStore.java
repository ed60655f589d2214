package io.strideback.plan.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectReader;
import io.agroal.api.AgroalDataSource;
import io.strideback.events.EventCodec;
import io.strideback.plan.domain.*;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

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

    /**
     * One reader per stored type, built once: {@code readValue(json, Class)} looks the type and its
     * deserializer up again on every call (the rebuild reads every event of the store, issue 15 item 3).
     * The codec's mapper (it reads the stored instants without a formatter: {@link io.strideback.events.IsoInstants}).
     */
    private static final Map<String, ObjectReader> READERS;

    static {
        READERS = TYPES.entrySet().stream()
                .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, t -> EventCodec.JSON.readerFor(t.getValue())));
    }

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

    /** A plan's stream: (clinic, athlete). */
    public record PlanKey(String clinicId, String athleteId) {
    }

    /** The events of one stream after a sequence, and whether the event at that sequence is still stored. */
    public record Tail(boolean fromFound, List<StoredEvent> after) {
    }

    /**
     * The events of many streams in one query (issue 15: one history query per poll batch): for each key, the
     * events after {@code from.get(key)} (0 = the whole stream) in sequence order. The event at {@code from}
     * itself is looked for too (not read), so a caller holding the plan folded up to it learns whether that
     * stream still is what it folded ({@link Tail#fromFound()}).
     */
    public Map<PlanKey, Tail> loadAfter(Connection c, Map<PlanKey, Long> from) throws SQLException {
        Map<PlanKey, Tail> out = new java.util.HashMap<>();
        if (from.isEmpty()) {
            return out;
        }
        String[] clinics = new String[from.size()];
        String[] athletes = new String[from.size()];
        Long[] sequences = new Long[from.size()];
        int i = 0;
        for (var entry : from.entrySet()) {
            clinics[i] = entry.getKey().clinicId();
            athletes[i] = entry.getKey().athleteId();
            sequences[i] = entry.getValue();
            i++;
        }
        Map<PlanKey, Boolean> found = new java.util.HashMap<>();
        Map<PlanKey, List<StoredEvent>> events = new java.util.HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT e.clinic_id, e.athlete_id, e.sequence, e.sequence > k.after,
                       CASE WHEN e.sequence > k.after THEN e.event_type END,
                       CASE WHEN e.sequence > k.after THEN e.payload::text END
                FROM unnest(?::text[], ?::text[], ?::bigint[]) AS k(clinic_id, athlete_id, after)
                JOIN plan_event e ON e.clinic_id = k.clinic_id AND e.athlete_id = k.athlete_id AND e.sequence >= k.after
                ORDER BY e.clinic_id, e.athlete_id, e.sequence""")) {
            ps.setArray(1, c.createArrayOf("text", clinics));
            ps.setArray(2, c.createArrayOf("text", athletes));
            ps.setArray(3, c.createArrayOf("bigint", sequences));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    PlanKey key = new PlanKey(rs.getString(1), rs.getString(2));
                    if (rs.getBoolean(4)) {
                        events.computeIfAbsent(key, k -> new ArrayList<>())
                                .add(new StoredEvent(rs.getLong(3), read(rs.getString(5), rs.getString(6))));
                    } else {
                        found.put(key, true);
                    }
                }
            }
        }
        for (var entry : from.entrySet()) {
            PlanKey key = entry.getKey();
            out.put(key, new Tail(entry.getValue() == 0 || found.containsKey(key),
                    events.getOrDefault(key, List.of())));
        }
        return out;
    }

    /** The events one stream gets in a batch: after {@code expectedVersion}, caused by {@code causedBy}. */
    public record Append(String clinicId, String athleteId, long expectedVersion, List<PlanEvent> events,
                         String causedBy) {
    }

    /**
     * Appends to many streams in one JDBC batch; as {@link #append}, a writer that got to one of them first
     * makes the batch hit the primary key, and the caller retries on the new history.
     */
    public void appendAll(Connection c, List<Append> appends) throws SQLException {
        if (appends.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO plan_event"
                + " (clinic_id, athlete_id, sequence, event_type, occurred_at, payload, caused_by)"
                + " VALUES (?, ?, ?, ?, ?, ?::jsonb, ?)")) {
            for (Append a : appends) {
                long sequence = a.expectedVersion();
                for (PlanEvent e : a.events()) {
                    ps.setString(1, a.clinicId());
                    ps.setString(2, a.athleteId());
                    ps.setLong(3, ++sequence);
                    ps.setString(4, e.getClass().getSimpleName());
                    ps.setTimestamp(5, Timestamp.from(e.occurredAt()));
                    ps.setString(6, write(e));
                    ps.setString(7, a.causedBy());
                    ps.addBatch();
                }
            }
            ps.executeBatch();
        } catch (SQLException e) {
            if (isUniqueViolation(e)) {
                throw new ConcurrentPlanChangeException(appends.get(0).clinicId(), "(one of " + appends.size() + " plans)");
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
     * transaction, which is also the snapshot the scan reads. The nanoseconds spent decoding the stored JSON are
     * added to {@code decodeNanos[0]} (the rebuild's split of its scan, issue 15 item 3).
     */
    public void scanAll(Connection c, int fetchSize, EventVisitor visitor, long[] decodeNanos) throws SQLException {
        // In the primary key's order, not a sort: planned for all its rows, the scan sorted the whole store first (on
        // disk beyond work_mem, 4 MB: a third of the scan's backend CPU in the round 8 profile, and no row reached
        // the fold until the sort was done). For this transaction only.
        try (Statement st = c.createStatement()) {
            st.execute("SET LOCAL enable_sort = off");
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT clinic_id, athlete_id, sequence, event_type, payload::text"
                + " FROM plan_event ORDER BY clinic_id, athlete_id, sequence")) {
            ps.setFetchSize(fetchSize);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String clinicId = rs.getString(1);
                    String athleteId = rs.getString(2);
                    long sequence = rs.getLong(3);
                    String type = rs.getString(4);
                    byte[] payload = rs.getBytes(5);
                    long t = System.nanoTime();
                    PlanEvent event = read(type, payload);
                    decodeNanos[0] += System.nanoTime() - t;
                    visitor.visit(clinicId, athleteId, sequence, event);
                }
            }
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
                // The payload's UTF-8 bytes as they came (text results): no String made only to be parsed.
                visitor.visit(rs.getString(1), rs.getString(2), rs.getLong(3), read(rs.getString(4), rs.getBytes(5)));
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
        try {
            return reader(type).readValue(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot read stored " + type, e);
        }
    }

    /** As {@link #read(String, String)}, from the payload's UTF-8 bytes. */
    public static PlanEvent read(String type, byte[] json) {
        try {
            return reader(type).readValue(json);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read stored " + type, e);
        }
    }

    private static ObjectReader reader(String type) {
        ObjectReader reader = READERS.get(type);
        if (reader == null) {
            throw new IllegalStateException("unknown stored plan event type " + type);
        }
        return reader;
    }
}
