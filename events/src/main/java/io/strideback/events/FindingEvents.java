package io.strideback.events;

import io.strideback.events.vocabulary.AdjustmentType;
import io.strideback.events.vocabulary.FlareUpClassification;
import io.strideback.events.vocabulary.PatternKind;
import io.strideback.events.vocabulary.RunIntensity;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What load-monitor-service concludes, on {@link Topic#LOAD_FINDINGS} and {@link Topic#PLAN_ADJUSTMENTS}. */
public final class FindingEvents {
    private FindingEvents() {
    }

    public record Episode(String episodeId, Instant startedAt, Instant endedAt, int peakPain,
                          FlareUpClassification classification, String rule, Evidence evidence,
                          List<String> eventIds) {
    }

    /** Why an episode was classified as it was (DOMAIN.md: evidence kept with every classification). */
    public record Evidence(String triggeringSessionId, Double triggeringRunKm, RunIntensity intensity,
                           Double spikeRatio) {
    }

    public record FlareUpDetected(String athleteId, String clinicId, Episode episode) {
    }

    public record FlareUpReclassified(String athleteId, String clinicId, FlareUpClassification previousClassification,
                                      String previousRule, Episode episode) {
    }

    public record PatternDetected(String athleteId, String clinicId, PatternKind kind, Instant since,
                                  List<String> episodeIds) {
    }

    /**
     * A proposed plan change. {@code adjustmentId} is derived from the content (athlete, type, rule,
     * evidence), so the same proposal emitted twice is recognisably the same downstream.
     */
    public record AdjustmentProposed(String adjustmentId, String athleteId, String clinicId, AdjustmentType type,
                                     PatternKind pattern, String rule, Map<String, Object> parameters,
                                     List<String> evidenceEventIds, String reason, Instant proposedAt) {
    }
}
