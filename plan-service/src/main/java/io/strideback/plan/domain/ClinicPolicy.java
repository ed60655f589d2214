package io.strideback.plan.domain;

/**
 * Whether a clinic lets proposed adjustments change plans at once (the default, DOMAIN.md "The plan")
 * or wants a clinician to approve each one. URGENT_REFERRAL applies at once under either.
 */
public enum ClinicPolicy {
    AUTO_APPLY, REVIEW
}
