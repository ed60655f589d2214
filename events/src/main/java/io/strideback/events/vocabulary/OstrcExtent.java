package io.strideback.events.vocabulary;

/**
 * OSTRC-O2 questions 2 and 3: to what extent training was modified, or performance affected, by the calf in the
 * past week.
 */
public enum OstrcExtent {
    NONE,
    MINOR,
    MODERATE,
    MAJOR,
    CANNOT_PARTICIPATE
}
