package io.strideback.plan.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * What a plan asks of the athlete, in layers: the current phase's limits, the limits adjustments
 * imposed, the flags, and exercises and screens adjustments added. Adjustments change these; the
 * phase, the template and the history live on {@link RehabPlan}.
 *
 * @param phaseLimits    the limits the phase brought when it started (a RELAX_RUN_CAP may have raised its cap)
 * @param addedExercises exercises added by ADD_EXERCISE, in the order added; kept through every phase
 * @param screensDue     clinician screens asked for (e.g. "TIBIALIS_POSTERIOR", seed 000)
 * @param isometricsUntil calf isometric holds replace loaded calf raises until then, after a flare-up while
 *                        loading (DOMAIN.md; seed 000); null when no such window was set
 */
record PlanTerms(RunConstraints phaseLimits, ImposedLimits imposed, PlanFlags flags, List<String> addedExercises,
                 List<String> screensDue, Instant isometricsUntil) {

    PlanTerms {
        addedExercises = List.copyOf(addedExercises);
        screensDue = List.copyOf(screensDue);
    }

    static PlanTerms startingWith(RunConstraints phaseLimits) {
        return new PlanTerms(phaseLimits, ImposedLimits.NONE, PlanFlags.NONE, List.of(), List.of(), null);
    }

    /**
     * The constraints in force on a day: the tighter of the phase's and the adjustments' limits.
     * Running is paused by the phase (PROTECT, RESTORE_CAPACITY), by an urgent referral, or by a
     * PAUSE_RUNNING whose last day has not passed.
     */
    RunConstraints constraintsOn(LocalDate day) {
        boolean pauseRuns = pauseRunsOn(day);
        return new RunConstraints(
                capKm(),
                lower(phaseLimits.maxIntensity(), imposed.maxIntensity()),
                phaseLimits.minRestDaysBetweenRuns(),
                phaseLimits.recoveryDayBeforeIntense() || imposed.recoveryDayBeforeIntense(),
                imposed.cadenceTargetSpm() != null ? imposed.cadenceTargetSpm() : phaseLimits.cadenceTargetSpm(),
                phaseLimits.runningPaused() || flags.urgentReferral() || pauseRuns,
                lower(phaseLimits.maxProgressionPercent(), imposed.maxProgressionPercent()),
                pauseRuns ? imposed.pausedUntil() : null);
    }

    /** Whether a PAUSE_RUNNING still holds on that day ({@code pausedUntil} is the first day runs may resume). */
    boolean pauseRunsOn(LocalDate day) {
        return imposed.pausedUntil() != null && day != null && day.isBefore(imposed.pausedUntil());
    }

    /** The run cap in force: the tighter of the phase's and the adjustments' caps; null = no cap. */
    Double capKm() {
        return lower(phaseLimits.maxDistanceKm(), imposed.maxDistanceKm());
    }

    PlanTerms withPhaseLimits(RunConstraints limits) {
        return new PlanTerms(limits, imposed, flags, addedExercises, screensDue, isometricsUntil);
    }

    PlanTerms withImposed(ImposedLimits limits) {
        return new PlanTerms(phaseLimits, limits, flags, addedExercises, screensDue, isometricsUntil);
    }

    PlanTerms withFlags(PlanFlags newFlags) {
        return new PlanTerms(phaseLimits, imposed, newFlags, addedExercises, screensDue, isometricsUntil);
    }

    PlanTerms withExerciseAdded(String name) {
        if (addedExercises.contains(name)) {
            return this;
        }
        List<String> more = new ArrayList<>(addedExercises);
        more.add(name);
        return new PlanTerms(phaseLimits, imposed, flags, more, screensDue, isometricsUntil);
    }

    PlanTerms withScreenDue(String screen) {
        if (screensDue.contains(screen)) {
            return this;
        }
        List<String> more = new ArrayList<>(screensDue);
        more.add(screen);
        return new PlanTerms(phaseLimits, imposed, flags, addedExercises, more, isometricsUntil);
    }

    PlanTerms withIsometricsUntil(Instant until) {
        return new PlanTerms(phaseLimits, imposed, flags, addedExercises, screensDue, until);
    }

    /** Whether calf isometric holds replace loaded raises at that instant. */
    boolean isometricsAt(Instant at) {
        return isometricsUntil != null && at != null && at.isBefore(isometricsUntil);
    }

    /** The tighter of two limits, null meaning "no limit". */
    static <T extends Comparable<T>> T lower(T a, T b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** The looser of two limits where both exist (used only to raise a cap, RELAX_RUN_CAP). */
    static Double raisedTo(Double cap, double atLeast) {
        return cap == null ? null : Math.max(cap, atLeast);
    }
}
