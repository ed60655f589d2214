package io.strideback.plan.domain;

import java.time.Instant;

/** A clinician cleared the urgent referral (seed 004: a doctor has seen the red flags); running and loading may resume. */
public record ReferralCleared(String clearedBy, Instant occurredAt, String reason) implements PlanEvent {
}
