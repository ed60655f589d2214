package io.strideback.loadmonitor.mapping;

import io.strideback.events.ActivityEvents.SessionLogged;
import io.strideback.events.ActivityEvents.SymptomReported;
import io.strideback.events.FindingEvents;
import io.strideback.loadmonitor.domain.*;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Events in, domain values; domain findings out, events and REST views. */
public final class FindingsMapping {

    private FindingsMapping() {
    }

    public static TrainingSession session(String eventId, SessionLogged s) {
        List<StrengthExercise> exercises = new java.util.ArrayList<>();
        if (s.strength() != null && s.strength().exercises() != null) {
            for (var e : s.strength().exercises()) {
                if (e != null) {
                    exercises.add(new StrengthExercise(e.name(), e.sets(), e.reps(), e.loadKg(), e.rpe()));
                }
            }
        }
        return new TrainingSession(eventId, s.sessionId(), s.type(), s.startedAt(), s.durationMin(), s.rpe(),
                s.run() == null ? null : s.run().distanceKm(), s.run() == null ? null : s.run().intensity(),
                s.run() == null ? null : s.run().cadenceSpm(), exercises);
    }

    public static SymptomReport symptom(String eventId, SymptomReported s) {
        return new SymptomReport(eventId, s.observedAt(), s.pain(), s.location(),
                s.character() == null || s.character().isEmpty() ? Set.of() : EnumSet.copyOf(s.character()),
                s.context(),
                s.redFlags() == null || s.redFlags().isEmpty() ? Set.of() : EnumSet.copyOf(s.redFlags()));
    }

    public static FindingEvents.Episode episode(FlareUpEpisode e) {
        ClassificationEvidence ev = e.evidence();
        return new FindingEvents.Episode(e.episodeId(), e.startedAt(), e.endedAt(), e.peakPain(), e.classification(),
                e.rule(), ev == null ? new FindingEvents.Evidence(null, null, null, null)
                        : new FindingEvents.Evidence(ev.triggeringSessionId(), ev.triggeringRunKm(), ev.intensity(),
                        ev.spikeRatio()),
                e.eventIds());
    }

    /**
     * The read API's body: CONTRACT.md's fields plus the rules' own evidence. Not the load (issue #15): its days grow
     * with the athlete's history and this view is written at every analysis; {@code GET .../load} computes it.
     */
    public record FindingsView(List<EpisodeView> episodes, List<PatternView> patterns,
                               List<ProposedAdjustment> adjustments) {
    }

    public record EpisodeView(String episodeId, java.time.Instant startedAt, java.time.Instant endedAt, int peakPain,
                              String classification, String rule, EvidenceView evidence, List<String> eventIds) {
    }

    public record EvidenceView(String triggeringSessionId, String triggeringEventId, Double triggeringRunKm,
                               String intensity, Double spikeRatio, String onsetContext) {
    }

    public record PatternView(String kind, java.time.Instant since, List<String> episodeIds,
                              List<String> evidenceEventIds) {
    }

    public static FindingsView view(Findings f) {
        return new FindingsView(
                f.episodes().stream().map(e -> {
                    ClassificationEvidence ev = e.evidence();
                    return new EpisodeView(e.episodeId(), e.startedAt(), e.endedAt(), e.peakPain(),
                            e.classification().name(), e.rule(),
                            ev == null ? new EvidenceView(null, null, null, null, null, null)
                                    : new EvidenceView(ev.triggeringSessionId(), ev.triggeringEventId(),
                                    ev.triggeringRunKm(), ev.intensity() == null ? null : ev.intensity().name(),
                                    ev.spikeRatio(), ev.onsetContext() == null ? null : ev.onsetContext().name()),
                            e.eventIds());
                }).toList(),
                f.patterns().stream().map(p -> new PatternView(p.kind().name(), p.since(), p.episodeIds(),
                        p.evidenceEventIds())).toList(),
                f.adjustments());
    }
}
