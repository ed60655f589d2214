package io.strideback.plan.domain;

import java.time.Instant;

/** A clinician turned down a pending adjustment; the plan stays as it was. */
public record AdjustmentRejected(String adjustmentId, String rejectedBy, Instant occurredAt, String reason)
        implements PlanEvent {
}
