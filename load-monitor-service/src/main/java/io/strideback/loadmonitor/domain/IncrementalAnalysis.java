package io.strideback.loadmonitor.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Objects;

/**
 * One athlete's analysis kept up to date event by event, at a cost that does not grow with the athlete's history
 * (issue #14): the same {@link Findings} as {@link LoadMonitor#analyse} on the same set of events, always.
 *
 * <p>The analysis is a replay in event time whose state after any moment depends only on the events before it
 * ({@link LoadMonitor}). This object keeps that state at a <b>checkpoint</b>: the open episodes, what the pattern
 * watch remembers (the cap in force, the pause, the episodes already counted, the proposals made), the days of
 * load before the checkpoint's day with their EWMAs. {@link #next} resumes from the checkpoint and replays only
 * the event times from it on; every look-back the rules make from there (the 42 days of patterns and of the
 * symptom-free distance, the 30 days of a spike, the 7 days of a baseline) is a binary search into the timeline,
 * not a scan. The checkpoint is then moved to {@link #lateArrivals} before the latest event, so an event that
 * syncs up to that late is still taken in incrementally; an older one (or a change of rules or profile) replays
 * the whole timeline once, which gives the same findings, only slower.
 *
 * <p>Heap: the checkpoint shares the findings' objects (episodes, proposals, days) and adds little of its own;
 * {@link #approximateBytes} counts both. An adapter may hold these in a bounded cache and simply start a new one
 * (a full analysis) for an athlete it no longer holds, e.g. after a restart. Not thread-safe: one athlete's events
 * are handled in order by one thread.
 */
public final class IncrementalAnalysis {

    /** A wearable's late sync of up to two days is still taken in without a full replay. */
    public static final Duration DEFAULT_LATE_ARRIVALS = Duration.ofDays(2);

    private final Duration lateArrivals;
    /**
     * The checkpoints still valid, oldest cut first: the newest one before {@link #lateArrivals} ahead of the latest
     * event, then one per analysis since, the last before the latest event time. New events at time E resume from
     * the newest checkpoint cut at or before E: an event in time order (the usual case, and every event of a replay)
     * replays its own time and the one before, not every time of the late-arrival stretch (issue #14: that
     * stretch was most of a replay's analysis), and a late one as far back as it needs, no further.
     */
    private final ArrayDeque<LoadMonitor.Checkpoint> checkpoints = new ArrayDeque<>();
    private AthleteProfile profile;
    private ClinicRules rules;
    private int events;
    private double longestSessionMin;
    private boolean lastWasFull;
    private long fullReplays;
    private long resumedReplays;
    private long sharedBytes;
    /** The episodes and proposals counted in {@link #episodesAndProposalsBytes}: counted again when they change. */
    private int countedEpisodes = -1;
    private int countedAdjustments = -1;
    private long episodesAndProposalsBytes;

    public IncrementalAnalysis() {
        this(DEFAULT_LATE_ARRIVALS);
    }

    /** @param lateArrivals how far before the latest event the checkpoint is kept */
    public IncrementalAnalysis(Duration lateArrivals) {
        if (lateArrivals == null || lateArrivals.isNegative()) {
            throw new IllegalArgumentException("lateArrivals must be >= 0: " + lateArrivals);
        }
        this.lateArrivals = lateArrivals;
    }

    /**
     * The findings of {@code timeline} after some of its events changed. The caller's promise: every event before
     * {@code earliestChangedEventTime} is one the previous call's timeline held too (events are only ever added;
     * a redelivery changes nothing). Null means "anything may have changed": a full replay.
     *
     * @param earliestChangedEventTime the event time of the earliest event added since the previous call
     */
    public Findings next(AthleteTimeline timeline, Instant earliestChangedEventTime, ClinicRules rules) {
        return next(timeline, earliestChangedEventTime, rules, null).findings();
    }

