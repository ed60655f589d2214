package io.strideback.loadmonitor.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Cuts the symptom reports into flare-up episodes, walking them in event time (DOMAIN.md rules v2 "Flare-up").
 *
 * <ul>
 *   <li>A report that meets one of the four onset triggers ({@link FlareUpOnset}) is classified on its own
 *       ({@link FlareUpClassifier}). It joins the open episode of the <b>same class</b>; with none open, it starts
 *       its own. So a running flare-up is never hidden inside a random episode (seed 000: the night cramp came
 *       first, the pulling on the next day's run after), and at most one episode per class is open at a time.</li>
 *   <li>A report that meets no trigger counts towards ending every episode open at its time, and joins none: one
 *       above pain 2 keeps them going, one at pain <= 2 48 h after the last higher one ends them. An episode lists
 *       only the reports that met a trigger.</li>
 *   <li>An episode ends 48 h after its last report above pain 2. The engine has no clock, so the end is only
 *       recorded once an event shows it: a report at pain <= 2 at least 48 h after the last higher one (the
 *       athlete said it settled), or any event more than 72 h after the episode's latest report (nothing can
 *       join it any more). Silence alone does not end an episode early: a report 71 h after the last one still
 *       joins, because no report is not the same as a report at pain <= 2.</li>
 *   <li>The report that shows an episode settled is not part of it.</li>
 * </ul>
 * Reports at the same instant come in {@link History#SAME_INSTANT} order: the running context first, then the
 * higher pain, never the event id. Whether a report joins, closes or starts an episode depends only on reports at
 * or before it, so episodes seen "as of" any moment are a prefix of the final ones.
 */
final class FlareUpDetector {

    private FlareUpDetector() {
    }

    /**
     * @param triggers the onset trigger of every report that meets one, by event id
     */
    static List<EpisodeTrace> detect(History history, Map<String, String> triggers, FlareUpClassifier classifier) {
        ClinicRules rules = history.rules;
        List<EpisodeTrace> episodes = new ArrayList<>();
        List<EpisodeTrace> open = new ArrayList<>();
        for (SymptomReport report : history.reports) {
            Instant t = report.observedAt();
            for (Iterator<EpisodeTrace> it = open.iterator(); it.hasNext(); ) {
                EpisodeTrace episode = it.next();
                boolean settled = report.pain() <= rules.settledPain()
                        && !t.isBefore(episode.lastFlaringAt().plus(rules.settleAfter()));
                boolean lapsed = t.isAfter(episode.lastReportAt().plus(rules.joinWindow()));
                if (settled || lapsed) {
                    close(episode, history, t);
                    it.remove();
                }
            }
            String trigger = triggers.get(report.eventId());
            if (trigger == null) {
                for (EpisodeTrace episode : open) {
                    episode.countTowardsEnd(report, rules.settledPain());
                }
                continue;
            }
            FlareUpClassifier.Classification classification = classifier.classify(report);
            Optional<EpisodeTrace> sameClass = open.stream()
                    .filter(e -> e.classification.classification() == classification.classification())
                    .findFirst();
            if (sameClass.isPresent()) {
                sameClass.get().join(report, rules.settledPain());
            } else {
                EpisodeTrace started = new EpisodeTrace(report, trigger, classification);
                episodes.add(started);
                open.add(started);
            }
        }
        for (EpisodeTrace episode : open) {
            close(episode, history, null);
        }
        return episodes;
    }

    /**
     * Records the end of {@code episode} if an event shows it: {@code closingReportAt} (the report that settled or
     * could no longer join it), or an earlier event of any kind past the join window.
     */
    private static void close(EpisodeTrace episode, History history, Instant closingReportAt) {
        ClinicRules rules = history.rules;
        Instant knownAt = closingReportAt;
        Optional<Instant> pastJoinWindow = history.firstEventAfter(episode.lastReportAt().plus(rules.joinWindow()));
        if (pastJoinWindow.isPresent() && (knownAt == null || pastJoinWindow.get().isBefore(knownAt))) {
            knownAt = pastJoinWindow.get();
        }
        if (knownAt != null) {
            episode.end(episode.lastFlaringAt().plus(rules.settleAfter()), knownAt);
        }
    }
}
