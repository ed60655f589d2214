package io.strideback.plan.domain;

import io.strideback.events.vocabulary.Diagnosis;
import io.strideback.events.vocabulary.Side;

import java.time.Instant;
import java.time.LocalDate;

/** Enrolment: make the athlete's plan from the template for the diagnosis. */
public record CreatePlan(String athleteId, String clinicId, Diagnosis diagnosis, Side side, LocalDate injuryDate,
                         Double symptomFreeRunKm, Instant at) implements PlanCommand {
}
