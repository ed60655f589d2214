package io.strideback.loadmonitor.domain;

import io.strideback.events.vocabulary.Diagnosis;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Objects;

/**
 * Who the monitor is watching. {@code declaredSymptomFreeRunKm} is the distance the clinician found the
 * athlete could run before symptoms at enrolment (seed 001: "identify the distance that the patient can run
 * before onset of symptoms"); it stands in for the symptom-free distance until the athlete's own runs show one.
 * {@code timeZone} is the athlete's own zone, given at enrolment (CONTRACT v2): "day" and "same day" are the
 * athlete's calendar days (DOMAIN.md rules v2); null when not given, and then the clinic's zone counts.
 */
public record AthleteProfile(String athleteId, String clinicId, Diagnosis diagnosis, LocalDate injuryDate,
                             Double declaredSymptomFreeRunKm, ZoneId timeZone) {

    public AthleteProfile {
        Objects.requireNonNull(athleteId, "athleteId");
        Objects.requireNonNull(clinicId, "clinicId");
        if (declaredSymptomFreeRunKm != null && !(declaredSymptomFreeRunKm >= 0)) {
            throw new IllegalArgumentException("declaredSymptomFreeRunKm must be >= 0: " + declaredSymptomFreeRunKm);
        }
    }

    /** An athlete enrolled without a time zone: the clinic's zone gives their days. */
    public AthleteProfile(String athleteId, String clinicId, Diagnosis diagnosis, LocalDate injuryDate,
                          Double declaredSymptomFreeRunKm) {
        this(athleteId, clinicId, diagnosis, injuryDate, declaredSymptomFreeRunKm, null);
    }
}
