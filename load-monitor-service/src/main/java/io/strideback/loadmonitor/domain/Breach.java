package io.strideback.loadmonitor.domain;

import java.util.Objects;

/** Which limit of the plan a logged run was over (DOMAIN.md "over the plan"). */
public enum Breach {
    /** Longer than the plan's distance cap. */
    OVER_DISTANCE_CAP,
    /** Faster than the hardest intensity the plan allows. */
    OVER_INTENSITY,
    /** Any run while running is paused (a phase of rest, a PAUSE_RUNNING, an urgent referral). */
    DURING_PAUSE;

    /** Whether two periods hold the same limit of this kind (so the earlier one is when it came into force). */
    boolean sameLimit(PlanLimits a, PlanLimits b) {
        return switch (this) {
            case OVER_DISTANCE_CAP -> !a.runningPaused() && Objects.equals(a.maxDistanceKm(), b.maxDistanceKm());
            case OVER_INTENSITY -> !a.runningPaused() && a.maxIntensity() == b.maxIntensity();
            case DURING_PAUSE -> a.runningPaused();
        };
    }
}
