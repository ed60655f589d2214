package io.strideback.plan.domain;

import io.strideback.events.vocabulary.Phase;

import java.time.Instant;
import java.util.List;

/**
 * A clinician moved the plan to another phase (any phase, forwards or back, or confirmed the current one).
 * {@code gatesOverridden} says the clinician moved on against a gate; {@code unmetGates} are the gates on
 * the way that the latest assessment did not meet, as they stood then (DOMAIN.md "Gates are enforced").
 * Both are absent from events stored before rules v2 and read as "not overridden".
 */
public record PhaseChanged(Phase from, Phase to, String changedBy, Instant occurredAt, String reason,
                           boolean gatesOverridden, List<GateReport> unmetGates) implements PlanEvent {

    public PhaseChanged {
        unmetGates = unmetGates == null ? List.of() : List.copyOf(unmetGates);
    }

    public PhaseChanged(Phase from, Phase to, String changedBy, Instant occurredAt, String reason) {
        this(from, to, changedBy, occurredAt, reason, false, List.of());
    }
}
