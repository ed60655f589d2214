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
     *
     * <p>{@code constraintSchedule} (added for DOMAIN.md "over the plan"): the run constraints in force over the
     * plan's whole timeline as this version understands it, oldest first, each from its instant until the next
     * one's; the first starts when the plan was made. A late adjustment or a withdrawal rewrites earlier periods,
     * so a reader keeps the schedule of the highest version. Null in records written before it existed.
     */
    public record PlanChanged(String athleteId, String clinicId, long version, Instant occurredAt, String reason,
                              Phase phase, Constraints constraints, AdjustmentRef adjustment,
                              String causedByEventId, Instant causeObservedAt,
                              List<ConstraintPeriod> constraintSchedule) implements AboutAthlete {

        /** A plan change without a schedule (the shape before "over the plan"). */
        public PlanChanged(String athleteId, String clinicId, long version, Instant occurredAt, String reason,
                           Phase phase, Constraints constraints, AdjustmentRef adjustment,
                           String causedByEventId, Instant causeObservedAt) {
            this(athleteId, clinicId, version, occurredAt, reason, phase, constraints, adjustment, causedByEventId,
                    causeObservedAt, null);
        }
    }

    /** The constraints in force from {@code from} until the next period of the schedule starts. */
    public record ConstraintPeriod(Instant from, Constraints constraints) {
    }

    public record Constraints(Double maxDistanceKm, String maxIntensity, Integer minRestDaysBetweenRuns,
                              boolean recoveryDayBeforeIntense, Integer cadenceTargetSpm, boolean runningPaused) {
    }

    public record AdjustmentRef(String adjustmentId, AdjustmentType type, AdjustmentStatus status,
                                List<String> evidenceEventIds) {
    }
}
