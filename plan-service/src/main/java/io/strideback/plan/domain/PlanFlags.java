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
}
