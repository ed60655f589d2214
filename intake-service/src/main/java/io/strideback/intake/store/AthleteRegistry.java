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

/** Enrolled athletes per clinic. Athletes are never removed, so a found one is cached. */
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
