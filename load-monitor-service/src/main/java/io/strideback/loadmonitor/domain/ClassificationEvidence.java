package io.strideback.loadmonitor.domain;

import io.strideback.events.vocabulary.RunIntensity;
import io.strideback.events.vocabulary.SymptomContext;

/**
 * Why an episode was classified as it was (DOMAIN.md: evidence kept with every classification). The run fields
 * are null when no run explains the onset.
 *
 * @param triggeringSessionId the triggering run's session id
 * @param triggeringEventId   the triggering run's event id
 * @param triggeringRunKm     its distance
 * @param intensity           its intensity
 * @param spikeRatio          its distance over the longest run of the previous 30 days; null without a previous run
 * @param onsetContext        what the athlete was doing when the episode started
 */
public record ClassificationEvidence(String triggeringSessionId, String triggeringEventId, Double triggeringRunKm,
                                     RunIntensity intensity, Double spikeRatio, SymptomContext onsetContext) {

    static ClassificationEvidence noRun(SymptomContext context) {
        return new ClassificationEvidence(null, null, null, null, null, context);
    }

    public boolean hasTriggeringRun() {
        return triggeringEventId != null;
    }
}
