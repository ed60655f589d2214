package io.strideback.plan.domain;

import java.time.Instant;

/** A clinic assessment was taken into the plan; the gates are read from the latest one. */
public record AssessmentNoted(Assessment assessment, Instant occurredAt, String reason) implements PlanEvent {
}
