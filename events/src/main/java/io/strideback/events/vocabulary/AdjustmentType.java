package io.strideback.events.vocabulary;

/** A change the load monitor proposes to a rehab plan. */
public enum AdjustmentType {
    CAP_RUN_DISTANCE, LIMIT_PROGRESSION, REDUCE_RUN_INTENSITY, ADD_RECOVERY_DAY_BEFORE_INTENSE, PAUSE_RUNNING, GAIT_RETRAINING, ADD_EXERCISE, CLINICIAN_REVIEW, RELAX_RUN_CAP, URGENT_REFERRAL
}
