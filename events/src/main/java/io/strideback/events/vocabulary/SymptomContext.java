package io.strideback.events.vocabulary;

/** What the athlete was doing when the symptom came. */
public enum SymptomContext {
    DURING_RUN, AFTER_RUN, DURING_STRENGTH, WALKING, AT_REST, NIGHT, MORNING
}
