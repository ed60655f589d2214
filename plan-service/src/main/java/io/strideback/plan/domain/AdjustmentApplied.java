package io.strideback.plan.domain;

import java.time.Instant;

/** A proposed adjustment now shapes the plan; {@code approvedBy} is null when it applied at once. */
public record AdjustmentApplied(Adjustment adjustment, String approvedBy, Instant occurredAt, String reason)
        implements PlanEvent {
}
