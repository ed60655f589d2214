package io.strideback.loadmonitor.streams;

import io.strideback.loadmonitor.domain.AthleteTimeline;
import io.strideback.loadmonitor.domain.ClinicRules;
import io.strideback.loadmonitor.domain.Findings;
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

    static Findings findings(AthleteAnalyses analyses, AthleteTimeline timeline, Instant changedFrom,
                             ClinicRules rules) {
        return analyses.update(timeline, changedFrom, rules);
    }
}
