package io.strideback.loadmonitor.domain;

import io.strideback.events.vocabulary.PatternKind;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A pattern of DOMAIN.md's table that holds over the trailing 42 days.
 *
 * @param kind             which row of the table
 * @param since            the event time from which it has held without a break
 * @param episodeIds       the episodes it rests on (none for SETTLED, and for RED_FLAG when no episode carried one)
 * @param evidenceEventIds the symptom reports and sessions it rests on, in event time
 */
public record DetectedPattern(PatternKind kind, Instant since, List<String> episodeIds,
                              List<String> evidenceEventIds) {

    public DetectedPattern {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(since, "since");
        episodeIds = List.copyOf(episodeIds);
        evidenceEventIds = List.copyOf(evidenceEventIds);
    }
}
