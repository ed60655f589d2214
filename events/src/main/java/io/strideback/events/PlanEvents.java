package io.strideback.events;

import io.strideback.events.vocabulary.AdjustmentStatus;
import io.strideback.events.vocabulary.AdjustmentType;
import io.strideback.events.vocabulary.Phase;

import java.time.Instant;
import java.util.List;

/** What plan-service publishes on {@link Topic#PLAN_EVENTS} after a change has committed. */
public final class PlanEvents {
    private PlanEvents() {
    }

    /**
     * One change of a plan: its new version, why, and what it now says. The same shape for every
     * plan event type so a dashboard can follow a plan without knowing the aggregate.
     */
    public record PlanChanged(String athleteId, String clinicId, long version, Instant occurredAt, String reason,
                              Phase phase, Constraints constraints, AdjustmentRef adjustment,
                              String causedByEventId, Instant causeObservedAt) {
    }

    public record Constraints(Double maxDistanceKm, String maxIntensity, Integer minRestDaysBetweenRuns,
                              boolean recoveryDayBeforeIntense, Integer cadenceTargetSpm, boolean runningPaused) {
    }

    public record AdjustmentRef(String adjustmentId, AdjustmentType type, AdjustmentStatus status,
                                List<String> evidenceEventIds) {
    }
}
