package io.strideback.plan.domain;

import java.time.Instant;

/**
 * A proposed adjustment now shapes the plan; {@code approvedBy} is null when it applied at once.
 * {@code carriedOverFrom}: the id of the adjustment whose approval this one carries over (the monitor withdrew that one
 * and proposed the very same request under this id, round 19), else null; an auditor sees the decision was made on
 * that id, not on this one (round 20).
 */
public record AdjustmentApplied(Adjustment adjustment, String approvedBy, Instant occurredAt, String reason,
                                String carriedOverFrom) implements PlanEvent {

    /** Applied at once, or approved by a clinician on this very adjustment. */
    public AdjustmentApplied(Adjustment adjustment, String approvedBy, Instant occurredAt, String reason) {
        this(adjustment, approvedBy, occurredAt, reason, null);
    }
}
