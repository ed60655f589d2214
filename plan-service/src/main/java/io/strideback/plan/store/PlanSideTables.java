package io.strideback.plan.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.agroal.api.AgroalDataSource;
import io.strideback.events.EventCodec;
import io.strideback.plan.domain.Adjustment;
import io.strideback.plan.domain.ClinicPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Processed message ids, adjustments waiting for their plan, and clinic policies. */
@ApplicationScoped
public class PlanSideTables {

    @Inject
    AgroalDataSource dataSource;

    /** Records a consumed event id; false when it was processed before (a redelivery). */
    public boolean markProcessed(Connection c, String messageId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO processed_message (message_id) VALUES (?) ON CONFLICT DO NOTHING")) {
            ps.setString(1, messageId);
            return ps.executeUpdate() == 1;
        }
    }

    /** Of {@code messageIds}, the ones processed before (redeliveries), in one query for a poll batch. */
    public java.util.Set<String> processedAmong(Connection c, java.util.Collection<String> messageIds) throws SQLException {
        java.util.Set<String> seen = new java.util.HashSet<>();
        if (messageIds.isEmpty()) {
            return seen;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT message_id FROM processed_message WHERE message_id = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("text", messageIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    seen.add(rs.getString(1));
                }
            }
        }
        return seen;
    }

    /** Records consumed event ids in one statement; how many were new (fewer: another writer took some first). */
    public int markAllProcessed(Connection c, java.util.Collection<String> messageIds) throws SQLException {
        if (messageIds.isEmpty()) {
            return 0;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO processed_message (message_id) SELECT unnest(?::text[]) ON CONFLICT DO NOTHING")) {
            ps.setArray(1, c.createArrayOf("text", messageIds.toArray()));
            return ps.executeUpdate();
        }
    }

    /** The policies of these clinics in one query (a clinic without a row: AUTO_APPLY, as {@link #policy}). */
    public java.util.Map<String, ClinicPolicy> policies(Connection c, java.util.Collection<String> clinicIds)
            throws SQLException {
        java.util.Map<String, ClinicPolicy> out = new java.util.HashMap<>();
        for (String clinic : clinicIds) {
            out.put(clinic, ClinicPolicy.AUTO_APPLY);
        }
        if (clinicIds.isEmpty()) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT clinic_id, policy FROM clinic_policy WHERE clinic_id = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("text", clinicIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), ClinicPolicy.valueOf(rs.getString(2)));
                }
            }
        }
        return out;
    }

    public void defer(Connection c, String clinicId, String athleteId, Adjustment adjustment) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO deferred_adjustment (clinic_id, athlete_id, adjustment_id, payload) VALUES (?, ?, ?, ?::jsonb)
                ON CONFLICT DO NOTHING""")) {
            ps.setString(1, clinicId);
            ps.setString(2, athleteId);
            ps.setString(3, adjustment.adjustmentId());
            ps.setString(4, EventCodec.JSON.writeValueAsString(adjustment));
            ps.executeUpdate();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Drops an adjustment that waited for its plan and was withdrawn meanwhile; false when none waited. */
    public boolean undefer(Connection c, String clinicId, String athleteId, String adjustmentId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "DELETE FROM deferred_adjustment WHERE clinic_id = ? AND athlete_id = ? AND adjustment_id = ?")) {
            ps.setString(1, clinicId);
            ps.setString(2, athleteId);
            ps.setString(3, adjustmentId);
            return ps.executeUpdate() == 1;
        }
    }

    /** Takes (reads and removes) the adjustments that waited for this athlete's plan. */
    public List<Adjustment> takeDeferred(Connection c, String clinicId, String athleteId) throws SQLException {
        List<Adjustment> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                DELETE FROM deferred_adjustment WHERE clinic_id = ? AND athlete_id = ?
                RETURNING payload::text, received_at""")) {
            ps.setString(1, clinicId);
            ps.setString(2, athleteId);
            List<Object[]> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Object[]{rs.getString(1), rs.getTimestamp(2)});
                }
            }
            rows.sort(java.util.Comparator.comparing(r -> (java.sql.Timestamp) r[1]));
            for (Object[] r : rows) {
                out.add(EventCodec.JSON.readValue((String) r[0], Adjustment.class));
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    public ClinicPolicy policy(Connection c, String clinicId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT policy FROM clinic_policy WHERE clinic_id = ?")) {
            ps.setString(1, clinicId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? ClinicPolicy.valueOf(rs.getString(1)) : ClinicPolicy.AUTO_APPLY;
            }
        }
    }

    public ClinicPolicy policy(String clinicId) {
        try (Connection c = dataSource.getConnection()) {
            return policy(c, clinicId);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public void setPolicy(String clinicId, ClinicPolicy policy) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     INSERT INTO clinic_policy (clinic_id, policy) VALUES (?, ?)
                     ON CONFLICT (clinic_id) DO UPDATE SET policy = EXCLUDED.policy""")) {
            ps.setString(1, clinicId);
            ps.setString(2, policy.name());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
