package io.strideback.plan.domain;

import java.time.Instant;

/** The load monitor proposes an adjustment; the clinic's policy says whether it applies at once. */
public record ApplyAdjustment(Adjustment adjustment, ClinicPolicy policy, Instant at) implements PlanCommand {
}
