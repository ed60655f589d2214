package io.strideback.plan.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of {@code POST /api/v1/athletes/{id}/plan/referral/clear} (CONTRACT v2): why the referral ends. */
public record ReferralClearanceRequest(@Schema(required = true, description = "why the referral ends; not blank") String reason) {
}
