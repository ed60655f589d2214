package io.strideback.intake.store;

import io.agroal.api.AgroalDataSource;
import io.strideback.events.ActivityEvents.AthleteEnrolled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Enrolled athletes per clinic. A found one is cached; only an erasure removes an athlete (issue 16), and it
 * forgets the cached entry ({@link #forget}); its key row then answers 410 before this cache is asked.
 */
@ApplicationScoped
public class AthleteRegistry {

    /** What intake needs to know about an enrolled athlete to judge a fact about them. */
    public record EnrolledAthlete(String clinicId, String athleteId, LocalDate injuryDate) {
    }

    @Inject
    AgroalDataSource dataSource;

    private final ConcurrentHashMap<String, EnrolledAthlete> known = new ConcurrentHashMap<>();

    public Optional<EnrolledAthlete> find(String clinicId, String athleteId) {
        String cacheKey = clinicId + "/" + athleteId;
        EnrolledAthlete cached = known.get(cacheKey);
        if (cached != null) {
            return Optional.of(cached);
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT injury_date FROM athlete WHERE clinic_id = ? AND athlete_id = ?")) {
            ps.setString(1, clinicId);
            ps.setString(2, athleteId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                EnrolledAthlete athlete = new EnrolledAthlete(clinicId, athleteId, rs.getDate(1).toLocalDate());
                known.put(cacheKey, athlete);
                return Optional.of(athlete);
            }
        } catch (SQLException e) {
            throw new StoreUnavailableException(e);
        }
    }

    /**
     * The enrolled athletes among (clinic, athlete) pairs, keyed {@code clinic + "/" + athlete}: the
     * cached ones without a query, the others in one query for a whole batch of requests.
     */
    public java.util.Map<String, EnrolledAthlete> findAll(java.util.Collection<EnrolledAthlete> wanted) {
        java.util.Map<String, EnrolledAthlete> found = new java.util.HashMap<>();
        java.util.List<EnrolledAthlete> missing = new java.util.ArrayList<>();
        for (EnrolledAthlete w : wanted) {
            String cacheKey = w.clinicId() + "/" + w.athleteId();
            EnrolledAthlete cached = known.get(cacheKey);
            if (cached != null) {
                found.put(cacheKey, cached);
            } else if (!found.containsKey(cacheKey)) {
                missing.add(w);
            }
        }
        if (missing.isEmpty()) {
            return found;
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     SELECT a.clinic_id, a.athlete_id, a.injury_date FROM athlete a
                     JOIN unnest(?::text[], ?::text[]) AS u(clinic_id, athlete_id)
                       ON a.clinic_id = u.clinic_id AND a.athlete_id = u.athlete_id""")) {
            ps.setArray(1, c.createArrayOf("text", missing.stream().map(EnrolledAthlete::clinicId).toArray()));
            ps.setArray(2, c.createArrayOf("text", missing.stream().map(EnrolledAthlete::athleteId).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    EnrolledAthlete athlete = new EnrolledAthlete(rs.getString(1), rs.getString(2),
                            rs.getDate(3).toLocalDate());
                    String cacheKey = athlete.clinicId() + "/" + athlete.athleteId();
                    known.put(cacheKey, athlete);
                    found.put(cacheKey, athlete);
                }
            }
            return found;
        } catch (SQLException e) {
            throw new StoreUnavailableException(e);
        }
    }

    /** Removes an erased athlete's row (and its display name) in the caller's transaction; false when absent. */
    public boolean remove(String clinicId, String athleteId) {
        forget(clinicId, athleteId);
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM athlete WHERE clinic_id = ? AND athlete_id = ?")) {
            ps.setString(1, clinicId);
            ps.setString(2, athleteId);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new StoreUnavailableException(e);
        }
    }

    public void forget(String clinicId, String athleteId) {
        known.remove(clinicId + "/" + athleteId);
    }

    /** Inserts the athlete in the caller's transaction; false when the id is taken in this clinic. */
    public boolean insert(AthleteEnrolled a) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     INSERT INTO athlete (clinic_id, athlete_id, display_name, diagnosis, side, injury_date, enrolled_at)
                     VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""")) {
            ps.setString(1, a.clinicId());
            ps.setString(2, a.athleteId());
            ps.setString(3, a.displayName());
            ps.setString(4, a.diagnosis().name());
            ps.setString(5, a.side().name());
            ps.setDate(6, Date.valueOf(a.injuryDate()));
            ps.setTimestamp(7, Timestamp.from(a.enrolledAt()));
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new StoreUnavailableException(e);
        }
    }
}
