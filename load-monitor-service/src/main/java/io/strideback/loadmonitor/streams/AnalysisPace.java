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
 * @param catchUpBehindMs how old (ms) a record may be when read before the task counts as catching up
 */
record AnalysisPace(Duration interval, Duration catchUpInterval, long catchUpBehindMs) {

    AnalysisPace(Duration interval, Duration catchUpInterval, Duration catchUpBehind) {
        this(interval, catchUpInterval, catchUpBehind.toMillis());
    }

    /** Every interval, however far behind (the TopologyTestDriver tests: their records carry event times). */
    static AnalysisPace every(Duration interval) {
        return new AnalysisPace(interval, interval, Long.MAX_VALUE);
    }

    /**
     * True when the marked athletes wait {@link #catchUpInterval} rather than {@link #interval}: the task's latest
     * activity record was read {@code latestRecordAgeMs} after it was written.
     */
    boolean catchingUp(long latestRecordAgeMs) {
        return latestRecordAgeMs > catchUpBehindMs;
    }
}
