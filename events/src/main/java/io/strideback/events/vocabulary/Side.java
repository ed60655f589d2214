package io.strideback.events.vocabulary;

/** The affected leg. */
public enum Side {
    LEFT, RIGHT
}
