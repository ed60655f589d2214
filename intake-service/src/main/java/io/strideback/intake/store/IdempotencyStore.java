package io.strideback.intake.store;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/** First answers to keyed requests, per clinic (CONTRACT.md: a retry returns the first answer). */
@ApplicationScoped
public class IdempotencyStore {

    /** Keys are kept at least this long (issue: "kept at least 7 days"); older ones are purged. */
    public static final int RETENTION_DAYS = 8;

    public record FirstAnswer(String requestHash, int status, String response) {
    }

    @Inject
    AgroalDataSource dataSource;

    public Map<String, FirstAnswer> find(String clinicId, Collection<String> keys) {
        Map<String, FirstAnswer> found = new HashMap<>();
        if (keys.isEmpty()) {
            return found;
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     SELECT idem_key, request_hash, status, response FROM idempotency_key
                     WHERE clinic_id = ? AND idem_key = ANY(?)""")) {
            ps.setString(1, clinicId);
            Array array = c.createArrayOf("text", keys.toArray());
            ps.setArray(2, array);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.put(rs.getString(1), new FirstAnswer(rs.getString(2), rs.getInt(3), rs.getString(4)));
                }
            }
            return found;
        } catch (SQLException e) {
            throw new StoreUnavailableException(e);
        }
    }

    /** Records first answers; a key recorded meanwhile by a concurrent request keeps its answer. */
    public void record(String clinicId, Map<String, FirstAnswer> answers) {
        if (answers.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     INSERT INTO idempotency_key (clinic_id, idem_key, request_hash, status, response)
                     VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""")) {
            for (Map.Entry<String, FirstAnswer> e : answers.entrySet()) {
                ps.setString(1, clinicId);
                ps.setString(2, e.getKey());
                ps.setString(3, e.getValue().requestHash());
                ps.setInt(4, e.getValue().status());
                ps.setString(5, e.getValue().response());
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw new StoreUnavailableException(e);
        }
    }

    public int purgeExpired() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "DELETE FROM idempotency_key WHERE created_at < now() - make_interval(days => ?)")) {
            ps.setInt(1, RETENTION_DAYS);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreUnavailableException(e);
        }
    }
}
