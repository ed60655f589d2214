package io.strideback.plan.fhir;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.agroal.api.AgroalDataSource;
import io.strideback.events.ActivityEvents.AssessmentRecorded;
import io.strideback.events.ActivityEvents.AthleteEnrolled;
import io.strideback.events.ActivityEvents.SessionLogged;
import io.strideback.events.ActivityEvents.SymptomReported;
import io.strideback.events.EventCodec;
import io.strideback.events.EventType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The clinical record plan-service keeps for the FHIR export (V17__clinical_record.sql): the enrolment, and every
 * symptom report, session and assessment of an athlete, personal fields as the events carried them (sealed by intake,
 * issue 16: opened only for an export). Idempotent by event id; nothing is added for an erased athlete (the erasure
 * itself is {@code AthleteErasure}'s). Plain JDBC like the event store.
 */
@ApplicationScoped
public class ClinicalRecordStore {

    @Inject
    AgroalDataSource dataSource;

    /** One entry of the record: its event id and type, when it happened, and its data. */
    public record Entry(String eventId, EventType type, Instant occurredAt, Object data) {
    }

    /** What the export reads for one athlete. */
    public record ClinicalRecord(AthleteEnrolled athlete, List<Entry> entries) {

        public List<Entry> entries(EventType type) {
            return entries.stream().filter(e -> e.type() == type).toList();
        }
    }

    public void enrolled(AthleteEnrolled a) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO clinical_athlete (clinic_id, athlete_id, display_name, diagnosis, side, injury_date, enrolled_at)
                SELECT ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS
                    (SELECT 1 FROM erased_athlete e WHERE e.clinic_id = ? AND e.athlete_id = ?)
                ON CONFLICT (clinic_id, athlete_id) DO UPDATE SET display_name = EXCLUDED.display_name,
                    diagnosis = EXCLUDED.diagnosis, side = EXCLUDED.side, injury_date = EXCLUDED.injury_date,
                    enrolled_at = EXCLUDED.enrolled_at""")) {
            ps.setString(1, a.clinicId());
            ps.setString(2, a.athleteId());
            ps.setString(3, a.displayName());
            ps.setString(4, a.diagnosis().name());
            ps.setString(5, a.side().name());
            ps.setObject(6, a.injuryDate());
            ps.setTimestamp(7, Timestamp.from(a.enrolledAt()));
            ps.setString(8, a.clinicId());
            ps.setString(9, a.athleteId());
            ps.executeUpdate();
        }
    }

    /**
     * A symptom report, session or assessment to add to an athlete's record; {@code json} is its data as the record
     * carried it (null: written from {@code data}).
     */
    public record NewEntry(String clinicId, String athleteId, String eventId, EventType type, Instant occurredAt,
                           Object data, byte[] json) {
    }

    /** The entry at {@code index} (of those given) refused: the record holds its event id with other data (round 17). */
    public record Reuse(int index, String reason) {
    }

    /**
     * Adds a poll's entries in one statement (issue 15: one round trip and one commit per poll, not per event), with
     * the record's rules: a known event id changes nothing, an erased athlete gets nothing. Round 17: a known event id
     * whose stored entry differs (athlete, type, or data as jsonb compares it: a redelivery's is equal) is a rogue
     * writer's reuse of the id, returned so its record is parked; the stored entry (or the poll's first) stands.
     */
    public List<Reuse> addAll(List<NewEntry> entries) throws SQLException {
        if (entries.isEmpty()) {
            return List.of();
        }
        // The same id twice in one poll: only its first entry goes into the statement, the others are compared with it
        // here. An INSERT of both leaves which one ON CONFLICT keeps to the plan's row order (a hash anti join against
        // erased_athlete emits its rows in hash order): the later body could stand, and the first be parked (round 19,
        // PoisonProofPlanConsumersTest seen failing in CI).
        List<Reuse> reused = new ArrayList<>();
        List<Integer> firsts = new ArrayList<>();
        java.util.Map<String, String> inPoll = new java.util.HashMap<>();
        List<String> bodies = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            NewEntry e = entries.get(i);
            String body = body(e);
            bodies.add(body);
            String first = inPoll.putIfAbsent(e.clinicId() + "/" + e.eventId(),
                    e.athleteId() + "|" + e.type().ceType() + "|" + body);
            if (first == null) {
                firsts.add(i);
            } else if (!first.equals(e.athleteId() + "|" + e.type().ceType() + "|" + body)) {
                reused.add(reuse(i, e.eventId()));
            }
        }
        int n = firsts.size();
        String[] clinics = new String[n];
        String[] athletes = new String[n];
        String[] eventIds = new String[n];
        String[] types = new String[n];
        String[] times = new String[n];
        String[] data = new String[n];
        for (int k = 0; k < n; k++) {
            NewEntry e = entries.get(firsts.get(k));
            clinics[k] = e.clinicId();
            athletes[k] = e.athleteId();
            eventIds[k] = e.eventId();
            types[k] = e.type().ceType();
            times[k] = e.occurredAt().toString();
            data[k] = bodies.get(firsts.get(k));
        }
        // The SELECT sees the table as it was before the INSERT of the same statement: what it finds was stored before.
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                WITH n AS (
                    SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])
                        WITH ORDINALITY AS n (clinic_id, athlete_id, event_id, event_type, occurred_at, data, i)),
                added AS (
                    INSERT INTO clinical_entry (clinic_id, athlete_id, event_id, event_type, occurred_at, data)
                    SELECT n.clinic_id, n.athlete_id, n.event_id, n.event_type, n.occurred_at::timestamptz, n.data::jsonb
                    FROM n
                    WHERE NOT EXISTS (SELECT 1 FROM erased_athlete e
                                      WHERE e.clinic_id = n.clinic_id AND e.athlete_id = n.athlete_id)
                    ON CONFLICT DO NOTHING)
                SELECT n.i, n.event_id FROM n
                JOIN clinical_entry c ON c.clinic_id = n.clinic_id AND c.event_id = n.event_id
                WHERE c.athlete_id <> n.athlete_id OR c.event_type <> n.event_type OR c.data <> n.data::jsonb""")) {
            ps.setArray(1, c.createArrayOf("text", clinics));
            ps.setArray(2, c.createArrayOf("text", athletes));
            ps.setArray(3, c.createArrayOf("text", eventIds));
            ps.setArray(4, c.createArrayOf("text", types));
            ps.setArray(5, c.createArrayOf("text", times));
            ps.setArray(6, c.createArrayOf("text", data));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    reused.add(reuse(firsts.get(rs.getInt(1) - 1), rs.getString(2)));
                }
            }
        }
        return reused;
    }

    /** An entry's data as stored: the bytes the record carried when jsonb takes them as they are, else written out. */
    private static String body(NewEntry e) {
        if (e.json() != null && storableAsIs(e.json())) {
            // Issue 15: the bytes the record carried, read once already (so valid); writing the parsed event out
            // again was ~20% of the channel's CPU. Same fields: intake wrote them with the same mapper.
            return new String(e.json(), StandardCharsets.UTF_8);
        }
        try {
            return EventCodec.JSON.writeValueAsString(e.data());
        } catch (JsonProcessingException x) {
            throw new IllegalStateException(x);
        }
    }

    private static Reuse reuse(int index, String eventId) {
        return new Reuse(index, "ce_id '" + eventId + "' reused with another body (the clinical record"
                + " holds other data under it): not applied, the first stands");
    }

    /**
     * Whether a record's JSON can go into {@code jsonb} as it is. jsonb refuses two things JSON text can carry only as a
     * backslash-u escape: NUL (22P05) and a lone surrogate. In a field this service does not know (a newer writer's),
     * such an escape would park the whole entry; written out again from the typed record, the unknown field is dropped
     * and the entry kept. Any backslash before a {@code u} counts (an escaped backslash too): a false alarm costs only
     * the writing out.
     */
    static boolean storableAsIs(byte[] json) {
        for (int i = 0; i + 1 < json.length; i++) {
            if (json[i] == '\\' && json[i + 1] == 'u') {
                return false;
            }
        }
        return true;
    }

    /** The athlete's record in this clinic, entries in event time; empty when the clinic has no such athlete. */
    public Optional<ClinicalRecord> record(String clinicId, String athleteId) {
        try (Connection c = dataSource.getConnection()) {
            AthleteEnrolled athlete = null;
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT display_name, diagnosis, side, injury_date, enrolled_at FROM clinical_athlete
                    WHERE clinic_id = ? AND athlete_id = ?""")) {
                ps.setString(1, clinicId);
                ps.setString(2, athleteId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        athlete = new AthleteEnrolled(athleteId, clinicId, rs.getString(1),
                                io.strideback.events.vocabulary.Diagnosis.valueOf(rs.getString(2)),
                                io.strideback.events.vocabulary.Side.valueOf(rs.getString(3)),
                                rs.getObject(4, java.time.LocalDate.class), null, rs.getTimestamp(5).toInstant());
                    }
                }
            }
            List<Entry> entries = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT event_id, event_type, occurred_at, data::text FROM clinical_entry
                    WHERE clinic_id = ? AND athlete_id = ? ORDER BY occurred_at, event_id""")) {
                ps.setString(1, clinicId);
                ps.setString(2, athleteId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        EventType type = EventType.fromCeType(rs.getString(2)).orElseThrow();
                        entries.add(new Entry(rs.getString(1), type, rs.getTimestamp(3).toInstant(),
                                EventCodec.JSON.readValue(rs.getString(4), type.dataClass())));
                    }
                }
            }
            if (athlete == null && entries.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new ClinicalRecord(athlete, entries));
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("clinical record of " + athleteId + " unreadable", e);
        }
    }

    /** The event time of an activity record's data, the order of the export. */
    static Instant occurredAt(Object data, Instant fallback) {
        if (data instanceof SessionLogged s) {
            return s.startedAt();
        }
        if (data instanceof SymptomReported s) {
            return s.observedAt();
        }
        if (data instanceof AssessmentRecorded a) {
            return a.recordedAt();
        }
        return fallback;
    }
}
