package io.strideback.events.vocabulary;

/** Where a flare-up came from (DOMAIN.md classification). */
public enum FlareUpClassification {
    RUNNING_TRIGGERED, RANDOM
}
