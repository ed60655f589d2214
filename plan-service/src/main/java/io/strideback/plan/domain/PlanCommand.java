package io.strideback.plan.domain;

import java.time.Instant;

/** Something asked of a plan. {@link RehabPlan#decide(PlanCommand)} turns it into events, or refuses it. */
public sealed interface PlanCommand
        permits CreatePlan, ApplyAdjustment, ApproveAdjustment, RejectAdjustment, ChangePhase, RecordAssessment,
        ClearReferral, EndProtectIfDue, WithdrawAdjustment {

    /** When the command is made; becomes the events' {@code occurredAt}. */
    Instant at();
}
