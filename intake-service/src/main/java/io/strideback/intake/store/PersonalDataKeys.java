package io.strideback.intake.store;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.StartupEvent;
import io.strideback.events.SealedText;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The athletes' data keys (issue 16 item 3, crypto-shredding): one random AES-256 key per athlete seals the
 * athlete's personal fields before they are published; erasure destroys it, so every sealed copy on every topic
 * becomes unreadable. Keys never leave intake: other services ask {@code POST /api/v1/personal-data/open}.
 *
 * <p>A key is stored wrapped by the master key ({@code strideback.personal-data.master-key}, base64 of 32 bytes,
 * from the environment in production, never logged), in the {@link SealedText} format with "clinic/athlete" as
 * associated data, so a wrapped key copied to another athlete's row does not open. Unwrapped keys for posting are
 * cached briefly ({@code strideback.personal-data.key-cache-ttl}): an erasure on this instance evicts at once,
 * another replica's cached key lapses within the TTL. Opening never uses the cache (it always sees an erasure).
 */
@ApplicationScoped
public class PersonalDataKeys {

    private static final int KEY_BYTES = 32;
    private static final int CACHE_SIZE = 10_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** An athlete's key (null once erased) and, when erased, when, by whom, and whether athlete.erased is out. */
    public record DataKey(String clinicId, String athleteId, byte[] key, Instant erasedAt, String erasedBy,
                          boolean erasurePublished) {
        public boolean erased() {
            return key == null;
        }
    }

    @Inject
    AgroalDataSource dataSource;

    @ConfigProperty(name = "strideback.personal-data.master-key")
    String masterKeyBase64;

    @ConfigProperty(name = "strideback.personal-data.key-cache-ttl", defaultValue = "PT30S")
    Duration cacheTtl;

    private byte[] masterKey;

    private record Cached(DataKey key, long loadedAtNanos) {
    }

