package io.strideback.plan.domain;

import io.strideback.events.vocabulary.AdjustmentType;

import java.time.Instant;

/**
 * The load monitor withdrew an adjustment (DOMAIN.md "Convergence"): the plan's constraints are now what they
 * would be had it never applied, and a pending one leaves the approval queue. An urgent referral is the
 * exception: it is recorded as withdrawn by the monitor and stays in force until a clinician clears it.
 */
public record AdjustmentWithdrawn(String adjustmentId, AdjustmentType type, Instant occurredAt, String reason)
        implements PlanEvent {
}
