package io.strideback.plan.domain;

/** What a clinician must look at: a review asked for by a pattern, or an urgent referral for red flags (seed 004). */
public record PlanFlags(boolean clinicianReview, boolean urgentReferral) {

    public static final PlanFlags NONE = new PlanFlags(false, false);

    PlanFlags withClinicianReview() {
        return new PlanFlags(true, urgentReferral);
    }

    PlanFlags withUrgentReferral() {
        return new PlanFlags(clinicianReview, true);
    }

    /** A clinician's explicit clearance ends the referral; nothing else does (DOMAIN.md "Red flags always escalate"). */
    PlanFlags withReferralCleared() {
        return new PlanFlags(clinicianReview, false);
    }

    /** A clinician's phase change is a review, so the review flag clears; an urgent referral stays. */
    PlanFlags reviewed() {
        return new PlanFlags(false, urgentReferral);
    }
}
