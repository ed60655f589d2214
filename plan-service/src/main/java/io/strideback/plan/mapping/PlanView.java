package io.strideback.plan.mapping;

import io.strideback.plan.domain.GateReport;
import io.strideback.plan.domain.PlanAdjustment;
import io.strideback.plan.domain.PrescribedExercise;
import io.strideback.plan.domain.RehabPlan;
import io.strideback.plan.domain.RunConstraints;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/** The plan as CONTRACT.md shows it: a REST bean, separate from the aggregate and from the events. */
public record PlanView(String athleteId, String clinicId, long version, String diagnosis, String side, String phase,
                       Constraints constraints, List<Exercise> exercises, Flags flags, List<Adjustment> adjustments,
                       Gate gate, java.time.Instant phaseSince) {

    public record Constraints(Double maxDistanceKm, String maxIntensity, int minRestDaysBetweenRuns,
                              boolean recoveryDayBeforeIntense, Integer cadenceTargetSpm, boolean runningPaused,
                              Integer maxProgressionPercent, LocalDate pausedUntil) {
    }

    public record Exercise(String name, int sets, String reps, String load, String frequency, String why) {
    }

    public record Flags(boolean clinicianReview, boolean urgentReferral) {
    }

    public record Adjustment(String adjustmentId, String type, String status, String reason,
                             List<String> evidenceEventIds, Map<String, Object> parameters, java.time.Instant decidedAt) {
    }

    /** The next phase's gate: which criteria the latest assessment meets and which are missing. */
    public record Gate(String gateFor, List<Criterion> met, List<Criterion> missing) {
    }

    public record Criterion(String name, String requirement, String observed) {
    }

    /**
     * When the plan's PROTECT began, for the plan's own clock to find it (stored beside the view, V26); null in any
     * other phase. A PROTECT with no start on record counts as begun long ago, so the clock asks it.
     */
    public java.time.Instant protectSince() {
        if (!io.strideback.events.vocabulary.Phase.PROTECT.name().equals(phase)) {
            return null;
        }
        return phaseSince == null ? java.time.Instant.EPOCH : phaseSince;
    }

    public static PlanView of(RehabPlan plan) {
        RunConstraints c = plan.constraints();
        return new PlanView(plan.athleteId(), plan.clinicId(), plan.version(), String.valueOf(plan.diagnosis()),
                String.valueOf(plan.side()), String.valueOf(plan.phase()),
                new Constraints(c.maxDistanceKm(), c.maxIntensity() == null ? null : c.maxIntensity().name(),
                        c.minRestDaysBetweenRuns(), c.recoveryDayBeforeIntense(), c.cadenceTargetSpm(),
                        c.runningPaused(), c.maxProgressionPercent(), c.pausedUntil()),
                plan.exercises().stream().map(PlanView::exercise).toList(),
                new Flags(plan.flags().clinicianReview(), plan.flags().urgentReferral()),
                plan.adjustments().stream().map(PlanView::adjustment).toList(),
                gate(plan.gates()), plan.phaseSince());
    }

    public static Adjustment adjustment(PlanAdjustment a) {
        return new Adjustment(a.adjustmentId(), a.type().name(), a.status().name(), a.reason(), a.evidenceEventIds(),
                a.parameters(), a.decidedAt());
    }

    private static Exercise exercise(PrescribedExercise e) {
        return new Exercise(e.name(), e.sets(), e.reps(), e.load(), e.frequency(), e.why());
    }

    private static Gate gate(GateReport g) {
        if (g == null) {
            return null;
        }
        return new Gate(String.valueOf(g.gateFor()),
                g.met().stream().map(c -> new Criterion(c.name(), c.requirement(), c.observed())).toList(),
                g.missing().stream().map(c -> new Criterion(c.name(), c.requirement(), c.observed())).toList());
    }
}
