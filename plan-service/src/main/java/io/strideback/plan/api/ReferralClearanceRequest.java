package io.strideback.plan.api;

/** The body of {@code POST /api/v1/athletes/{id}/plan/referral/clear} (CONTRACT v2): why the referral ends. */
public record ReferralClearanceRequest(String reason) {
}
