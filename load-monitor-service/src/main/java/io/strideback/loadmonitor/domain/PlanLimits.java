package io.strideback.loadmonitor.domain;

import io.strideback.events.vocabulary.RunIntensity;

/**
 * The part of a plan's run constraints a logged run can be over (DOMAIN.md "over the plan"): the distance cap, the
 * hardest intensity allowed, and whether running is paused. A null limit means no limit.
 */
public record PlanLimits(Double maxDistanceKm, RunIntensity maxIntensity, boolean runningPaused) {
}
