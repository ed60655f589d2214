package io.strideback.plan.domain;

import java.time.Instant;

/** A clinician turns down a pending adjustment, saying why. */
public record RejectAdjustment(String adjustmentId, String clinician, String why, Instant at) implements PlanCommand {
}
