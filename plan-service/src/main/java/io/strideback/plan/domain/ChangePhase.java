package io.strideback.plan.domain;

import io.strideback.events.vocabulary.Phase;

import java.time.Instant;

/**
 * A clinician moves the plan to a phase, saying why. {@code overrideGates} moves it on even when the
 * latest assessment does not meet a gate on the way; it needs a reason (DOMAIN.md "Gates are enforced").
 */
public record ChangePhase(Phase to, String clinician, String why, Instant at, boolean overrideGates) implements PlanCommand {

    public ChangePhase(Phase to, String clinician, String why, Instant at) {
        this(to, clinician, why, at, false);
    }
}
