package io.strideback.events.vocabulary;

/** Patterns over the trailing 42 days (DOMAIN.md patterns table; the last four are CONTRACT v2's). */
public enum PatternKind {
    RUNNING_TRIGGERED_DISTANCE, RUNNING_TRIGGERED_INTENSITY, RUNNING_TRIGGERED_REPEATED, RANDOM, MIXED, SETTLED, RED_FLAG,
    FLARE_UP_WHILE_LOADING, MEDIAL_SHIN_BONE_STRESS, STRENGTH_UNDER_DOSED, OVER_THE_PLAN
}
