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
                INSERT INTO athlete (clinic_id, athlete_id, diagnosis, injury_date, symptom_free_run_km, time_zone)
                VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""")) {
            ps.setString(1, a.clinicId());
            ps.setString(2, a.athleteId());
            ps.setString(3, a.diagnosis().name());
            ps.setDate(4, java.sql.Date.valueOf(a.injuryDate()));
            if (a.symptomFreeRunKm() == null) {
                ps.setNull(5, Types.DOUBLE);
            } else {
                ps.setDouble(5, a.symptomFreeRunKm());
            }
            ps.setString(6, a.timeZone());
            ps.executeUpdate();
        }
    }

    public Optional<AthleteProfile> profile(Connection c, String clinicId, String athleteId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT diagnosis, injury_date, symptom_free_run_km, time_zone FROM athlete
                WHERE clinic_id = ? AND athlete_id = ?""")) {
            ps.setString(1, clinicId);
            ps.setString(2, athleteId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                double km = rs.getDouble(3);
                Double declared = rs.wasNull() ? null : km;
                return Optional.of(new AthleteProfile(athleteId, clinicId, Diagnosis.valueOf(rs.getString(1)),
                        rs.getDate(2).toLocalDate(), declared, zone(rs.getString(4))));
            }
        }
    }

    /** The athlete's zone; intake accepts only IANA names, so anything else (or none) leaves the clinic's. */
    private static java.time.ZoneId zone(String name) {
        if (name == null || !java.time.ZoneId.getAvailableZoneIds().contains(name)) {
            return null;
        }
        return java.time.ZoneId.of(name);
    }

    public boolean athleteExists(String clinicId, String athleteId) {
        try (Connection c = dataSource.getConnection()) {
            return profile(c, clinicId, athleteId).isPresent();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A session or symptom to store: its event id, owner, kind ("session" or "symptom"), event time and data JSON. */
    public record Activity(String eventId, String clinicId, String athleteId, String kind, Instant occurredAt,
                           String payloadJson) {
    }

    /**
     * Stores sessions and symptoms in one round trip; result i is false when activity i's event id
     * was stored before (a redelivery), which then changes nothing.
     */
    public boolean[] remember(Connection c, List<Activity> activities) throws SQLException {
        boolean[] stored = new boolean[activities.size()];
        if (activities.isEmpty()) {
            return stored;
        }
        // One statement for the whole batch (arrays, unnest), answering which ids were new: profiled,
        // a replay's storing was bound by executing one insert per event.
        int n = activities.size();
        Object[] ids = new Object[n];
        Object[] clinics = new Object[n];
        Object[] athletes = new Object[n];
        Object[] kinds = new Object[n];
        Object[] times = new Object[n];
        Object[] payloads = new Object[n];
        for (int i = 0; i < n; i++) {
            Activity a = activities.get(i);
            ids[i] = a.eventId();
            clinics[i] = a.clinicId();
            athletes[i] = a.athleteId();
            kinds[i] = a.kind();
            times[i] = a.occurredAt().toString();
            payloads[i] = a.payloadJson();
        }
        Set<String> inserted = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO activity_event (event_id, clinic_id, athlete_id, kind, occurred_at, payload)
                SELECT e, c, a, k, t::timestamptz, p::jsonb
                FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[]) AS u(e, c, a, k, t, p)
                ON CONFLICT DO NOTHING RETURNING event_id""")) {
            ps.setArray(1, c.createArrayOf("text", ids));
            ps.setArray(2, c.createArrayOf("text", clinics));
            ps.setArray(3, c.createArrayOf("text", athletes));
            ps.setArray(4, c.createArrayOf("text", kinds));
            ps.setArray(5, c.createArrayOf("text", times));
            ps.setArray(6, c.createArrayOf("text", payloads));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    inserted.add(rs.getString(1));
                }
            }
        }
        for (int i = 0; i < n; i++) {
            // The first of two copies of one id in the same batch is the one stored.
            stored[i] = inserted.remove(activities.get(i).eventId());
        }
        return stored;
    }

    /** Marks athletes (clinic id, athlete id) as having events not yet analysed. */
    public void markToAnalyse(Connection c, Collection<List<String>> athletes) throws SQLException {
        if (athletes.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO athlete_to_analyse (clinic_id, athlete_id) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
            for (List<String> athlete : athletes) {
                ps.setString(1, athlete.get(0));
                ps.setString(2, athlete.get(1));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Marked athletes, oldest marks first is not promised: every one is analysed before the next poll. */
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

    public long athletesToAnalyseCount() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM athlete_to_analyse");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            return -1;
        }
    }

    public void analysed(Connection c, List<String[]> athletes) throws SQLException {
        for (String sql : List.of("DELETE FROM athlete_to_analyse WHERE clinic_id = ? AND athlete_id = ?",
                "DELETE FROM analysis_failure WHERE clinic_id = ? AND athlete_id = ?")) {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (String[] athlete : athletes) {
                    ps.setString(1, athlete[0]);
                    ps.setString(2, athlete[1]);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
    }

    /** Records an athlete whose analysis failed for good, and clears their mark (see V4). */
    public void analysisFailed(Connection c, String clinicId, String athleteId, String reason) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO analysis_failure (clinic_id, athlete_id, reason) VALUES (?, ?, ?)
                ON CONFLICT (clinic_id, athlete_id) DO UPDATE SET reason = EXCLUDED.reason, failed_at = now()""")) {
            ps.setString(1, clinicId);
            ps.setString(2, athleteId);
            // A reason is an exception's message: keep it printable for the table and the ops status.
            ps.setString(3, reason.replaceAll("[\\p{Cntrl}&&[^\\t\\n]]", "?"));
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "DELETE FROM athlete_to_analyse WHERE clinic_id = ? AND athlete_id = ?")) {
            ps.setString(1, clinicId);
            ps.setString(2, athleteId);
            ps.executeUpdate();
        }
    }

    /** How many athletes could not be analysed, for the metrics and the ops summary. */
    public long analysisFailureCount() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM analysis_failure");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            return -1;
        }
    }

    /** The enrolled athletes among these (clinic id, athlete id), by {@link #key}. */
    public Map<String, AthleteProfile> profiles(Connection c, List<String[]> athletes) throws SQLException {
        Map<String, AthleteProfile> out = new HashMap<>();
        if (athletes.isEmpty()) {
            return out;
        }
        Set<String> wanted = keys(athletes);
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT clinic_id, athlete_id, diagnosis, injury_date, symptom_free_run_km, time_zone FROM athlete
                WHERE clinic_id = ANY(?) AND athlete_id = ANY(?)""")) {
            ps.setArray(1, c.createArrayOf("text", athletes.stream().map(a -> a[0]).distinct().toArray()));
            ps.setArray(2, c.createArrayOf("text", athletes.stream().map(a -> a[1]).distinct().toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String key = key(rs.getString(1), rs.getString(2));
                    if (wanted.contains(key)) {
                        double km = rs.getDouble(5);
                        Double declared = rs.wasNull() ? null : km;
                        out.put(key, new AthleteProfile(rs.getString(2), rs.getString(1),
                                Diagnosis.valueOf(rs.getString(3)), rs.getDate(4).toLocalDate(), declared,
                                zone(rs.getString(6))));
                    }
                }
            }
        }
        return out;
    }

    /** These athletes' whole timelines (the sets of sessions and symptoms the rules read), by {@link #key}. */
    public Map<String, AthleteTimeline> timelines(Connection c, Collection<AthleteProfile> profiles) throws SQLException {
        Map<String, AthleteTimeline> out = new HashMap<>();
        if (profiles.isEmpty()) {
            return out;
        }
        Map<String, List<TrainingSession>> sessions = new HashMap<>();
        Map<String, List<SymptomReport>> symptoms = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT clinic_id, athlete_id, event_id, kind, payload::text FROM activity_event
                WHERE clinic_id = ANY(?) AND athlete_id = ANY(?)""")) {
            ps.setArray(1, c.createArrayOf("text", profiles.stream().map(AthleteProfile::clinicId).distinct().toArray()));
            ps.setArray(2, c.createArrayOf("text", profiles.stream().map(AthleteProfile::athleteId).distinct().toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String key = key(rs.getString(1), rs.getString(2));
                    String id = rs.getString(3);
                    if ("session".equals(rs.getString(4))) {
                        sessions.computeIfAbsent(key, k -> new ArrayList<>())
                                .add(FindingsMapping.session(id, read(rs.getString(5), SessionLogged.class)));
                    } else {
                        symptoms.computeIfAbsent(key, k -> new ArrayList<>())
                                .add(FindingsMapping.symptom(id, read(rs.getString(5), SymptomReported.class)));
                    }
                }
            }
        }
        for (AthleteProfile p : profiles) {
            String key = key(p.clinicId(), p.athleteId());
            out.put(key, AthleteTimeline.of(p, sessions.getOrDefault(key, List.of()), symptoms.getOrDefault(key, List.of())));
        }
        return out;
    }

    /** How the batch reads name an athlete. */
    public static String key(String clinicId, String athleteId) {
        return clinicId + '\u0000' + athleteId;
    }

    private static Set<String> keys(List<String[]> athletes) {
        Set<String> out = new HashSet<>();
        athletes.forEach(a -> out.add(key(a[0], a[1])));
        return out;
    }

    /** What was announced for a set of athletes: episode classifications, patterns, proposals. */
    public static final class Announced {
        private final Map<String, Map<String, String>> classifications = new HashMap<>();
        private final Set<String> patterns = new HashSet<>();
        private final Set<String> adjustments = new HashSet<>();

        /** Episode id → "CLASSIFICATION|rule" as last announced for the athlete. */
        public Map<String, String> classifications(String clinicId, String athleteId) {
            return classifications.getOrDefault(key(clinicId, athleteId), Map.of());
        }

        public boolean hasPattern(String clinicId, String athleteId, String kind, Instant since) {
            return patterns.contains(key(clinicId, athleteId) + '\u0000' + kind + '\u0000' + since);
        }

        public boolean hasAdjustment(String adjustmentId) {
            return adjustments.contains(adjustmentId);
        }
    }

    /** Reads what was announced for these athletes (clinic id, athlete id) in three queries. */
    public Announced announced(Connection c, List<String[]> athletes) throws SQLException {
        Announced out = new Announced();
        Set<String> wanted = new HashSet<>();
        Set<String> clinics = new HashSet<>();
        Set<String> ids = new HashSet<>();
        for (String[] a : athletes) {
            wanted.add(a[0] + '\u0000' + a[1]);
            clinics.add(a[0]);
            ids.add(a[1]);
        }
        Array clinicArray = c.createArrayOf("text", clinics.toArray());
        Array idArray = c.createArrayOf("text", ids.toArray());
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT clinic_id, athlete_id, episode_id, classification, rule FROM episode
                WHERE clinic_id = ANY(?) AND athlete_id = ANY(?)""")) {
            ps.setArray(1, clinicArray);
            ps.setArray(2, idArray);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String key = rs.getString(1) + '\u0000' + rs.getString(2);
                    if (wanted.contains(key)) {
                        out.classifications.computeIfAbsent(key, k -> new HashMap<>())
                                .put(rs.getString(3), rs.getString(4) + "|" + rs.getString(5));
                    }
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT clinic_id, athlete_id, kind, since FROM pattern_seen
                WHERE clinic_id = ANY(?) AND athlete_id = ANY(?)""")) {
            ps.setArray(1, clinicArray);
            ps.setArray(2, idArray);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.patterns.add(rs.getString(1) + '\u0000' + rs.getString(2) + '\u0000' + rs.getString(3)
                            + '\u0000' + rs.getTimestamp(4).toInstant());
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT adjustment_id FROM proposed_adjustment WHERE clinic_id = ANY(?) AND athlete_id = ANY(?)""")) {
            ps.setArray(1, clinicArray);
            ps.setArray(2, idArray);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.adjustments.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /** Records episodes as announced (new ones, or their new classification). */
    public void saveEpisodes(Connection c, List<String[]> owners, List<FlareUpEpisode> episodes) throws SQLException {
        if (episodes.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO episode (clinic_id, athlete_id, episode_id, classification, rule, started_at)
                VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (clinic_id, athlete_id, episode_id)
                DO UPDATE SET classification = EXCLUDED.classification, rule = EXCLUDED.rule""")) {
            for (int i = 0; i < episodes.size(); i++) {
                FlareUpEpisode e = episodes.get(i);
                ps.setString(1, owners.get(i)[0]);
                ps.setString(2, owners.get(i)[1]);
                ps.setString(3, e.episodeId());
                ps.setString(4, e.classification().name());
                ps.setString(5, e.rule());
                ps.setTimestamp(6, Timestamp.from(e.startedAt()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Notes patterns (kind, since) per athlete; result i is true when pattern i is new. */
    public boolean[] notePatterns(Connection c, List<String[]> owners, List<DetectedPattern> patterns) throws SQLException {
        boolean[] fresh = new boolean[patterns.size()];
        if (patterns.isEmpty()) {
            return fresh;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO pattern_seen (clinic_id, athlete_id, kind, since) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING""")) {
            for (int i = 0; i < patterns.size(); i++) {
                ps.setString(1, owners.get(i)[0]);
                ps.setString(2, owners.get(i)[1]);
                ps.setString(3, patterns.get(i).kind().name());
                ps.setTimestamp(4, Timestamp.from(patterns.get(i).since()));
                ps.addBatch();
            }
            int[] counts = ps.executeBatch();
            for (int i = 0; i < counts.length; i++) {
                fresh[i] = counts[i] == 1;
            }
        }
        return fresh;
    }

    /** Notes proposals by adjustment id; result i is true when proposal i was never made before. */
    public boolean[] noteAdjustments(Connection c, List<String[]> owners, List<ProposedAdjustment> adjustments)
            throws SQLException {
        boolean[] fresh = new boolean[adjustments.size()];
        if (adjustments.isEmpty()) {
            return fresh;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO proposed_adjustment (adjustment_id, clinic_id, athlete_id, type, proposed_at)
                VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""")) {
            for (int i = 0; i < adjustments.size(); i++) {
                ProposedAdjustment a = adjustments.get(i);
                ps.setString(1, a.adjustmentId());
                ps.setString(2, owners.get(i)[0]);
                ps.setString(3, owners.get(i)[1]);
                ps.setString(4, a.type().name());
                ps.setTimestamp(5, Timestamp.from(a.proposedAt()));
                ps.addBatch();
            }
            int[] counts = ps.executeBatch();
            for (int i = 0; i < counts.length; i++) {
                fresh[i] = counts[i] == 1;
            }
        }
        return fresh;
    }

    /** One athlete's findings as the read API serves them (the view's JSON, see ViewJson). */
    public record FindingsRow(String clinicId, String athleteId, String findingsJson) {
    }

    /** Writes athletes' findings in one round trip. */
    public void saveFindings(Connection c, List<FindingsRow> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO athlete_findings (clinic_id, athlete_id, findings, updated_at) VALUES (?, ?, ?::jsonb, now())
                ON CONFLICT (clinic_id, athlete_id) DO UPDATE SET findings = EXCLUDED.findings, updated_at = now()""")) {
            for (FindingsRow row : rows) {
                ps.setString(1, row.clinicId());
                ps.setString(2, row.athleteId());
                ps.setString(3, row.findingsJson());
                ps.addBatch();
            }
            ps.executeBatch();
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
