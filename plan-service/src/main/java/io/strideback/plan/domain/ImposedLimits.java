package io.strideback.plan.domain;

import io.strideback.events.vocabulary.RunIntensity;

import java.time.LocalDate;

/**
 * The run limits applied adjustments imposed, kept apart from the phase's own limits so that a phase
 * change never silently drops them: the plan's constraints are the tighter of both (see {@link PlanTerms}).
 * A null limit means the adjustments imposed none.
 */
record ImposedLimits(Double maxDistanceKm, RunIntensity maxIntensity, Integer maxProgressionPercent,
                     boolean recoveryDayBeforeIntense, Integer cadenceTargetSpm, LocalDate pausedUntil) {

    static final ImposedLimits NONE = new ImposedLimits(null, null, null, false, null, null);

    ImposedLimits withMaxDistanceKm(Double km) {
        return new ImposedLimits(km, maxIntensity, maxProgressionPercent, recoveryDayBeforeIntense, cadenceTargetSpm, pausedUntil);
    }

    ImposedLimits withMaxIntensity(RunIntensity intensity) {
        return new ImposedLimits(maxDistanceKm, intensity, maxProgressionPercent, recoveryDayBeforeIntense, cadenceTargetSpm, pausedUntil);
    }

    ImposedLimits withMaxProgressionPercent(Integer percent) {
        return new ImposedLimits(maxDistanceKm, maxIntensity, percent, recoveryDayBeforeIntense, cadenceTargetSpm, pausedUntil);
    }

    ImposedLimits withRecoveryDayBeforeIntense() {
        return new ImposedLimits(maxDistanceKm, maxIntensity, maxProgressionPercent, true, cadenceTargetSpm, pausedUntil);
    }

    ImposedLimits withCadenceTargetSpm(Integer spm) {
        return new ImposedLimits(maxDistanceKm, maxIntensity, maxProgressionPercent, recoveryDayBeforeIntense, spm, pausedUntil);
    }

    ImposedLimits withPausedUntil(LocalDate day) {
        return new ImposedLimits(maxDistanceKm, maxIntensity, maxProgressionPercent, recoveryDayBeforeIntense, cadenceTargetSpm, day);
    }
}
