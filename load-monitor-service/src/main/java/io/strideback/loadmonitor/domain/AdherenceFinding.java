package io.strideback.loadmonitor.domain;

import io.strideback.events.vocabulary.RunIntensity;

import java.time.Instant;

/**
 * One logged run outside the plan in force at its start (DOMAIN.md "over the plan"): a finding for the clinician,
 * never a plan change.
 *
 * @param adherenceId    derived from the athlete, the run's event id and the breach: the same breach keeps its id
 * @param capKm          the cap the run was over (OVER_DISTANCE_CAP), else the cap in force, if any
 * @param allowed        the hardest intensity allowed then, if any
 * @param inForceSince   when the breached limit came into force on the plan's timeline
 * @param planVersion    the plan version whose schedule the run was judged against
 * @param reason         one plain sentence, e.g. "Ran 6.2 km on 5 May, over the 4.0 km cap in force since 3 May."
 */
public record AdherenceFinding(String adherenceId, String sessionEventId, String sessionId, Instant sessionAt,
                               Breach breach, Double runKm, Double capKm, RunIntensity intensity, RunIntensity allowed,
                               Instant inForceSince, long planVersion, String reason) {
}
