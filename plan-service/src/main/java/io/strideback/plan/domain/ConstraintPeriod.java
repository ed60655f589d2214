package io.strideback.plan.domain;

import java.time.Instant;

/**
 * The run constraints in force from {@code from} until the next period of a plan's {@link RehabPlan#constraintSchedule()}
 * starts. The load monitor judges each logged run against the period in force at its start (DOMAIN.md "over the plan").
 */
public record ConstraintPeriod(Instant from, RunConstraints constraints) {
}
