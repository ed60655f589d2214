package io.strideback.events.vocabulary;

/** Rehab phases (DOMAIN.md "The plan"; seeds 001, 002, 004), in order. */
public enum Phase {
    PROTECT, RESTORE_CAPACITY, RETURN_TO_RUN, BUILD, RETURN_TO_SPORT
}
