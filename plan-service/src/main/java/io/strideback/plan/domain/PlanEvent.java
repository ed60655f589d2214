package io.strideback.plan.domain;

import java.time.Instant;

/**
 * Something that happened to a rehab plan. The plan is the fold of these events and nothing else,
 * so every change a clinic or an athlete sees can be traced to one of them and its reason.
 */
public sealed interface PlanEvent
        permits PlanCreated, AdjustmentApplied, AdjustmentPending, AdjustmentRejected, PhaseChanged, AssessmentNoted,
        ReferralCleared, AdjustmentWithdrawn {

    /** When the plan changed (the command's time, not when a consumer read it). */
    Instant occurredAt();

    /** One plain sentence a clinician and an athlete can both read. */
    String reason();
}
