package io.strideback.events.vocabulary;

/** Where a proposed adjustment stands on a plan. */
public enum AdjustmentStatus {
    APPLIED, PENDING, REJECTED
}
