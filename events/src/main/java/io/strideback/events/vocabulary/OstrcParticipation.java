package io.strideback.events.vocabulary;

/** OSTRC-O2 question 1: difficulties participating in training and competition because of the calf, past week. */
public enum OstrcParticipation {
    FULL_WITHOUT_PROBLEMS,
    FULL_WITH_PROBLEMS,
    REDUCED,
    CANNOT_PARTICIPATE
}
