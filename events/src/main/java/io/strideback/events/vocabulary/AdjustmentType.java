package io.strideback.events.vocabulary;

/**
 * A change proposed to a rehab plan: by the load monitor, or (ADVANCE_PHASE) by the plan itself when an
 * assessment meets the next phase's gate (DOMAIN.md "The plan"), always waiting for a clinician's approval.
 */
public enum AdjustmentType {
    CAP_RUN_DISTANCE, LIMIT_PROGRESSION, REDUCE_RUN_INTENSITY, ADD_RECOVERY_DAY_BEFORE_INTENSE, PAUSE_RUNNING, GAIT_RETRAINING, ADD_EXERCISE, CLINICIAN_REVIEW, RELAX_RUN_CAP, URGENT_REFERRAL,
    ADVANCE_PHASE
}
