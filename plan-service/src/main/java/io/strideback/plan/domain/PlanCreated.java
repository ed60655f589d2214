package io.strideback.plan.domain;

import io.strideback.events.vocabulary.Diagnosis;
import io.strideback.events.vocabulary.Side;

import java.time.Instant;
import java.time.LocalDate;

/** The athlete was enrolled: the plan starts from the template for the diagnosis, in PROTECT. */
public record PlanCreated(String athleteId, String clinicId, Diagnosis diagnosis, Side side, LocalDate injuryDate,
                          Double symptomFreeRunKm, Instant occurredAt, String reason) implements PlanEvent {
}
