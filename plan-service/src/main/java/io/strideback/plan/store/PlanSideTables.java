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

    /**
     * Records a consumed event id with the digest of its record's body ({@code EventCodec.bodyDigest}); false when it
     * was processed before with the same body (a redelivery) or with no digest kept (a row from before V27).
     *
     * @throws ReusedMessageIdException when the id was processed before with another body (round 17: a rogue writer)
     */
    public boolean markProcessed(Connection c, String messageId, byte[] bodyDigest) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO processed_message (message_id, body_digest) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
            ps.setString(1, messageId);
            ps.setBytes(2, bodyDigest);
            if (ps.executeUpdate() == 1) {
                return true;
            }
        }
        String reused = EventCodec.idReused(messageId, processedAmong(c, List.of(messageId)).get(messageId),
                bodyDigest);
        if (reused != null) {
            throw new ReusedMessageIdException(reused);
        }
        return false;
    }

    /**
     * Of {@code messageIds}, the ones processed before, each with the digest of the body it was processed with (null:
     * none kept, a row from before V27), in one query for a poll batch.
     */
    public java.util.Map<String, byte[]> processedAmong(Connection c, java.util.Collection<String> messageIds)
            throws SQLException {
        java.util.Map<String, byte[]> seen = new java.util.HashMap<>();
        if (messageIds.isEmpty()) {
            return seen;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT message_id, body_digest FROM processed_message WHERE message_id = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("text", messageIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    seen.put(rs.getString(1), rs.getBytes(2));
                }
            }
        }
        return seen;
    }

    /**
     * Records consumed event ids with their bodies' digests (null: none) in one statement; how many were new (fewer:
     * another writer took some first).
     */
    public int markAllProcessed(Connection c, java.util.Map<String, byte[]> bodyDigests) throws SQLException {
        if (bodyDigests.isEmpty()) {
            return 0;
        }
        List<String> ids = new ArrayList<>(bodyDigests.keySet());
        String[] digests = new String[ids.size()];
        for (int i = 0; i < digests.length; i++) {
            byte[] digest = bodyDigests.get(ids.get(i));
            digests[i] = digest == null ? null : java.util.HexFormat.of().formatHex(digest);
        }
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO processed_message (message_id, body_digest)
                SELECT id, decode(digest, 'hex') FROM unnest(?::text[], ?::text[]) AS n (id, digest)
                ON CONFLICT DO NOTHING""")) {
            ps.setArray(1, c.createArrayOf("text", ids.toArray()));
            ps.setArray(2, c.createArrayOf("text", digests));
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
