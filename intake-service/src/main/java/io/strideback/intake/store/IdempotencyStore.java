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

    /**
     * Records first answers about one athlete (erasure removes them); a key recorded meanwhile by a concurrent
     * request keeps its answer.
     */
    public void record(String clinicId, String athleteId, Map<String, FirstAnswer> answers) {
        if (answers.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     INSERT INTO idempotency_key (clinic_id, idem_key, request_hash, status, response, athlete_id)
                     VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""")) {
            for (Map.Entry<String, FirstAnswer> e : answers.entrySet()) {
                ps.setString(1, clinicId);
                ps.setString(2, e.getKey());
                ps.setString(3, e.getValue().requestHash());
                ps.setInt(4, e.getValue().status());
                ps.setString(5, e.getValue().response());
                ps.setString(6, athleteId);
                ps.addBatch();
            }
            ps.executeBatch();
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

    /**
     * One keyed item of a batch: its key, the request hash and event id it would be claimed with,
     * the wearable's key as stored before scoping (or null), and whether to claim it (a valid item,
     * the first with this key in the batch) or only to look it up.
     */
    public record KeyClaim(String clinicId, String key, String requestHash, String eventId, String legacyKey,
                           boolean claim, String athleteId) {
    }

    /** What one round trip found: first answers by {@link #ref} (before this claim), and the keys now claimed. */
    public record ClaimOutcome(Map<String, FirstAnswer> found, Set<String> claimed) {
    }

    /** How a (clinic, key) pair is named in {@link ClaimOutcome}. */
    public static String ref(String clinicId, String key) {
        return clinicId + "\n" + key;
    }

    /**
     * Claims and looks up the keys of many requests in ONE statement (issue 15: one round trip and one
     * commit for a whole batch instead of a look-up, a claim and an update per post). The look-up reads
     * the snapshot taken before the insert, so it returns the first answers that already existed; a
     * key claimed by a concurrent transaction meanwhile is neither found nor claimed (that request's
     * to publish). A key whose legacy (unscoped) source key answered the same request is not claimed:
     * that answer is replayed instead.
     */
    public ClaimOutcome claimOrFind(List<KeyClaim> items) {
        Map<String, FirstAnswer> found = new HashMap<>();
        Set<String> claimed = new HashSet<>();
        if (items.isEmpty()) {
            return new ClaimOutcome(found, claimed);
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     WITH input AS (
                         SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::boolean[],
                                              ?::text[])
                             AS u(clinic_id, idem_key, request_hash, response, legacy_key, claim, athlete_id)),
                     claimed AS (
                         INSERT INTO idempotency_key (clinic_id, idem_key, request_hash, status, response, athlete_id)
                         SELECT i.clinic_id, i.idem_key, i.request_hash, 0, i.response, i.athlete_id FROM input i
                         WHERE i.claim AND NOT EXISTS (SELECT 1 FROM idempotency_key l
                             WHERE l.clinic_id = i.clinic_id AND l.idem_key = i.legacy_key
                               AND l.status <> 0 AND l.request_hash = i.request_hash)
                         ON CONFLICT DO NOTHING RETURNING clinic_id, idem_key)
                     SELECT clinic_id, idem_key, true, NULL, 0, NULL, NULL::timestamptz FROM claimed
                     UNION ALL
                     SELECT k.clinic_id, k.idem_key, false, k.request_hash, k.status, k.response, k.created_at
                     FROM idempotency_key k
                     WHERE (k.clinic_id, k.idem_key) IN (SELECT clinic_id, idem_key FROM input
                                                         UNION SELECT clinic_id, legacy_key FROM input
                                                         WHERE legacy_key IS NOT NULL)""")) {
            ps.setArray(1, c.createArrayOf("text", items.stream().map(KeyClaim::clinicId).toArray()));
            ps.setArray(2, c.createArrayOf("text", items.stream().map(KeyClaim::key).toArray()));
            ps.setArray(3, c.createArrayOf("text", items.stream().map(KeyClaim::requestHash).toArray()));
            ps.setArray(4, c.createArrayOf("text", items.stream().map(KeyClaim::eventId).toArray()));
            ps.setArray(5, c.createArrayOf("text", items.stream().map(KeyClaim::legacyKey).toArray()));
            ps.setArray(6, c.createArrayOf("boolean", items.stream().map(KeyClaim::claim).toArray()));
            ps.setArray(7, c.createArrayOf("text", items.stream().map(KeyClaim::athleteId).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String ref = ref(rs.getString(1), rs.getString(2));
                    if (rs.getBoolean(3)) {
                        claimed.add(ref);
                    } else {
                        found.put(ref, new FirstAnswer(rs.getString(4), rs.getInt(5), rs.getString(6),
                                rs.getTimestamp(7).toInstant()));
                    }
                }
            }
            return new ClaimOutcome(found, claimed);
        } catch (SQLException e) {
            throw new StoreUnavailableException(e);
        }
    }

    /**
     * Removes the erased athlete's keys (issue 16: a source key holds a wearable's id, a request hash a body):
     * the rows that name the athlete, and older source keys, which name the athlete inside the key
     * ({@code source:["kind","athleteId","provider","externalId"]}, see ActivityMapping.sourceKey).
     */
    public int forgetAthlete(String clinicId, String athleteId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     DELETE FROM idempotency_key WHERE clinic_id = ?
                       AND (athlete_id = ? OR (athlete_id IS NULL AND starts_with(idem_key, 'source:[')
                            AND strpos(idem_key, ?) > 0))""")) {
            ps.setString(1, clinicId);
            ps.setString(2, athleteId);
            // The athlete id as the key's JSON array holds it, between the kind and the provider.
            ps.setString(3, "," + io.strideback.events.EventCodec.JSON.writeValueAsString(athleteId) + ",");
            return ps.executeUpdate();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        } catch (SQLException e) {
            throw new StoreUnavailableException(e);
        }
    }

    /** A key of a clinic, as the batched completion carries it. */
    public record ClinicKey(String clinicId, String key) {
    }

    /** Marks claimed keys of any clinics answered 202 in one statement (their events are on the topic). */
    public void completeAll(Collection<ClinicKey> keys) {
        if (keys.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     UPDATE idempotency_key k SET status = 202
                     FROM unnest(?::text[], ?::text[]) AS u(clinic_id, idem_key)
                     WHERE k.clinic_id = u.clinic_id AND k.idem_key = u.idem_key AND k.status = 0""")) {
            ps.setArray(1, c.createArrayOf("text", keys.stream().map(ClinicKey::clinicId).toArray()));
            ps.setArray(2, c.createArrayOf("text", keys.stream().map(ClinicKey::key).toArray()));
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
