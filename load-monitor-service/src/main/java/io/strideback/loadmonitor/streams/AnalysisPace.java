package io.strideback.loadmonitor.streams;

import java.time.Duration;

/**
 * How often the athletes marked by new events are analysed (issue #14, analysis per batch). Caught up, every
 * {@code interval} (short: a red flag reaches the plan within tens of milliseconds). While the task reads activity
 * records written more than {@code catchUpBehind} before it reads them (a replay, a fresh instance, a burst it fell
 * behind on), every {@code catchUpInterval}: an athlete analysed every 20 ms would be analysed again as soon as its
 * next waiting event is read, so the analyses of a backlog are spent once per batch of its events instead, and the
 * backlog drains faster. Each analysis is of the athlete's whole set of events at that moment, so the findings
 * converge to the same ones; only intermediate announcements a later event overturns within the interval are not
 * made (as within 20 ms).
 *
 * <p>Issue #15: "behind" is measured in time, from the records the task actually processes (read time minus the
 * record's timestamp, which intake's producer sets when it sends), not from the consumer's {@code records-lag} summed
 * over all three sources' partitions: that is recorded only when a fetch returns records of a partition (a bench run
 * read 360 for 45 s while nothing was left to analyse), does not count the records Kafka Streams has fetched and
 * buffered, and 1,000 records are two seconds of live traffic at 500 events/s, so live symptoms waited the 1 s
 * catch-up interval (bench figure 4 at 500/s: p95 / p99 1.3 / 1.6 s). Live records are read within milliseconds
 * of being written and never wait; a replay's are seconds to days old.
 *
 * <p>Round 9 (one 3,000-session upload fenced a stream thread): a tick's work is bounded. An athlete's analysis
 * runs in slices of at most {@code sliceEvents} events (its mark, moved on to where the slice ended, stays until
 * the last slice, which announces), and a tick starts no further step once {@code tickBudget} is spent; the
 * athletes not reached keep their marks, in order, for the next tick. So no punctuation holds the stream thread
 * (and its open transaction) for the length of one athlete's history, and the others wait at most a tick's budget.
 *
 * @param catchUpBehindMs how old (ms) a record may be when read before the task counts as catching up
 * @param tickBudget      wall time after which a tick starts no further analysis step
 * @param sliceEvents     the most events one analysis step takes in from an athlete's timeline
 * @param timerQuiet      round 16: how long an athlete's records must have stopped coming before time alone moves
 *                        its findings ({@link AthleteTimers}): a history posted in batches (a watch's backfill, an
 *                        import, the demo) is analysed as of its latest event until it is all in, then once as of
 *                        the present, instead of every batch's findings jumping to the present and the next batch
 *                        withdrawing what that jump proposed
 * @param idleInterval    round 20: how often a task with no work ticks ({@link AnalysisCadence}); {@code interval}: always
 *                        at the analysis interval
 * @param idleAfter       round 20: how long a task goes without work before it ticks at {@code idleInterval}
 */
record AnalysisPace(Duration interval, Duration catchUpInterval, long catchUpBehindMs, Duration tickBudget,
                    int sliceEvents, Duration timerQuiet, Duration idleInterval, Duration idleAfter) {

    static final Duration DEFAULT_TICK_BUDGET = Duration.ofMillis(100);
    static final int DEFAULT_SLICE_EVENTS = 500;

    AnalysisPace(Duration interval, Duration catchUpInterval, Duration catchUpBehind) {
        this(interval, catchUpInterval, catchUpBehind.toMillis(), DEFAULT_TICK_BUDGET, DEFAULT_SLICE_EVENTS, Duration.ZERO,
                interval, Duration.ZERO);
    }

    /**
     * Every interval, however far behind, every marked athlete finished within the tick whatever it costs (the
     * TopologyTestDriver tests: their records carry event times, and a slow machine must not move their ticks).
     */
    static AnalysisPace every(Duration interval) {
        return new AnalysisPace(interval, interval, Long.MAX_VALUE, Duration.ofDays(1), DEFAULT_SLICE_EVENTS,
                Duration.ZERO, interval, Duration.ZERO);
    }

    /** The same pace with another bound on a tick's work. */
    AnalysisPace bounded(Duration tickBudget, int sliceEvents) {
        return new AnalysisPace(interval, catchUpInterval, catchUpBehindMs, tickBudget, sliceEvents, timerQuiet,
                idleInterval, idleAfter);
    }

    /** The same pace with another quiet time before an athlete's timers fire. */
    AnalysisPace timersAfterQuiet(Duration quiet) {
        return new AnalysisPace(interval, catchUpInterval, catchUpBehindMs, tickBudget, sliceEvents, quiet,
                idleInterval, idleAfter);
    }

    /** Round 20: the same pace, ticking every {@code idleInterval} once a task has had no work for {@code after}. */
    AnalysisPace idlingAfter(Duration after, Duration idleInterval) {
        return new AnalysisPace(interval, catchUpInterval, catchUpBehindMs, tickBudget, sliceEvents, timerQuiet,
                idleInterval, after);
    }

    /**
     * True when the marked athletes wait {@link #catchUpInterval} rather than {@link #interval}: the task's latest
     * activity record was read {@code latestRecordAgeMs} after it was written.
     */
    boolean catchingUp(long latestRecordAgeMs) {
        return latestRecordAgeMs > catchUpBehindMs;
    }
}
