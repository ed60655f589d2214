package io.strideback.events.vocabulary;

/** Kind of training session. */
public enum SessionType {
    RUN, STRENGTH, CROSS_TRAINING, WALK
}
