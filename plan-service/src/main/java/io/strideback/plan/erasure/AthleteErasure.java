package io.strideback.plan.erasure;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.agroal.api.AgroalDataSource;
import io.strideback.events.ActivityEvents.AthleteErased;
import io.strideback.plan.audit.AuditLog;
import io.strideback.plan.store.PlanEventStore.PlanKey;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * CONTRACT v2 erasure, plan-service's side (issue 16 item 3): on {@code athlete.erased} everything plan-service holds
 * for the athlete goes in one transaction (plan view, the plan's event stream, its adjustments and deferred ones, the
 * display name, the FHIR export's clinical record, the athlete's outbox rows), the erasure is remembered in
 * {@code erased_athlete} (ids and a time, no personal data: V23) and written to the audit log. The remembered
 * erasure is what keeps a late event, a replay or a rebuild from making the athlete again ({@link #isErased}).
 * Idempotent: the plan's channel and the clinical record's channel both apply the same event, in either order.
 */
@ApplicationScoped
public class AthleteErasure {

    /** The audit log's {@code what} for an erasure. */
    public static final String AUDIT_WHAT = "athlete.erased";

    /** Every table with a row per athlete, keyed by (clinic_id, athlete_id). */
    private static final List<String> ATHLETE_TABLES = List.of("plan_adjustment_view", "plan_view", "plan_event",
            "deferred_adjustment", "athlete_name", "clinical_entry", "clinical_athlete");

    @Inject
    AgroalDataSource dataSource;
    @Inject
    AuditLog audit;

    /**
     * Drops the athlete and records the erasure, with its audit entry (the event id is the entry id: a redelivery,
     * or the other channel's copy of the event, adds nothing). Under the plan's own lock, so a plan command running
     * at the same time either commits before (and is dropped) or sees the erasure (and changes nothing).
     */
    @Transactional(rollbackOn = Exception.class)
    public void erase(String eventId, String source, AthleteErased erased) throws SQLException {
        String clinicId = erased.clinicId();
        String athleteId = erased.athleteId();
        Instant at = erased.erasedAt() == null ? Instant.now() : erased.erasedAt();
        try (Connection c = dataSource.getConnection()) {
            try (var lock = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))")) {
                lock.setString(1, clinicId + "/" + athleteId); // PlanTransaction's lock of this plan
                lock.execute();
            }
            for (String table : ATHLETE_TABLES) {
                try (PreparedStatement ps = c.prepareStatement(
                        "DELETE FROM " + table + " WHERE clinic_id = ? AND athlete_id = ?")) {
                    ps.setString(1, clinicId);
                    ps.setString(2, athleteId);
                    ps.executeUpdate();
                }
            }
            // The plan's events not yet published (and the published ones kept for retention): the athlete is gone,
            // so nothing more of theirs goes out. The relay's "mark published" of a row it just sent then finds none.
            for (String table : List.of("outbox", "outbox_dead_letter")) {
                try (PreparedStatement ps = c.prepareStatement(
                        "DELETE FROM " + table + " WHERE ce_clinic = ? AND ce_subject = ?")) {
                    ps.setString(1, clinicId);
                    ps.setString(2, athleteId);
                    ps.executeUpdate();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO erased_athlete (clinic_id, athlete_id, erased_at) VALUES (?, ?, ?)
                    ON CONFLICT (clinic_id, athlete_id) DO NOTHING""")) {
                ps.setString(1, clinicId);
                ps.setString(2, athleteId);
                ps.setTimestamp(3, Timestamp.from(at));
                ps.executeUpdate();
            }
            // Who erased whom and when; no name, no note (issue 16 item 2).
            audit.append(c, new AuditLog.Entry(eventId, clinicId, at,
                    erased.erasedBy() == null ? "unknown" : erased.erasedBy(), AUDIT_WHAT, "athlete/" + athleteId,
                    null, JsonNodeFactory.instance.objectNode().put("erased", true), source));
        }
    }

    /** Whether the clinic erased the athlete, on the caller's connection (inside its transaction). */
    public static boolean isErased(Connection c, String clinicId, String athleteId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT 1 FROM erased_athlete WHERE clinic_id = ? AND athlete_id = ?")) {
            ps.setString(1, clinicId);
            ps.setString(2, athleteId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * Which of these plans' athletes are erased, in one query however many there are (a poll batch asks once, not
     * once per plan: issue 15 item 2's set-based writes, read side).
     */
    public static Set<PlanKey> erasedAmong(Connection c, Collection<PlanKey> plans) throws SQLException {
        Set<PlanKey> erased = new HashSet<>();
        if (plans.isEmpty()) {
            return erased;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT e.clinic_id, e.athlete_id"
                + " FROM unnest(?::text[], ?::text[]) AS p(clinic_id, athlete_id)"
                + " JOIN erased_athlete e ON e.clinic_id = p.clinic_id AND e.athlete_id = p.athlete_id")) {
            ps.setArray(1, c.createArrayOf("text", plans.stream().map(PlanKey::clinicId).toArray()));
            ps.setArray(2, c.createArrayOf("text", plans.stream().map(PlanKey::athleteId).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    erased.add(new PlanKey(rs.getString(1), rs.getString(2)));
                }
            }
        }
        return erased;
    }

    public boolean isErased(String clinicId, String athleteId) {
        try (Connection c = dataSource.getConnection()) {
            return isErased(c, clinicId, athleteId);
        } catch (SQLException e) {
            throw new IllegalStateException("plan store unavailable: " + e.getMessage(), e);
        }
    }

    /** Whether any clinic erased an athlete with this id: the runner's page has only the id of its link. */
    public boolean isErasedAnywhere(String athleteId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT 1 FROM erased_athlete WHERE athlete_id = ? LIMIT 1")) {
            ps.setString(1, athleteId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("plan store unavailable: " + e.getMessage(), e);
        }
    }
}
