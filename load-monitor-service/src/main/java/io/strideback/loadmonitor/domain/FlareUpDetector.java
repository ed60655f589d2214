package io.strideback.loadmonitor.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Cuts the symptom reports into flare-up episodes, walking them in event time (DOMAIN.md "Flare-up").
 *
 * <ul>
 *   <li>A report starts an episode when one of the four onset triggers holds ({@link FlareUpOnset}).</li>
 *   <li>A report within 72 h of the open episode's latest report joins it, whatever its pain.</li>
 *   <li>An episode ends 48 h after its last report above pain 2. The engine has no clock, so the end is only
 *       recorded once an event shows it: a report at pain <= 2 at least 48 h after the last higher one (the
 *       athlete said it settled), or any event more than 72 h after the episode's latest report (nothing can
 *       join it any more). Silence alone does not end an episode early: a report 71 h after the last one still
 *       joins, because no report is not the same as a report at pain <= 2. Without such an event the episode
 *       stays open.</li>
 *   <li>The report that shows the episode settled is not part of it; it may start a new one if it meets a
 *       trigger itself.</li>
 * </ul>
 * Whether a report joins, closes or starts an episode depends only on reports at or before it, so episodes seen
 * "as of" any moment are a prefix of the final ones.
 */
final class FlareUpDetector {

    private FlareUpDetector() {
    }

    static List<EpisodeTrace> detect(History history) {
        ClinicRules rules = history.rules;
        List<EpisodeTrace> episodes = new ArrayList<>();
        EpisodeTrace open = null;
        for (SymptomReport report : history.reports) {
            Instant t = report.observedAt();
            if (open != null) {
                boolean settled = report.pain() <= rules.settledPain()
                        && !t.isBefore(open.lastFlaringAt().plus(rules.settleAfter()));
                boolean lapsed = t.isAfter(open.lastReportAt().plus(rules.joinWindow()));
                if (settled || lapsed) {
                    close(open, history, t);
                    open = null;
                } else {
                    open.join(report, rules.settledPain());
                    continue;
                }
            }
            Optional<String> trigger = FlareUpOnset.trigger(report, history);
            if (trigger.isPresent()) {
                open = new EpisodeTrace(report, trigger.get());
                episodes.add(open);
            }
        }
        if (open != null) {
            close(open, history, null);
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
