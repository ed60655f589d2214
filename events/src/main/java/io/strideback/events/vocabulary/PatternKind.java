package io.strideback.events.vocabulary;

/** Patterns over the trailing 42 days (DOMAIN.md patterns table). */
public enum PatternKind {
    RUNNING_TRIGGERED_DISTANCE, RUNNING_TRIGGERED_INTENSITY, RUNNING_TRIGGERED_REPEATED, RANDOM, MIXED, SETTLED, RED_FLAG
}
