package io.strideback.plan.domain;

import java.time.Instant;

/**
 * A clinician turned down a pending adjustment; the plan stays as it was. {@code carriedOverFrom}: the id of the
 * adjustment the clinician rejected when this one is the very same request proposed again under a new id (round 19),
 * else null; an auditor sees the decision was made on that id (round 20).
 */
public record AdjustmentRejected(String adjustmentId, String rejectedBy, Instant occurredAt, String reason,
                                 String carriedOverFrom) implements PlanEvent {

    /** Rejected by a clinician on this very adjustment. */
    public AdjustmentRejected(String adjustmentId, String rejectedBy, Instant occurredAt, String reason) {
        this(adjustmentId, rejectedBy, occurredAt, reason, null);
    }
}
