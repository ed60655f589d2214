package io.strideback.loadmonitor.streams;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * How often the athletes marked by new events are analysed (issue #14, analysis per batch). Caught up, every
 * {@code interval} (short: a red flag reaches the plan within tens of milliseconds). While the monitor's consumer
 * has more than {@code catchUpBacklog} records waiting (a replay, a fresh instance, a burst it fell behind on), every
 * {@code catchUpInterval}: an athlete analysed every 20 ms would be analysed again as soon as its next waiting event
 * is read, so the analyses of a backlog are spent once per batch of its events instead, and the backlog drains
 * faster. Each analysis is of the athlete's whole set of events at that moment, so the findings converge to the same
 * ones; only intermediate announcements a later event overturns within the interval are not made (as within 20 ms).
 *
 * @param backlog the records waiting on the monitor's input partitions, as its consumer last saw them
 */
record AnalysisPace(Duration interval, Duration catchUpInterval, long catchUpBacklog, LongSupplier backlog) {

    /** Every interval, whatever the backlog (the TopologyTestDriver tests: they read no consumer). */
    static AnalysisPace every(Duration interval) {
        return new AnalysisPace(interval, interval, Long.MAX_VALUE, () -> 0);
    }

    /** True when the marked athletes wait {@link #catchUpInterval} rather than {@link #interval}. */
    boolean catchingUp() {
        return backlog.getAsLong() > catchUpBacklog;
    }
}
