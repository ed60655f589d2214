package io.strideback.loadmonitor.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The clinical engine: DOMAIN.md "Rules v2" as a pure function of one athlete's SET of events. The same events
 * in any arrival order give equal findings with equal ids; a late event simply gives new findings, and the
 * caller's diff of old and new findings is the reclassification DOMAIN.md asks for.
 *
 * <ol>
 *   <li>Each symptom report that meets a trigger ({@link FlareUpOnset}) is classified on its own
 *       ({@link FlareUpClassifier}), against the symptom-free distance ({@link SymptomFreeDistance}) and spikes
 *       ({@link Spike}) as they stood before it.</li>
 *   <li>Reports, in event time, are cut into flare-up episodes, one class per episode ({@link FlareUpDetector}).</li>
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
        // Which reports meet a trigger depends on reports alone; the symptom-free distance on those reports and
        // the runs; a report's class on both; and the episodes on the classes (rules v2: split by class).
        Map<String, String> triggers = FlareUpOnset.triggers(history);
        List<Instant> triggeringTimes = new ArrayList<>();
        for (SymptomReport r : history.reports) {
            if (triggers.containsKey(r.eventId())) {
                triggeringTimes.add(r.observedAt());
            }
        }
        SymptomFreeDistance symptomFree = new SymptomFreeDistance(history, triggeringTimes);
        FlareUpClassifier classifier = new FlareUpClassifier(history, symptomFree);
        List<ClassifiedEpisode> episodes = FlareUpClassifier.classified(
                FlareUpDetector.detect(history, triggers, classifier));
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
