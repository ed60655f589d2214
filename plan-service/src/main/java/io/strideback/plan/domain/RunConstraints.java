package io.strideback.plan.domain;

import io.strideback.events.vocabulary.RunIntensity;

import java.time.LocalDate;

/**
 * What the plan allows a run to be. A null limit means no limit.
 *
 * @param maxDistanceKm            longest run allowed (seed 001: the distance the athlete can run before symptoms)
 * @param maxIntensity             hardest intensity allowed
 * @param minRestDaysBetweenRuns   1 = no runs on consecutive days (soleus strains, DOMAIN.md)
 * @param recoveryDayBeforeIntense an easy or rest day before any run faster than EASY (seed 001)
 * @param cadenceTargetSpm         step rate to aim for, +5-10% of the current one (Heiderscheit 2011)
 * @param runningPaused            no running at all: the phase rests the calf, a pause is running, or an urgent referral
 * @param maxProgressionPercent    a run may be at most this much longer than the longest run of 30 days
 * @param pausedUntil              first day running may resume after a PAUSE_RUNNING adjustment; null when
 *                                 no such pause is running (a phase or referral pause lasts until a clinician moves the plan)
 */
public record RunConstraints(Double maxDistanceKm, RunIntensity maxIntensity, int minRestDaysBetweenRuns,
                             boolean recoveryDayBeforeIntense, Integer cadenceTargetSpm, boolean runningPaused,
                             Integer maxProgressionPercent, LocalDate pausedUntil) {
}