    /**
     * As {@link #next(AthleteTimeline, Instant, ClinicRules)}, as of {@code clock} (null: as of the latest event):
     * {@link LoadMonitor#analyse(AthleteTimeline, ClinicRules, Instant)} on the same events. The changes time
     * brings after the latest event are never kept in a checkpoint, so an event that arrives later, however old,
     * is analysed as if it had arrived before the clock passed them; a call with no new event (a timer:
     * {@code earliestChangedEventTime} after the latest event) replays the latest event time and lets time pass.
     */
    public FindingsAsOf next(AthleteTimeline timeline, Instant earliestChangedEventTime, ClinicRules rules,
                             Instant clock) {
        Objects.requireNonNull(timeline, "timeline");
        Objects.requireNonNull(rules, "rules");
        boolean resumable = earliestChangedEventTime != null && timeline.size() >= events
                && rules.equals(this.rules) && timeline.profile().equals(profile);
        if (!resumable) {
            checkpoints.clear();
        } else {
            // a checkpoint cut after the earliest new event holds a state without it: no longer valid
            while (!checkpoints.isEmpty() && earliestChangedEventTime.isBefore(checkpoints.peekLast().cut())) {
                checkpoints.pollLast();
            }
            resumable = !checkpoints.isEmpty();
        }
        Instant checkpointAt = timeline.latestEventTime().map(t -> t.minus(lateArrivals)).orElse(null);
        LoadMonitor.Outcome outcome;
        if (resumable) {
            longestSessionMin = Math.max(longestSessionMin,
                    History.longestSessionMinFrom(timeline.sessions(), earliestChangedEventTime));
            outcome = LoadMonitor.replay(timeline, rules, checkpoints.peekLast(), checkpointAt, true, clock,
                    longestSessionMin);
            resumedReplays++;
        } else {
            longestSessionMin = History.longestSessionMin(timeline.sessions());
            outcome = LoadMonitor.replay(timeline, rules, null, checkpointAt, true, clock, longestSessionMin);
            fullReplays++;
        }
        lastWasFull = !resumable;
        keep(outcome.checkpoint());
        keep(outcome.latest());
        // the newest checkpoint at or before checkpointAt stays (a late arrival of up to lateArrivals resumes from
        // it); the older ones are never needed again
        while (checkpointAt != null && checkpoints.size() > 1 && !checkpointAt.isBefore(second().cut())) {
            checkpoints.pollFirst();
        }
        sharedBytes = sharedBytes(outcome.findings());
        this.profile = timeline.profile();
        this.rules = rules;
        this.events = timeline.size();
        // The findings are handed out, not kept: the checkpoint keeps what the next call needs of them.
        return new FindingsAsOf(outcome.findings(), outcome.asOf(), outcome.nextChangeAt());
    }

    /** Appends a checkpoint cut after every one held (one at a cut held already is the same state). */
    private void keep(LoadMonitor.Checkpoint c) {
        if (c != null && (checkpoints.isEmpty() || c.cut().isAfter(checkpoints.peekLast().cut()))) {
            checkpoints.addLast(c);
        }
    }

    private LoadMonitor.Checkpoint second() {
        var it = checkpoints.iterator();
        it.next();
        return it.next();
    }

    /** How far before the latest event the checkpoint is kept. */
    public Duration lateArrivals() {
        return lateArrivals;
    }

    /** True when the latest call replayed the whole timeline (first call, old event, new rules or profile). */
    public boolean lastWasFull() {
        return lastWasFull;
    }

    public long fullReplays() {
        return fullReplays;
    }

    public long resumedReplays() {
        return resumedReplays;
    }

    /**
     * A cheap estimate of the heap this analysis keeps alive: the checkpoint's own state, and the objects of the
     * findings it shares (episodes, proposals with their sentences and evidence, days of load). Counted the way a
     * 64-bit JVM with compressed references lays them out, rounded up; the bench measures the real figure.
     */
    public long approximateBytes() {
        long bytes = 64 + 16L * checkpoints.size() + (checkpoints.isEmpty() ? 0 : sharedBytes);
        for (LoadMonitor.Checkpoint c : checkpoints) {
            bytes += c.approximateBytes();
        }
        return bytes;
    }

    /**
     * {@link #approximateBytes(Findings)} without walking every episode and proposal at every event (issue #14: that
     * walk grew with the history): the episodes' and proposals' part is counted again only when their number
     * changed; the patterns (a handful) and the days (counted by columns) every time.
     */
    private long sharedBytes(Findings f) {
        if (f.episodes().size() != countedEpisodes || f.adjustments().size() != countedAdjustments) {
            countedEpisodes = f.episodes().size();
            countedAdjustments = f.adjustments().size();
            episodesAndProposalsBytes = episodesAndProposalsBytes(f);
        }
        return 32 + 3 * 16 + episodesAndProposalsBytes + patternsAndDaysBytes(f);
    }

    static long approximateBytes(Findings f) {
        return 32 + 3 * 16 + episodesAndProposalsBytes(f) + patternsAndDaysBytes(f);
    }

    private static long episodesAndProposalsBytes(Findings f) {
        long bytes = 4L * (f.episodes().size() + f.adjustments().size());
        for (FlareUpEpisode e : f.episodes()) {
            bytes += 48 + 2 * 24 + 2 * 40 + 56 + 16 + 4L * e.eventIds().size();
        }
        for (ProposedAdjustment a : f.adjustments()) {
            bytes += 48 + 40 + 24 + (40 + a.reason().length()) + 64 + 48L * a.parameters().size()
                    + 16 + 4L * a.evidenceEventIds().size();
        }
        return bytes;
    }

    private static long patternsAndDaysBytes(Findings f) {
        long bytes = 4L * f.patterns().size();
        for (DetectedPattern p : f.patterns()) {
            bytes += 32 + 16 + 4L * p.episodeIds().size() + 16 + 4L * p.evidenceEventIds().size();
        }
        if (f.load().days() instanceof DaysOfLoad days) {
            bytes += days.approximateBytes();
        } else {
            // a day: the record, its date and its boxed ratio
            bytes += 16 + 4L * f.load().days().size() + (48 + 24 + 16) * (long) f.load().days().size();
        }
        return bytes;
    }
}
