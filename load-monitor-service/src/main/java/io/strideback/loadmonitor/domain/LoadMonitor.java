package io.strideback.loadmonitor.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The clinical engine: DOMAIN.md "Rules v2" as a pure function of one athlete's SET of events. The same events
 * in any arrival order give equal findings with equal ids; a late event simply gives new findings, and the
 * caller's diff of old and new findings is the reclassification DOMAIN.md asks for.
 *
 * <p>The timeline is replayed one distinct event time at a time, in event time:
 * <ol>
 *   <li>the reports at that time are cut into flare-up episodes, one class per episode ({@link FlareUpDetector}):
 *       each report that meets a trigger ({@link FlareUpOnset}) is classified on its own
 *       ({@link FlareUpClassifier}), against the symptom-free distance ({@link SymptomFreeDistance}) and spikes
 *       ({@link Spike}) as they stood before it;</li>
 *   <li>the pattern table is evaluated as of that time and proposes adjustments when a pattern starts to hold or
 *       what it asks changes ({@link PatternWatch});</li>
 *   <li>at the end, session-RPE load and its EWMAs are summarised as context ({@link TrainingLoad}).</li>
 * </ol>
 * Every step reads only events at or before the moment it is at, so the state after any moment is a checkpoint:
 * {@link IncrementalAnalysis} resumes from one instead of replaying the whole history (issue #14).
 */
public final class LoadMonitor {

    private LoadMonitor() {
    }

    public static Findings analyse(AthleteTimeline timeline, ClinicRules rules) {
        Objects.requireNonNull(timeline, "timeline");
        Objects.requireNonNull(rules, "rules");
        return replay(timeline, rules, null, null, History.longestSessionMin(timeline.sessions())).findings();
    }

    public static Findings analyse(AthleteTimeline timeline) {
        return analyse(timeline, ClinicRules.defaults());
    }

    /**
     * The findings of the timeline's events as of {@code clock}: as {@link #analyse(AthleteTimeline, ClinicRules)},
     * and then every change that time alone brings by {@code clock} with no further event (an episode nothing can
     * join any more ends; 14 settled days relax the cap), each taken at its own due instant, so the result depends
     * only on the events and on which due instants lie at or before {@code clock} (DOMAIN.md "Convergence").
     */
    public static FindingsAsOf analyse(AthleteTimeline timeline, ClinicRules rules, Instant clock) {
        Objects.requireNonNull(timeline, "timeline");
        Objects.requireNonNull(rules, "rules");
        Objects.requireNonNull(clock, "clock");
        Outcome o = replay(timeline, rules, null, null, false, clock, History.longestSessionMin(timeline.sessions()));
        return new FindingsAsOf(o.findings(), o.asOf(), o.nextChangeAt());
    }

    /**
     * Findings, and the checkpoints taken on the way (null when none was asked for or no event time was late enough):
     * {@code checkpoint} before {@code checkpointAt}, {@code latest} before the latest event time.
     */
    record Outcome(Findings findings, Checkpoint checkpoint, Checkpoint latest, Instant asOf, Instant nextChangeAt) {
    }

    /**
     * The state after every event time before {@code cut}: resuming from it and replaying the event times from
     * {@code cut} on gives the findings of a replay from the start. Immutable; a resumed replay copies it.
     */
    record Checkpoint(Instant cut, FlareUpDetector detector, PatternWatch.Memory watch, DaysOfLoad daysBefore,
                      LocalDate firstDayAfter) {

        long approximateBytes() {
            // the days' columns are the findings' too: counted with them
            return 48 + 24 + detector.approximateBytes() + watch.approximateBytes();
        }
    }

    /**
     * Replays the event times from {@code resume}'s cut on (from the first event when null), taking a checkpoint
     * before the first event time at or after {@code checkpointAt} (none when null).
     */
    static Outcome replay(AthleteTimeline timeline, ClinicRules rules, Checkpoint resume, Instant checkpointAt,
                          double longestSessionMin) {
        return replay(timeline, rules, resume, checkpointAt, false, null, longestSessionMin);
    }

    /**
     * As {@link #replay(AthleteTimeline, ClinicRules, Checkpoint, Instant, double)}, and with {@code atLatest} a
     * second checkpoint before the latest event time too ({@link Outcome#latest}; the same as the first when both
     * fall on that time): the next event in time order resumes from there and replays two event times, not every
     * event time since {@code checkpointAt} (issue #14, the replay's profile).
     *
     * <p>With a {@code clock}, the replay then lets time pass with no further event, one due instant at a time
     * ({@link #nextChangeAfter}), up to {@code clock}: the steps an event at each due instant would make besides its
     * own reports, the watch's timers only ({@link PatternWatch#passTime}). They come after every checkpoint, so a
     * resumed analysis never starts from a state that assumed no event came in the meantime.
     */
    static Outcome replay(AthleteTimeline timeline, ClinicRules rules, Checkpoint resume, Instant checkpointAt,
                          boolean atLatest, Instant clock, double longestSessionMin) {
        Instant from = resume == null ? Instant.MIN : resume.cut();
        // Evidence ids are looked up around the replayed stretch; older ones are found by a scan when asked.
        Instant indexFrom = resume == null ? Instant.MIN
                : from.minus(rules.patternWindow()).minus(rules.qualifyingRunWindow()).minus(rules.settledWindow());
        History history = new History(timeline, rules, longestSessionMin, indexFrom);
        SymptomFreeDistance symptomFree = new SymptomFreeDistance(history);
        FlareUpClassifier classifier = new FlareUpClassifier(history, symptomFree);
        FlareUpDetector detector = resume == null ? new FlareUpDetector() : resume.detector().copy();
        PatternWatch watch = new PatternWatch(history, detector, symptomFree, resume == null ? null : resume.watch());

        List<Instant> times = history.eventTimesFrom(from);
        Instant cut = null;
        FlareUpDetector detectorAtCut = null;
        PatternWatch.Memory watchAtCut = null;
        Instant latestCut = null;
        FlareUpDetector detectorAtLatest = null;
        PatternWatch.Memory watchAtLatest = null;
        for (int i = 0; i < times.size(); i++) {
            Instant t = times.get(i);
            if (cut == null && checkpointAt != null && !t.isBefore(checkpointAt)) {
                cut = t;
                detectorAtCut = detector.copy();
                watchAtCut = watch.memory(t);
            }
            if (atLatest && i == times.size() - 1) {
                latestCut = t;
                detectorAtLatest = t.equals(cut) ? detectorAtCut : detector.copy();
                watchAtLatest = t.equals(cut) ? watchAtCut : watch.memory(t);
            }
            detector.advanceTo(t, history, classifier);
            watch.advanceTo(t, i == times.size() - 1);
        }
        // Time passing after the latest event: each due instant is a moment with no event of its own.
        Instant asOf = history.latestEventTime().orElse(null);
        Instant next = asOf == null ? null : nextChangeAfter(asOf, detector, watch, rules);
        while (clock != null && next != null && !next.isAfter(clock)) {
            detector.advanceTo(next, history, classifier); // no report lies after the latest event: endings only
            watch.passTime(next);
            asOf = next;
            next = nextChangeAfter(asOf, detector, watch, rules);
        }

        List<FlareUpEpisode> episodes = new ArrayList<>();
        for (ClassifiedEpisode e : detector.episodes()) {
            episodes.add(e.toFinding());
        }
        LoadSummary load = resume == null ? TrainingLoad.summarise(history, symptomFree)
                : TrainingLoad.summarise(history, symptomFree, resume.daysBefore(), resume.firstDayAfter());
        Findings findings = new Findings(episodes, watch.patterns(), watch.adjustments(), load);

        Checkpoint checkpoint = null;
        if (cut != null) {
            // The days before the cut's day hold only events before the cut: they stay as they are.
            LocalDate cutDay = history.dateOf(cut);
            DaysOfLoad days = findings.load().days() instanceof DaysOfLoad d ? d : DaysOfLoad.none();
            int before = daysBefore(days, cutDay);
            DaysOfLoad packed = days.firstDays(before);
            checkpoint = new Checkpoint(cut, detectorAtCut, watchAtCut, packed, cutDay);
            // the same days, the earlier ones packed: what is handed out then holds no day twice
            LoadSummary l = findings.load();
            findings = new Findings(findings.episodes(), findings.patterns(), findings.adjustments(),
                    new LoadSummary(packed.followedBy(days.subList(before, days.size())), l.acuteLoad(),
                            l.chronicLoad(), l.acwr(), l.symptomFreeDistanceKm(), l.longestRunLast30DaysKm()));
        }
        Checkpoint latest = null;
        if (latestCut != null) {
            if (latestCut.equals(cut)) {
                latest = checkpoint;
            } else {
                // The same packing as above, further on: the handed-out days are packed up to the far cut's day
                // and the later ones are records, so packing on to the latest cut's day writes each day once.
                LocalDate latestDay = history.dateOf(latestCut);
                DaysOfLoad days = findings.load().days() instanceof DaysOfLoad d ? d : DaysOfLoad.none();
                latest = new Checkpoint(latestCut, detectorAtLatest, watchAtLatest,
                        days.firstDays(daysBefore(days, latestDay)), latestDay);
            }
        }
        return new Outcome(findings, checkpoint, latest, asOf, next);
    }

    /**
     * The first instant after {@code t} (itself at or after the latest event) at which the findings would change
     * with no new event, or null when only a new event can change them: an open episode ends once nothing can join
     * it any more ({@link FlareUpDetector#nextEndShown}); a cap relaxes, or the settled pattern starts to hold, 14
     * quiet days after the last flare-up ({@link PatternWatch#nextDueAfter}).
     */
    private static Instant nextChangeAfter(Instant t, FlareUpDetector detector, PatternWatch watch, ClinicRules rules) {
        return earlierAfter(t, detector.nextEndShown(rules), watch.nextDueAfter(t));
    }

    /** The earlier of two due instants after {@code t}: one not after it was taken at {@code t} already. */
    private static Instant earlierAfter(Instant t, Instant a, Instant b) {
        a = a == null || !a.isAfter(t) ? null : a;
        b = b == null || !b.isAfter(t) ? null : b;
        return a == null ? b : b == null || a.isBefore(b) ? a : b;
    }

    /** One entry per calendar day from the first session on: how many days lie before {@code day}. */
    private static int daysBefore(DaysOfLoad days, LocalDate day) {
        return days.isEmpty() ? 0
                : (int) Math.max(0, Math.min(days.size(), ChronoUnit.DAYS.between(days.get(0).date(), day)));
    }
}
