package io.strideback.loadmonitor.domain;

import io.strideback.events.vocabulary.FlareUpClassification;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** An episode with its classification, as the pattern rules read it. */
record ClassifiedEpisode(String episodeId, EpisodeTrace trace, FlareUpClassification classification, String rule,
                         ClassificationEvidence evidence, TrainingSession triggeringRun) {

    Instant onsetAt() {
        return trace.onsetAt();
    }

    boolean runningTriggered() {
        return classification == FlareUpClassification.RUNNING_TRIGGERED;
    }

    boolean random() {
        return classification == FlareUpClassification.RANDOM;
    }

    Double triggeringRunKm() {
        return triggeringRun == null ? null : triggeringRun.runKm();
    }

    /** Its symptom reports up to {@code t}, and its triggering run: the evidence it lends a pattern. */
    List<String> evidenceAsOf(Instant t) {
        List<String> ids = new ArrayList<>();
        for (SymptomReport r : trace.reportsAsOf(t)) {
            ids.add(r.eventId());
        }
        if (triggeringRun != null) {
            ids.add(triggeringRun.eventId());
        }
        return ids;
    }

    /** The same episode over another trace: a checkpoint's copy of an open one. */
    ClassifiedEpisode withTrace(EpisodeTrace copy) {
        return new ClassifiedEpisode(episodeId, copy, classification, rule, evidence, triggeringRun);
    }

    /** The finding; an ended episode never changes again, so its finding is made once. */
    FlareUpEpisode toFinding() {
        if (trace.finding != null) {
            return trace.finding;
        }
        FlareUpEpisode finding = finding();
        if (trace.endedAt() != null) {
            trace.finding = finding;
        }
        return finding;
    }

    private FlareUpEpisode finding() {
        List<String> ids = new ArrayList<>();
        for (SymptomReport r : trace.reports()) {
            ids.add(r.eventId());
        }
        return new FlareUpEpisode(episodeId, trace.onsetAt(), trace.endedAt(), trace.peakPain(), classification,
                rule, evidence, ids, trace.onsetRule);
    }
}
