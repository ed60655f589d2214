package io.strideback.loadmonitor.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
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
 *   <li>An episode ends 48 h after its last report above pain 2. The end is only recorded once an event, or
 *       the clock, shows it: a report at pain <= 2 at least 48 h after the last higher one (the
 *       athlete said it settled), or any event more than 72 h after the episode's latest report (nothing can
 *       join it any more). Silence alone does not end an episode early: a report 71 h after the last one still
 *       joins, because no report is not the same as a report at pain <= 2. With a clock, the passing of that
 *       time shows it as an event would ({@link #nextEndShown}, {@link LoadMonitor#analyse(AthleteTimeline,
 *       ClinicRules, Instant)}).</li>
 *   <li>The report that shows an episode settled is not part of it.</li>
 * </ul>
 * Reports at the same instant come in {@link History#SAME_INSTANT} order: the running context first, then the
 * higher pain, never the event id. Whether a report joins, closes or starts an episode depends only on events at
 * or before it, so the detector moves forward one event time at a time ({@link #advanceTo}) and its state after
 * any moment is a checkpoint an analysis can resume from ({@link #copy}).
 */
final class FlareUpDetector {

    /** Every episode begun so far, by onset. */
    private final List<ClassifiedEpisode> episodes;
    /** The episodes still open: at most one per class. */
    private final List<ClassifiedEpisode> open;
    /** The latest end among the episodes that have ended, null while none has. */
    private Instant latestEnd;
    /** The latest red-flag report so far, and the latest one before the current event time. */
    private Instant lastRedFlagAt;
    private Instant lastRedFlagBeforeNow;

    FlareUpDetector() {
        this.episodes = new ArrayList<>();
        this.open = new ArrayList<>();
    }

    /** A copy to resume from: ended episodes never change and are shared; open ones are copied. */
    FlareUpDetector copy() {
        FlareUpDetector c = new FlareUpDetector();
        c.episodes.addAll(episodes);
        for (ClassifiedEpisode e : open) {
            ClassifiedEpisode copied = e.withTrace(e.trace().copy());
            c.open.add(copied);
            int at = c.episodes.lastIndexOf(e);
            c.episodes.set(at, copied);
        }
        c.latestEnd = latestEnd;
        c.lastRedFlagAt = lastRedFlagAt;
        c.lastRedFlagBeforeNow = lastRedFlagBeforeNow;
        return c;
    }

    /** Takes in the events at {@code t}: ends the episodes {@code t} shows over, then the reports at {@code t}. */
    void advanceTo(Instant t, History history, FlareUpClassifier classifier) {
        ClinicRules rules = history.rules;
        lastRedFlagBeforeNow = lastRedFlagAt;
        // Any event more than 72 h after an episode's latest report shows that nothing can join it any more.
        for (Iterator<ClassifiedEpisode> it = open.iterator(); it.hasNext(); ) {
            EpisodeTrace episode = it.next().trace();
            if (t.isAfter(episode.lastReportAt().plus(rules.joinWindow()))) {
                close(episode, rules, t);
                it.remove();
            }
        }
        for (SymptomReport report : history.reportsThrough(t, t)) {
            if (report.hasRedFlag()) {
                lastRedFlagAt = t;
            }
            for (Iterator<ClassifiedEpisode> it = open.iterator(); it.hasNext(); ) {
                EpisodeTrace episode = it.next().trace();
                if (report.pain() <= rules.settledPain()
                        && !t.isBefore(episode.lastFlaringAt().plus(rules.settleAfter()))) {
                    close(episode, rules, t);
                    it.remove();
                }
            }
            Optional<String> trigger = history.trigger(report);
            if (trigger.isEmpty()) {
                for (ClassifiedEpisode episode : open) {
                    episode.trace().countTowardsEnd(report, rules.settledPain());
                }
                continue;
            }
            FlareUpClassifier.Classification classification = classifier.classify(report);
            Optional<ClassifiedEpisode> sameClass = open.stream()
                    .filter(e -> e.classification() == classification.classification())
                    .findFirst();
            if (sameClass.isPresent()) {
                sameClass.get().trace().join(report, rules.settledPain());
            } else {
                ClassifiedEpisode started = FlareUpClassifier.classified(
                        new EpisodeTrace(report, trigger.get(), classification));
                episodes.add(started);
                open.add(started);
            }
        }
    }

    /**
     * The first instant at which some open episode's end is shown with no further event: just after 72 h from its
     * latest report (the join window), when nothing can join it any more; null while none is open. The end itself
     * is dated 48 h after its last report above pain 2, as when a later event shows it ({@link #advanceTo}).
     */
    Instant nextEndShown(ClinicRules rules) {
        Instant next = null;
        for (ClassifiedEpisode e : open) {
            Instant shown = e.trace().lastReportAt().plus(rules.joinWindow()).plusNanos(1);
            next = next == null || shown.isBefore(next) ? shown : next;
        }
        return next;
    }

    /** The end is known at {@code knownAt}, the event that showed it. */
    private void close(EpisodeTrace episode, ClinicRules rules, Instant knownAt) {
        Instant endedAt = episode.lastFlaringAt().plus(rules.settleAfter());
        episode.end(endedAt, knownAt);
        latestEnd = latestEnd == null || endedAt.isAfter(latestEnd) ? endedAt : latestEnd;
    }

    /** Every episode begun so far, by onset. */
    List<ClassifiedEpisode> episodes() {
        return episodes;
    }

    /** Episodes whose onset lies in [from, to], by onset: the window found by binary search. */
    List<ClassifiedEpisode> withOnsetThrough(Instant from, Instant toInclusive) {
        return episodes.subList(firstOnset(from, false), Math.max(firstOnset(from, false), firstOnset(toInclusive, true)));
    }

    private int firstOnset(Instant t, boolean after) {
        int lo = 0;
        int hi = episodes.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            int c = episodes.get(mid).onsetAt().compareTo(t);
            if (c < 0 || (after && c == 0)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * Since when it has been quiet as of the current event time {@code t}: the later of {@code from}, the end of
     * every episode and the last red-flag report (a referral suspends running until a clinician clears it, so a
     * red flag is no quiet day). Null while an episode begun before {@code t} (or at it, with {@code throughT}) is
     * still open. Episodes of both classes may overlap (rules v2): quiet only once every one has ended.
     */
    Instant quietSince(Instant from, Instant t, boolean throughT) {
        for (ClassifiedEpisode e : open) {
            if (e.onsetAt().isBefore(t) || throughT) {
                return null;
            }
        }
        Instant quietFrom = from;
        if (latestEnd != null && latestEnd.isAfter(quietFrom)) {
            quietFrom = latestEnd;
        }
        Instant flag = throughT ? lastRedFlagAt : lastRedFlagBeforeNow;
        if (flag != null && flag.isAfter(quietFrom)) {
            quietFrom = flag;
        }
        return quietFrom;
    }

    /** A rough count of the heap this state holds of its own (the episodes' objects are the findings'). */
    long approximateBytes() {
        long bytes = 48 + 24 + 16 + 4L * episodes.size() + 24 + 16 + 4L * open.size();
        for (ClassifiedEpisode e : open) {
            bytes += e.trace().approximateBytes();
        }
        return bytes;
    }
}
