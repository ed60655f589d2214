package io.strideback.plan.domain;

import io.strideback.events.vocabulary.Phase;

import java.time.Instant;

/** A clinician moved the plan to another phase (any phase, forwards or back, or confirmed the current one). */
public record PhaseChanged(Phase from, Phase to, String changedBy, Instant occurredAt, String reason)
        implements PlanEvent {
}
