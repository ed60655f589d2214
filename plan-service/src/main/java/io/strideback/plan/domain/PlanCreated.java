package io.strideback.plan.domain;

import io.strideback.events.vocabulary.Diagnosis;
import io.strideback.events.vocabulary.Side;

import java.time.Instant;
import java.time.LocalDate;

/**
 * The athlete was enrolled: the plan starts from the template for the diagnosis, in PROTECT.
 * {@code timeZone} is the athlete's IANA zone, in which the plan counts days; null (older events) means UTC.
 */
public record PlanCreated(String athleteId, String clinicId, Diagnosis diagnosis, Side side, LocalDate injuryDate,
                          Double symptomFreeRunKm, Instant occurredAt, String reason, String timeZone) implements PlanEvent {

    /** A plan counted in UTC days. */
    public PlanCreated(String athleteId, String clinicId, Diagnosis diagnosis, Side side, LocalDate injuryDate,
                       Double symptomFreeRunKm, Instant occurredAt, String reason) {
        this(athleteId, clinicId, diagnosis, side, injuryDate, symptomFreeRunKm, occurredAt, reason, null);
    }
}
