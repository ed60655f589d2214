package io.strideback.plan.domain;

import java.time.Instant;

/** A clinician approves a pending adjustment. */
public record ApproveAdjustment(String adjustmentId, String clinician, Instant at) implements PlanCommand {
}
