package io.strideback.plan.domain;

import io.strideback.events.vocabulary.AdjustmentStatus;
import io.strideback.events.vocabulary.AdjustmentType;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An adjustment as the plan view shows it. {@code reason} is the reason of the event that last
 * changed its status; {@code decidedAt} is when it was applied or rejected, null while PENDING.
 */
public record PlanAdjustment(String adjustmentId, AdjustmentType type, AdjustmentStatus status, String reason,
                             List<String> evidenceEventIds, Map<String, Object> parameters, Instant decidedAt) {
}
