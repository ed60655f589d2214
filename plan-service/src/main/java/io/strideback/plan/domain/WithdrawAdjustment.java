package io.strideback.plan.domain;

import io.strideback.events.vocabulary.AdjustmentType;

import java.time.Instant;

/**
 * The load monitor no longer stands behind an adjustment it proposed (DOMAIN.md "Convergence"): a late event
 * changed the findings. {@code why} is the monitor's plain sentence; {@code type} is what the monitor says it was.
 */
public record WithdrawAdjustment(String adjustmentId, AdjustmentType type, String why, Instant at) implements PlanCommand {
}
