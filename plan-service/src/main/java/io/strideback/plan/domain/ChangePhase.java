package io.strideback.plan.domain;

import io.strideback.events.vocabulary.Phase;

import java.time.Instant;

/** A clinician moves the plan to a phase, saying why. */
public record ChangePhase(Phase to, String clinician, String why, Instant at) implements PlanCommand {
}
