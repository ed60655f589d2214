package io.strideback.loadmonitor.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.agroal.api.AgroalDataSource;
import io.strideback.events.ActivityEvents.AthleteEnrolled;
import io.strideback.events.ActivityEvents.SessionLogged;
import io.strideback.events.ActivityEvents.SymptomReported;
import io.strideback.events.EventCodec;
import io.strideback.events.vocabulary.Diagnosis;
import io.strideback.loadmonitor.domain.*;
import io.strideback.loadmonitor.mapping.FindingsMapping;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.*;
import java.time.Instant;
import java.util.*;

/** JDBC access to the load monitor's tables; every write takes the caller's transactional connection. */
@ApplicationScoped
public class LoadMonitorStore {

    @Inject
    AgroalDataSource dataSource;

    public Connection connection() throws SQLException {
        return dataSource.getConnection();
    }

    public void enrol(Connection c, AthleteEnrolled a) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO athlete (clinic_id, athlete_id, diagnosis, injury_date, symptom_free_run_km)
                VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""")) {
            ps.setString(1, a.clinicId());
            ps.setString(2, a.athleteId());
            ps.setString(3, a.diagnosis().name());
            ps.setDate(4, java.sql.Date.valueOf(a.injuryDate()));
            if (a.symptomFreeRunKm() == null) {
                ps.setNull(5, Types.DOUBLE);
            } else {
                ps.setDouble(5, a.symptomFreeRunKm());
            }
            ps.executeUpdate();
        }
    }

    public Optional<AthleteProfile> profile(Connection c, String clinicId, String athleteId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT diagnosis, injury_date, symptom_free_run_km FROM athlete WHERE clinic_id = ? AND athlete_id = ?""")) {
            ps.setString(1, clinicId);
            ps.setString(2, athleteId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                double km = rs.getDouble(3);
                return Optional.of(new AthleteProfile(athleteId, clinicId, Diagnosis.valueOf(rs.getString(1)),
                        rs.getDate(2).toLocalDate(), rs.wasNull() ? null : km));
            }
        }
    }

    public boolean athleteExists(String clinicId, String athleteId) {
        try (Connection c = dataSource.getConnection()) {
            return profile(c, clinicId, athleteId).isPresent();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stores a session or symptom; false when this event id was stored before (a redelivery). */
    public boolean remember(Connection c, String eventId, String clinicId, String athleteId, String kind,
                            Instant occurredAt, Object data) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO activity_event (event_id, clinic_id, athlete_id, kind, occurred_at, payload)
                VALUES (?, ?, ?, ?, ?, ?::jsonb) ON CONFLICT DO NOTHING""")) {
            ps.setString(1, eventId);
            ps.setString(2, clinicId);
            ps.setString(3, athleteId);
            ps.setString(4, kind);
            ps.setTimestamp(5, Timestamp.from(occurredAt));
            ps.setString(6, new String(EventCodec.writeData(data), java.nio.charset.StandardCharsets.UTF_8));
            return ps.executeUpdate() == 1;
        }
    }

    public void markToAnalyse(Connection c, String clinicId, String athleteId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO athlete_to_analyse (clinic_id, athlete_id) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
            ps.setString(1, clinicId);
            ps.setString(2, athleteId);
            ps.executeUpdate();
        }
    }

    public List<String[]> athletesToAnalyse() throws SQLException {
        List<String[]> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT clinic_id, athlete_id FROM athlete_to_analyse");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new String[]{rs.getString(1), rs.getString(2)});
            }
        }
        return out;
    }

    public void analysed(Connection c, String clinicId, String athleteId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "DELETE FROM athlete_to_analyse WHERE clinic_id = ? AND athlete_id = ?")) {
            ps.setString(1, clinicId);
            ps.setString(2, athleteId);
            ps.executeUpdate();
        }
    }

    /** The athlete's whole timeline: the set of sessions and symptoms the rules read. */
    public AthleteTimeline timeline(Connection c, AthleteProfile profile) throws SQLException {
        List<TrainingSession> sessions = new ArrayList<>();
        List<SymptomReport> symptoms = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT event_id, kind, payload::text FROM activity_event WHERE clinic_id = ? AND athlete_id = ?")) {
            ps.setString(1, profile.clinicId());
            ps.setString(2, profile.athleteId());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String id = rs.getString(1);
                    if ("session".equals(rs.getString(2))) {
                        sessions.add(FindingsMapping.session(id, read(rs.getString(3), SessionLogged.class)));
                    } else {
                        symptoms.add(FindingsMapping.symptom(id, read(rs.getString(3), SymptomReported.class)));
                    }
                }
            }
        }
        return AthleteTimeline.of(profile, sessions, symptoms);
    }

    public Map<String, String> announcedClassifications(Connection c, String clinicId, String athleteId)
            throws SQLException {
        Map<String, String> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT episode_id, classification, rule FROM episode WHERE clinic_id = ? AND athlete_id = ?")) {
            ps.setString(1, clinicId);
            ps.setString(2, athleteId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2) + "|" + rs.getString(3));
                }
            }
        }
        return out;
    }

    public void saveEpisode(Connection c, String clinicId, String athleteId, FlareUpEpisode e) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO episode (clinic_id, athlete_id, episode_id, classification, rule, started_at)
                VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (clinic_id, athlete_id, episode_id)
                DO UPDATE SET classification = EXCLUDED.classification, rule = EXCLUDED.rule""")) {
            ps.setString(1, clinicId);
            ps.setString(2, athleteId);
            ps.setString(3, e.episodeId());
            ps.setString(4, e.classification().name());
            ps.setString(5, e.rule());
            ps.setTimestamp(6, Timestamp.from(e.startedAt()));
            ps.executeUpdate();
        }
    }

    /** True when this pattern (kind, since) is new for the athlete. */
    public boolean notePattern(Connection c, String clinicId, String athleteId, DetectedPattern p) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO pattern_seen (clinic_id, athlete_id, kind, since) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING""")) {
            ps.setString(1, clinicId);
            ps.setString(2, athleteId);
            ps.setString(3, p.kind().name());
            ps.setTimestamp(4, Timestamp.from(p.since()));
            return ps.executeUpdate() == 1;
        }
    }

    /** True when this adjustment id was never proposed before. */
    public boolean noteAdjustment(Connection c, String clinicId, String athleteId, ProposedAdjustment a)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO proposed_adjustment (adjustment_id, clinic_id, athlete_id, type, proposed_at)
                VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""")) {
            ps.setString(1, a.adjustmentId());
            ps.setString(2, clinicId);
            ps.setString(3, athleteId);
            ps.setString(4, a.type().name());
            ps.setTimestamp(5, Timestamp.from(a.proposedAt()));
            return ps.executeUpdate() == 1;
        }
    }

    public void saveFindings(Connection c, String clinicId, String athleteId, FindingsMapping.FindingsView view)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO athlete_findings (clinic_id, athlete_id, findings, updated_at) VALUES (?, ?, ?::jsonb, now())
                ON CONFLICT (clinic_id, athlete_id) DO UPDATE SET findings = EXCLUDED.findings, updated_at = now()""")) {
            ps.setString(1, clinicId);
            ps.setString(2, athleteId);
            ps.setString(3, io.strideback.support.rest.ViewJson.write(view));
            ps.executeUpdate();
        }
    }

    public Optional<String> findingsJson(String clinicId, String athleteId, String part) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT findings -> ? FROM athlete_findings WHERE clinic_id = ? AND athlete_id = ?")) {
            ps.setString(1, part);
            ps.setString(2, clinicId);
            ps.setString(3, athleteId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One stored session or symptom as the timeline API shows it: its event id, kind, event time and body. */
    public record StoredActivity(String eventId, String kind, Instant occurredAt, String payloadJson) {
    }

    /** The athlete's stored sessions and symptoms in event time (empty when none; see {@link #athleteExists}). */
    public List<StoredActivity> activities(String clinicId, String athleteId) {
        List<StoredActivity> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     SELECT event_id, kind, occurred_at, payload::text FROM activity_event
                     WHERE clinic_id = ? AND athlete_id = ? ORDER BY occurred_at, event_id""")) {
            ps.setString(1, clinicId);
            ps.setString(2, athleteId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new StoredActivity(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant(),
                            rs.getString(4)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /** A clinic's athlete with its latest episodes and patterns (JSON, null before any finding). */
    public record AthleteFindings(String athleteId, String diagnosis, String episodesJson, String patternsJson) {
    }

    /** Every athlete of one clinic, with the episodes and patterns the read API serves. */
    public List<AthleteFindings> clinicAthletes(String clinicId) {
        List<AthleteFindings> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     SELECT a.athlete_id, a.diagnosis, (f.findings -> 'episodes')::text, (f.findings -> 'patterns')::text
                     FROM athlete a LEFT JOIN athlete_findings f ON f.clinic_id = a.clinic_id AND f.athlete_id = a.athlete_id
                     WHERE a.clinic_id = ? ORDER BY a.athlete_id""")) {
            ps.setString(1, clinicId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new AthleteFindings(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /** Cross-clinic counts for ops: no athlete data. */
    public List<Map<String, Object>> episodeCounts() {
        List<Map<String, Object>> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     SELECT e.clinic_id, e.classification, count(*),
                            (SELECT count(*) FROM athlete a WHERE a.clinic_id = e.clinic_id)
                     FROM episode e GROUP BY e.clinic_id, e.classification ORDER BY 1, 2""");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(Map.of("clinicId", rs.getString(1), "classification", rs.getString(2),
                        "episodes", rs.getLong(3), "athletes", rs.getLong(4)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    public Optional<String> ruleOverrides(Connection c, String clinicId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT overrides::text FROM clinic_rules WHERE clinic_id = ?")) {
            ps.setString(1, clinicId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    public void saveRuleOverrides(String clinicId, String json) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     INSERT INTO clinic_rules (clinic_id, overrides) VALUES (?, ?::jsonb)
                     ON CONFLICT (clinic_id) DO UPDATE SET overrides = EXCLUDED.overrides""")) {
            ps.setString(1, clinicId);
            ps.setString(2, json);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T read(String json, Class<T> type) {
        try {
            return EventCodec.JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored " + type.getSimpleName() + " is unreadable", e);
        }
    }
}
