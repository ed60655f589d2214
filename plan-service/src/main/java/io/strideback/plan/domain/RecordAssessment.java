package io.strideback.plan.domain;

import java.time.Instant;

/** A clinic assessment arrives; the plan notes it for the gates. */
public record RecordAssessment(Assessment a, Instant at) implements PlanCommand {
}
