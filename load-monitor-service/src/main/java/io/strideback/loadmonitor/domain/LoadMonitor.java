package io.strideback.loadmonitor.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The clinical engine: DOMAIN.md "Rules v1" as a pure function of one athlete's SET of events. The same events
 * in any arrival order give equal findings with equal ids; a late event simply gives new findings, and the
 * caller's diff of old and new findings is the reclassification DOMAIN.md asks for.
 *
 * <ol>
 *   <li>Symptom reports, in event time, are cut into flare-up episodes ({@link FlareUpDetector}).</li>
 *   <li>Each episode is classified by its first report ({@link FlareUpClassifier}), against the symptom-free
 *       distance ({@link SymptomFreeDistance}) and spikes ({@link Spike}) as they stood before it.</li>
 *   <li>The timeline is replayed moment by moment; the pattern table is evaluated as of each event time and
 *       proposes adjustments when a pattern starts to hold or what it asks changes ({@link PatternWatch}).</li>
 *   <li>Session-RPE load and its EWMAs are summarised as context ({@link TrainingLoad}).</li>
 * </ol>
 */
public final class LoadMonitor {

    private LoadMonitor() {
    }

    public static Findings analyse(AthleteTimeline timeline, ClinicRules rules) {
        Objects.requireNonNull(timeline, "timeline");
        Objects.requireNonNull(rules, "rules");
        History history = new History(timeline, rules);
        List<EpisodeTrace> traces = FlareUpDetector.detect(history);
        SymptomFreeDistance symptomFree = new SymptomFreeDistance(history, traces);
        List<ClassifiedEpisode> episodes = new FlareUpClassifier(history, symptomFree).classify(traces);
        PatternWatch watch = new PatternWatch(history, episodes, symptomFree).run();

        List<FlareUpEpisode> findings = new ArrayList<>();
        for (ClassifiedEpisode e : episodes) {
            findings.add(e.toFinding());
        }
        return new Findings(findings, watch.patterns(), watch.adjustments(),
                TrainingLoad.summarise(history, symptomFree));
    }

    public static Findings analyse(AthleteTimeline timeline) {
        return analyse(timeline, ClinicRules.defaults());
    }
}
