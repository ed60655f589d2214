package io.strideback.events.vocabulary;

/** OSTRC-O2 question 4: calf pain related to the sport in the past week. */
public enum OstrcPain {
    NONE,
    MILD,
    MODERATE,
    SEVERE
}
