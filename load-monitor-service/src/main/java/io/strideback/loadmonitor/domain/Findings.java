package io.strideback.loadmonitor.domain;

import java.util.List;
import java.util.Objects;

/**
 * What the monitor concludes from one athlete's timeline.
 *
 * @param episodes    every flare-up episode, by onset
 * @param patterns    the patterns that hold as of the latest event (settled: as of the clock, when analysed with
 *                    one), in {@code PatternKind} order
 * @param adjustments every adjustment proposed as the timeline unfolded, by the event time it became due
 * @param load        training load and derived distances as of the latest event
 */
public record Findings(List<FlareUpEpisode> episodes, List<DetectedPattern> patterns,
                       List<ProposedAdjustment> adjustments, LoadSummary load) {

    public Findings {
        episodes = List.copyOf(episodes);
        patterns = List.copyOf(patterns);
        adjustments = List.copyOf(adjustments);
        Objects.requireNonNull(load, "load");
    }
}
