package io.strideback.loadmonitor.streams;

import io.strideback.loadmonitor.domain.AthleteTimeline;
import io.strideback.loadmonitor.domain.ClinicRules;
import io.strideback.loadmonitor.domain.FindingsAsOf;
import io.strideback.loadmonitor.domain.LoadMonitor;
import io.strideback.loadmonitor.state.AthleteAnalyses;

import java.time.Instant;

/**
 * The one place the topology runs the rules on an athlete's timeline: the incremental analysis of issue 14
 * ({@link AthleteAnalyses}), the same findings as a full {@link LoadMonitor#analyse} (a property test compares
 * them after every event) at a cost bounded by the 42-day window rather than the athlete's whole history.
 */
final class MonitorAnalysis {

    private MonitorAnalysis() {
    }

    /**
     * The athlete's findings as of {@code clock} (round 16; null: as of the latest event): with what time alone made
     * due by then, each at its own due instant, and when time alone changes them next
     * ({@link LoadMonitor#analyse(AthleteTimeline, ClinicRules, Instant)}).
     */
    static FindingsAsOf findings(AthleteAnalyses analyses, AthleteTimeline timeline, Instant changedFrom,
                                 ClinicRules rules, Instant clock) {
        return analyses.update(timeline, changedFrom, rules, clock);
    }
}
