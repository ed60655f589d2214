package io.strideback.loadmonitor.streams;

import io.strideback.loadmonitor.domain.AthleteTimeline;
import io.strideback.loadmonitor.domain.ClinicRules;
import io.strideback.loadmonitor.domain.Findings;
import io.strideback.loadmonitor.domain.LoadMonitor;

/**
 * The one place the topology runs the rules on an athlete's timeline. Today a full recomputation
 * ({@link LoadMonitor#analyse}); the incremental analysis of issue 14 (same result, cost bounded by the
 * 42-day window) replaces this call and nothing else.
 */
final class MonitorAnalysis {

    private MonitorAnalysis() {
    }

    static Findings findings(AthleteTimeline timeline, ClinicRules rules) {
        return LoadMonitor.analyse(timeline, rules);
    }
}
