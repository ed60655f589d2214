package io.strideback.intake.store;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
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

/**
 * First answers to keyed requests, per clinic (CONTRACT.md: a retry returns the first answer). Kept
 * {@code strideback.purge.idempotency-key.retention} (8 days), then purged by {@code IdempotencyKeyPurge}.
 */
@ApplicationScoped
public class IdempotencyStore {

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

    /** A key claimed and never marked answered: the settle job's work (see {@code PendingKeys}). */
    public record PendingKey(String clinicId, String key, String eventId, Instant claimedAt) {
    }

    /** PENDING keys claimed more than {@code olderThan} ago, oldest first, at most {@code limit}. */
    public List<PendingKey> pendingOlderThan(Duration olderThan, int limit) {
        List<PendingKey> found = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     SELECT clinic_id, idem_key, response, created_at FROM idempotency_key
                     WHERE status = 0 AND created_at < now() - make_interval(secs => ?)
                     ORDER BY created_at LIMIT ?""")) {
            ps.setDouble(1, olderThan.toMillis() / 1000.0);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(new PendingKey(rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getTimestamp(4).toInstant()));
                }
            }
            return found;
        } catch (SQLException e) {
            throw new StoreUnavailableException(e);
        }
    }

    /**
     * Takes over a PENDING key whose event is not on the topic, for the retry that publishes it now:
     * its claim time becomes now, so a later look-up searches around this publication and not around
     * the first one. Only if the claim is still the one that was searched for (same claim time): a
     * concurrent retry or the settle job that got there first wins, and this one answers 503 to retry.
     */
    public boolean reclaim(String clinicId, String key, Instant claimedAt) {
        return compareAndSet("UPDATE idempotency_key SET created_at = now()", clinicId, key, claimedAt);
    }

    /**
     * Frees a PENDING key whose event is not on the topic (the settle job): nothing was accepted under
     * it, as 202 is answered only once the broker acknowledged, so its retry is a new request and
     * publishes under the same event id (derived from the key). Same compare-and-set as {@link #reclaim}.
     */
    public boolean release(String clinicId, String key, Instant claimedAt) {
        return compareAndSet("DELETE FROM idempotency_key", clinicId, key, claimedAt);
    }

    private boolean compareAndSet(String change, String clinicId, String key, Instant claimedAt) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(change
                     + " WHERE clinic_id = ? AND idem_key = ? AND status = 0 AND created_at = ?")) {
            ps.setString(1, clinicId);
            ps.setString(2, key);
            ps.setObject(3, OffsetDateTime.ofInstant(claimedAt, ZoneOffset.UTC));
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new StoreUnavailableException(e);
        }
    }
}
