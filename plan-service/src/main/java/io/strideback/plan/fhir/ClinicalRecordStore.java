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

    public void add(String clinicId, String athleteId, String eventId, EventType type, Instant occurredAt, Object data)
            throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO clinical_entry (clinic_id, athlete_id, event_id, event_type, occurred_at, data)
                SELECT ?, ?, ?, ?, ?, ?::jsonb WHERE NOT EXISTS
                    (SELECT 1 FROM erased_athlete e WHERE e.clinic_id = ? AND e.athlete_id = ?)
                ON CONFLICT DO NOTHING""")) {
            ps.setString(1, clinicId);
            ps.setString(2, athleteId);
            ps.setString(3, eventId);
            ps.setString(4, type.ceType());
            ps.setTimestamp(5, Timestamp.from(occurredAt));
            ps.setString(6, EventCodec.JSON.writeValueAsString(data));
            ps.setString(7, clinicId);
            ps.setString(8, athleteId);
            ps.executeUpdate();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
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
