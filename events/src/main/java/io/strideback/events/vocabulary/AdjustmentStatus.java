package io.strideback.events.vocabulary;

/** Where a proposed adjustment stands on a plan; WITHDRAWN is CONTRACT v2 (the monitor no longer stands behind it). */
public enum AdjustmentStatus {
    APPLIED, PENDING, REJECTED, WITHDRAWN
}