    private final Map<String, Cached> cache = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
            return size() > CACHE_SIZE;
        }
    };

    void start(@Observes StartupEvent e) {
        masterKey();
    }

    /** How a (clinic, athlete) pair is named in the maps this store answers. */
    public static String ref(String clinicId, String athleteId) {
        return clinicId + "/" + athleteId;
    }

    /** A new athlete's key, written in the caller's transaction (the enrolment's). */
    public byte[] create(String clinicId, String athleteId) {
        byte[] key = newKey();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "INSERT INTO athlete_data_key (clinic_id, athlete_id, wrapped_key) VALUES (?, ?, ?)")) {
            ps.setString(1, clinicId);
            ps.setString(2, athleteId);
            ps.setString(3, wrap(key, clinicId, athleteId));
            ps.executeUpdate();
            return key;
        } catch (SQLException e) {
            throw new StoreUnavailableException(e);
        }
    }

    /**
     * The keys of a batch's athletes, for sealing: cached ones without a query, the others in one query. An
     * enrolled athlete with no key yet (enrolled before sealing) gets one now. The answer holds erased athletes
     * too (their posts answer 410), enrolled or not; an athlete absent from it was never enrolled here.
     */
    public Map<String, DataKey> forPosting(Collection<AthleteRegistry.EnrolledAthlete> wanted,
                                           Map<String, AthleteRegistry.EnrolledAthlete> enrolled) {
        Map<String, DataKey> found = new HashMap<>();
        List<AthleteRegistry.EnrolledAthlete> missing = new ArrayList<>();
        long now = System.nanoTime();
        synchronized (cache) {
            for (AthleteRegistry.EnrolledAthlete a : wanted) {
                String ref = ref(a.clinicId(), a.athleteId());
                Cached cached = cache.get(ref);
                if (cached != null && now - cached.loadedAtNanos() < cacheTtl.toNanos()) {
                    found.put(ref, cached.key());
                } else if (!found.containsKey(ref)) {
                    missing.add(a);
                }
            }
        }
        if (missing.isEmpty()) {
            return found;
        }
        Map<String, DataKey> loaded = load(missing.stream().map(AthleteRegistry.EnrolledAthlete::clinicId).toList(),
                missing.stream().map(AthleteRegistry.EnrolledAthlete::athleteId).toList());
        for (AthleteRegistry.EnrolledAthlete a : missing) {
            String ref = ref(a.clinicId(), a.athleteId());
            if (!loaded.containsKey(ref) && enrolled.containsKey(ref)) {
                loaded.put(ref, createIfAbsent(a.clinicId(), a.athleteId()));
            }
        }
        synchronized (cache) {
            long loadedAt = System.nanoTime();
            loaded.forEach((ref, key) -> cache.put(ref, new Cached(key, loadedAt)));
        }
        found.putAll(loaded);
        return found;
    }

    /**
     * The live keys of athletes of one clinic, for opening, in one query and never from the cache: an erased
     * athlete, or one not of this clinic, is absent.
     */
    public Map<String, byte[]> forOpening(String clinicId, Collection<String> athleteIds) {
        Map<String, byte[]> live = new HashMap<>();
        if (athleteIds.isEmpty()) {
            return live;
        }
        List<String> ids = List.copyOf(new java.util.LinkedHashSet<>(athleteIds));
        load(ids.stream().map(id -> clinicId).toList(), ids).forEach((ref, key) -> {
            if (!key.erased()) {
                live.put(key.athleteId(), key.key());
            }
        });
        return live;
    }

    /**
     * A key for an enrolled athlete who has none yet (enrolled before sealing), made now as a post would make it;
     * the row that is there if another request made it first (or erased the athlete meanwhile).
     */
    public DataKey forSealing(String clinicId, String athleteId) {
        return createIfAbsent(clinicId, athleteId);
    }

    /** The athlete's key row, read now (for erasure). */
    public Optional<DataKey> find(String clinicId, String athleteId) {
        return Optional.ofNullable(load(List.of(clinicId), List.of(athleteId)).get(ref(clinicId, athleteId)));
    }

    /**
     * Destroys the athlete's key in the caller's transaction: the wrapped key becomes NULL, and when and by whom
     * are kept (a repeated erasure keeps the first). The row stays as the athlete's tombstone.
     */
    public DataKey destroy(String clinicId, String athleteId, String erasedBy) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     INSERT INTO athlete_data_key AS k (clinic_id, athlete_id, wrapped_key, erased_at, erased_by)
                     VALUES (?, ?, NULL, now(), ?)
                     ON CONFLICT (clinic_id, athlete_id) DO UPDATE
                         SET wrapped_key = NULL, erased_at = COALESCE(k.erased_at, now()),
                             erased_by = COALESCE(k.erased_by, EXCLUDED.erased_by)
                     RETURNING erased_at, erased_by, erasure_published_at IS NOT NULL""")) {
            ps.setString(1, clinicId);
            ps.setString(2, athleteId);
            ps.setString(3, erasedBy);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                evict(clinicId, athleteId);
                return new DataKey(clinicId, athleteId, null, rs.getTimestamp(1).toInstant(), rs.getString(2),
                        rs.getBoolean(3));
            }
        } catch (SQLException e) {
            throw new StoreUnavailableException(e);
        }
    }

    /** athlete.erased is on the topic: nothing left to retry for this erasure. */
    public void erasurePublished(String clinicId, String athleteId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     UPDATE athlete_data_key SET erasure_published_at = now()
                     WHERE clinic_id = ? AND athlete_id = ? AND erased_at IS NOT NULL""")) {
            ps.setString(1, clinicId);
            ps.setString(2, athleteId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreUnavailableException(e);
        }
    }

    /** Erasures whose athlete.erased is not known to be on the topic, oldest first. */
    public List<DataKey> unpublishedErasures(int limit) {
        List<DataKey> found = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     SELECT clinic_id, athlete_id, erased_at, erased_by FROM athlete_data_key
                     WHERE erased_at IS NOT NULL AND erasure_published_at IS NULL ORDER BY erased_at LIMIT ?""")) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(new DataKey(rs.getString(1), rs.getString(2), null, rs.getTimestamp(3).toInstant(),
                            rs.getString(4), false));
                }
            }
            return found;
        } catch (SQLException e) {
            throw new StoreUnavailableException(e);
        }
    }

    public void evict(String clinicId, String athleteId) {
        synchronized (cache) {
            cache.remove(ref(clinicId, athleteId));
        }
    }

    private DataKey createIfAbsent(String clinicId, String athleteId) {
        byte[] key = newKey();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     INSERT INTO athlete_data_key (clinic_id, athlete_id, wrapped_key) VALUES (?, ?, ?)
                     ON CONFLICT DO NOTHING""")) {
            ps.setString(1, clinicId);
            ps.setString(2, athleteId);
            ps.setString(3, wrap(key, clinicId, athleteId));
            if (ps.executeUpdate() == 1) {
                return new DataKey(clinicId, athleteId, key, null, null, false);
            }
        } catch (SQLException e) {
            throw new StoreUnavailableException(e);
        }
        // A concurrent request created it first (or it was erased meanwhile): theirs is the key.
        return find(clinicId, athleteId).orElseThrow();
    }

    private Map<String, DataKey> load(List<String> clinicIds, List<String> athleteIds) {
        Map<String, DataKey> found = new HashMap<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     SELECT k.clinic_id, k.athlete_id, k.wrapped_key, k.erased_at, k.erased_by,
                            k.erasure_published_at IS NOT NULL
                     FROM athlete_data_key k
                     JOIN unnest(?::text[], ?::text[]) AS u(clinic_id, athlete_id)
                       ON k.clinic_id = u.clinic_id AND k.athlete_id = u.athlete_id""")) {
            ps.setArray(1, c.createArrayOf("text", clinicIds.toArray()));
            ps.setArray(2, c.createArrayOf("text", athleteIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String clinicId = rs.getString(1);
                    String athleteId = rs.getString(2);
                    String wrapped = rs.getString(3);
                    Timestamp erasedAt = rs.getTimestamp(4);
                    found.put(ref(clinicId, athleteId), new DataKey(clinicId, athleteId,
                            wrapped == null ? null : unwrap(wrapped, clinicId, athleteId),
                            erasedAt == null ? null : erasedAt.toInstant(), rs.getString(5), rs.getBoolean(6)));
                }
            }
            return found;
        } catch (SQLException e) {
            throw new StoreUnavailableException(e);
        }
    }

    private static byte[] newKey() {
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        return key;
    }

    private String wrap(byte[] key, String clinicId, String athleteId) {
        return SealedText.seal(Base64.getEncoder().encodeToString(key), masterKey(), ref(clinicId, athleteId));
    }

    private byte[] unwrap(String wrapped, String clinicId, String athleteId) {
        if (!SealedText.isSealed(wrapped)) {
            throw new IllegalStateException("the data key of an athlete of clinic " + clinicId + " is not wrapped");
        }
        return SealedText.open(wrapped, masterKey(), ref(clinicId, athleteId))
                .map(k -> Base64.getDecoder().decode(k))
                // Never the key or the master key in the message: only that this master key does not open it.
                .orElseThrow(() -> new IllegalStateException("the master key does not open the data key of an "
                        + "athlete of clinic " + clinicId + " (strideback.personal-data.master-key changed?)"));
    }

    private byte[] masterKey() {
        if (masterKey == null) {
            masterKey = MasterKey.parse(masterKeyBase64);
        }
        return masterKey;
    }

    /** The master key's configured form; its value is never part of a message. */
    static final class MasterKey {
        private MasterKey() {
        }

        static byte[] parse(String base64) {
            byte[] key;
            try {
                key = Base64.getDecoder().decode(base64 == null ? "" : base64.strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("strideback.personal-data.master-key is not base64 "
                        + "(STRIDEBACK_PERSONAL_DATA_MASTER_KEY: base64 of 32 random bytes)");
            }
            if (key.length != KEY_BYTES) {
                throw new IllegalStateException("strideback.personal-data.master-key must be base64 of 32 bytes, got "
                        + key.length + " (STRIDEBACK_PERSONAL_DATA_MASTER_KEY)");
            }
            return key;
        }
    }
}
