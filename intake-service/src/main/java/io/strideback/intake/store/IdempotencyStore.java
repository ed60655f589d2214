package io.strideback.intake.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

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

    /** The status of a key claimed by a request whose publication is not known to have finished. */
    public static final int PENDING = 0;

    /** A key's first answer: its status (or {@link #PENDING}), and the event id or body it answered with. */
    public record FirstAnswer(String requestHash, int status, String response, Instant createdAt) {
        public FirstAnswer(String requestHash, int status, String response) {
            this(requestHash, status, response, null);
        }

        public boolean pending() {
            return status == PENDING;
        }
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
                     SELECT idem_key, request_hash, status, response, created_at FROM idempotency_key
                     WHERE clinic_id = ? AND idem_key = ANY(?)""")) {
            ps.setString(1, clinicId);
            Array array = c.createArrayOf("text", keys.toArray());
            ps.setArray(2, array);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.put(rs.getString(1), new FirstAnswer(rs.getString(2), rs.getInt(3), rs.getString(4),
                            rs.getTimestamp(5).toInstant()));
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

    /**
     * Claims keys before their events are published: each row says PENDING with the event id it
     * will carry. A crash after the broker acknowledged and before {@link #complete} leaves the claim,
     * so the retry knows to look on the topic before publishing again (issue 7: every accepted event
     * on the topic exactly once).
     *
     * @return the keys claimed; a key missing was claimed meanwhile by a concurrent request
     */
    public Set<String> claim(String clinicId, Map<String, FirstAnswer> pending) {
        Set<String> claimed = new HashSet<>();
        if (pending.isEmpty()) {
            return claimed;
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     INSERT INTO idempotency_key (clinic_id, idem_key, request_hash, status, response)
                     SELECT ?, k, h, 0, r FROM unnest(?::text[], ?::text[], ?::text[]) AS u(k, h, r)
                     ON CONFLICT DO NOTHING RETURNING idem_key""")) {
            List<String> keys = new ArrayList<>(pending.keySet());
            ps.setString(1, clinicId);
            ps.setArray(2, c.createArrayOf("text", keys.toArray()));
            ps.setArray(3, c.createArrayOf("text", keys.stream().map(k -> pending.get(k).requestHash()).toArray()));
            ps.setArray(4, c.createArrayOf("text", keys.stream().map(k -> pending.get(k).response()).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    claimed.add(rs.getString(1));
                }
            }
            return claimed;
        } catch (SQLException e) {
            throw new StoreUnavailableException(e);
        }
    }

    /** Marks claimed keys answered 202: their events are on the topic. */
    public void complete(String clinicId, Collection<String> keys) {
        if (keys.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     UPDATE idempotency_key SET status = 202 WHERE clinic_id = ? AND idem_key = ANY(?) AND status = 0""")) {
            ps.setString(1, clinicId);
            ps.setArray(2, c.createArrayOf("text", keys.toArray()));
            ps.executeUpdate();
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
