package io.strideback.plan.domain;

import io.strideback.events.vocabulary.Diagnosis;
import io.strideback.events.vocabulary.Side;

import java.time.Instant;
import java.time.LocalDate;

/**
 * Enrolment: make the athlete's plan from the template for the diagnosis. {@code timeZone} is the
 * athlete's IANA zone from enrolment, the zone the plan counts days in (DOMAIN.md); null for UTC.
 */
public record CreatePlan(String athleteId, String clinicId, Diagnosis diagnosis, Side side, LocalDate injuryDate,
                         Double symptomFreeRunKm, Instant at, String timeZone) implements PlanCommand {

    /** An enrolment without a time zone: days are counted in UTC. */
    public CreatePlan(String athleteId, String clinicId, Diagnosis diagnosis, Side side, LocalDate injuryDate,
                      Double symptomFreeRunKm, Instant at) {
        this(athleteId, clinicId, diagnosis, side, injuryDate, symptomFreeRunKm, at, null);
    }
}
