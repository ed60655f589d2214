package io.strideback.plan.domain;

import java.time.Instant;

/** The clinic reviews adjustments: this one waits for a clinician's approval before it changes anything. */
public record AdjustmentPending(Adjustment adjustment, Instant occurredAt, String reason) implements PlanEvent {
}
