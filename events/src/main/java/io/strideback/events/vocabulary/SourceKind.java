package io.strideback.events.vocabulary;

/** Who logged a session: the athlete or clinic by hand, or a watch. */
public enum SourceKind {
    MANUAL, WEARABLE
}
