package io.strideback.plan.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.strideback.events.PlanEvents;
import io.strideback.plan.mapping.PlanView;
import io.strideback.plan.store.PlanProjection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;

/**
 * What the plan API answers besides the plan itself ({@link PlanView}): REST records apart from the event schema
 * (a history entry copies what it needs from the published event), so /q/openapi describes every response
 * (issue 17, CONTRACT v2 "Every /api response has a typed schema").
 */
public final class PlanAnswers {
    private PlanAnswers() {
    }

    @Schema(name = "PlanHistory")
    public record PlanHistory(List<HistoryEntry> events) {
    }

    /** One change of the plan: what happened, why, and what the plan said after it (the timeline's step line). */
    @Schema(name = "PlanHistoryEntry")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record HistoryEntry(long sequence, @Schema(description = "the plan event's CloudEvents type") String type,
                               Instant occurredAt, AdjustmentChange adjustment,
                               @JsonInclude(JsonInclude.Include.ALWAYS) String reason,
                               @Schema(description = "a phase change past an unmet gate: overridden with a reason")
                               Boolean overrideGates, List<GatesNotMetProblem.UnmetCriterion> unmetCriteria,
                               @JsonInclude(JsonInclude.Include.ALWAYS) String phase,
                               @JsonInclude(JsonInclude.Include.ALWAYS) RunLimits constraints) {
    }

    @Schema(name = "PlanHistoryAdjustment")
    public record AdjustmentChange(String adjustmentId, String type, String status, List<String> evidenceEventIds) {

        static AdjustmentChange of(PlanEvents.AdjustmentRef ref) {
            return ref == null ? null : new AdjustmentChange(ref.adjustmentId(), String.valueOf(ref.type()),
                    String.valueOf(ref.status()), ref.evidenceEventIds());
        }
    }

    /** The run constraints after a change, as the history shows them. */
    @Schema(name = "PlanHistoryConstraints")
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record RunLimits(Double maxDistanceKm, String maxIntensity, Integer minRestDaysBetweenRuns,
                            boolean recoveryDayBeforeIntense, Integer cadenceTargetSpm, boolean runningPaused) {

        static RunLimits of(PlanEvents.Constraints c) {
            return c == null ? null : new RunLimits(c.maxDistanceKm(), c.maxIntensity(), c.minRestDaysBetweenRuns(),
                    c.recoveryDayBeforeIntense(), c.cadenceTargetSpm(), c.runningPaused());
        }
    }

    @Schema(name = "ClinicAthletes")
    public record ClinicAthletes(List<ClinicAthlete> athletes) {
    }

    @Schema(name = "ClinicAthlete", description = "an athlete with a plan: phase, run cap, flags and approvals waiting")
    public record ClinicAthlete(String athleteId, String displayName, String diagnosis, String side, String phase, long version,
                                PlanView.Flags flags, PlanView.Constraints constraints, int pendingAdjustments,
                                Instant updatedAt) {
    }

    @Schema(name = "AdjustmentQueue")
    public record AdjustmentQueue(List<PlanProjection.AdjustmentInQueue> adjustments) {
    }

    @Schema(name = "AdjustmentDecision", description = "the decided adjustment and the plan after the decision")
    public record AdjustmentDecision(PlanView.Adjustment adjustment, PlanView plan) {
    }

    @Schema(name = "ClinicPolicy")
    public record ClinicPolicyAnswer(@Schema(enumeration = {"AUTO_APPLY", "REVIEW"}) String policy) {
    }

    @Schema(name = "PlansRebuilt")
    public record PlansRebuilt(int rebuilt) {
    }
}
