package io.strideback.loadmonitor.domain;

import io.strideback.events.vocabulary.FlareUpClassification;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A flare-up: from the report that started it, through the reports that joined it, to the moment it settled.
 *
 * @param episodeId      derived from the first report's event id, so it survives re-analysis
 * @param startedAt      the first report's event time
 * @param endedAt        when 48 h with every report at pain <= 2 were complete; null while open or while neither a
 *                       later event nor the clock shows that time has passed (nothing can join it any more)
 * @param peakPain       the highest pain reported in the episode
 * @param classification RUNNING_TRIGGERED or RANDOM, by the first report
 * @param rule           the classification rule that fired, e.g. ONSET_AFTER_RUN, RANDOM_WALKING
 * @param evidence       the triggering run and onset context behind the classification
 * @param eventIds       the symptom reports in the episode, in event time
 * @param onsetRule      the flare-up trigger the first report met, e.g. PAIN_AT_LEAST_5 (added to the agreed shape;
 *                       the eight-argument constructor leaves it null)
 */
public record FlareUpEpisode(String episodeId, Instant startedAt, Instant endedAt, int peakPain,
                             FlareUpClassification classification, String rule, ClassificationEvidence evidence,
                             List<String> eventIds, String onsetRule) {

    public FlareUpEpisode {
        Objects.requireNonNull(episodeId, "episodeId");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(classification, "classification");
        eventIds = List.copyOf(eventIds);
    }

    public FlareUpEpisode(String episodeId, Instant startedAt, Instant endedAt, int peakPain,
                          FlareUpClassification classification, String rule, ClassificationEvidence evidence,
                          List<String> eventIds) {
        this(episodeId, startedAt, endedAt, peakPain, classification, rule, evidence, eventIds, null);
    }

    /** The report that started the episode. */
    public String firstEventId() {
        return eventIds.get(0);
    }
}
