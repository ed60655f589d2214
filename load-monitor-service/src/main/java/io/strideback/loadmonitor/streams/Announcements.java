package io.strideback.loadmonitor.streams;

import io.strideback.events.EventEnvelope;
import io.strideback.events.EventType;
import io.strideback.events.FindingEvents.AdjustmentProposed;
import io.strideback.events.FindingEvents.AdjustmentWithdrawn;
import io.strideback.events.FindingEvents.FlareUpDetected;
import io.strideback.events.FindingEvents.FlareUpReclassified;
import io.strideback.events.FindingEvents.FlareUpWithdrawn;
import io.strideback.events.FindingEvents.PatternDetected;
import io.strideback.loadmonitor.domain.DetectedPattern;
import io.strideback.loadmonitor.domain.Findings;
import io.strideback.loadmonitor.domain.FlareUpEpisode;
import io.strideback.loadmonitor.domain.ProposedAdjustment;
import io.strideback.loadmonitor.mapping.FindingsMapping;
import io.strideback.loadmonitor.streams.AthleteState.AnnouncedAdjustment;
import io.strideback.loadmonitor.streams.AthleteState.AnnouncedEpisode;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What a new analysis announces: the difference between the findings and what was announced before
 * (held in {@link AthleteState}), which it then records as announced. DOMAIN.md "Convergence": an episode the
 * events no longer make is withdrawn, and so is an adjustment the monitor no longer stands behind; a later
 * return of either is announced again. Every event's ce_id is derived from its content and how many times the
 * item was announced before, so replaying the same input after a crash gives the same ids (the plan
 * deduplicates by ce_id), and a re-proposal after a withdrawal has a new one.
 */
final class Announcements {

    static final String SOURCE = "/strideback/load-monitor-service";

    static final String EPISODE_WITHDRAWN = "With the athlete's events as they stand now (a late or corrected"
            + " report changed the episodes), these reports no longer make this flare-up.";
    static final String ADJUSTMENT_WITHDRAWN = "The findings no longer support this adjustment: with the athlete's"
            + " events as they stand now (late or corrected ones included) and the clinic's settings, the rules"
            + " no longer propose it.";

    private Announcements() {
    }

    /**
     * The events announcing what changed between {@code state}'s announced findings and {@code findings};
     * {@code state} is updated to the new findings. {@code at} is the time of the record that caused the analysis
     * (deterministic on a replay).
     */
    static List<EventEnvelope<?>> diff(AthleteState state, Findings findings, Instant at) {
        String clinicId = state.profile.clinicId();
        String athleteId = state.profile.athleteId();
        List<EventEnvelope<?>> out = new ArrayList<>();

        Set<String> episodesNow = new HashSet<>();
        for (FlareUpEpisode e : findings.episodes()) {
            episodesNow.add(e.episodeId());
            AnnouncedEpisode before = state.episodes.get(e.episodeId());
            if (before == null || !before.current()) {
                int generation = before == null ? 0 : before.generation();
                out.add(event(EventType.FLAREUP_DETECTED, "detected|" + e.episodeId() + suffix(generation),
                        e.startedAt(), clinicId, athleteId,
                        new FlareUpDetected(athleteId, clinicId, FindingsMapping.episode(e))));
                state.episodes.put(e.episodeId(), new AnnouncedEpisode(e.classification(), e.rule(), generation + 1,
                        true));
            } else if (before.classification() != e.classification()) {
                // A late event changed where this flare-up came from: say so, never silently.
                out.add(event(EventType.FLAREUP_RECLASSIFIED, "reclassified|" + e.episodeId() + "|"
                                + e.classification() + "|" + e.rule() + suffix(before.generation()), e.startedAt(),
                        clinicId, athleteId, new FlareUpReclassified(athleteId, clinicId, before.classification(),
                                before.rule(), FindingsMapping.episode(e))));
                state.episodes.put(e.episodeId(), new AnnouncedEpisode(e.classification(), e.rule(),
                        before.generation() + 1, true));
            } else if (!java.util.Objects.equals(before.rule(), e.rule())) {
                state.episodes.put(e.episodeId(), new AnnouncedEpisode(e.classification(), e.rule(),
                        before.generation(), true));
            }
        }
        for (Map.Entry<String, AnnouncedEpisode> announced : new ArrayList<>(state.episodes.entrySet())) {
            AnnouncedEpisode before = announced.getValue();
            if (before.current() && !episodesNow.contains(announced.getKey())) {
                out.add(event(EventType.FLAREUP_WITHDRAWN, "withdrawn|" + announced.getKey()
                                + suffix(before.generation()), at, clinicId, athleteId,
                        new FlareUpWithdrawn(athleteId, clinicId, announced.getKey(), EPISODE_WITHDRAWN, at)));
                state.episodes.put(announced.getKey(), new AnnouncedEpisode(before.classification(), before.rule(),
                        before.generation() + 1, false));
            }
        }

        Set<String> patternsNow = new HashSet<>();
        for (DetectedPattern p : findings.patterns()) {
            String key = p.kind() + "|" + p.since();
            patternsNow.add(key);
            if (state.patterns.add(key)) {
                out.add(event(EventType.PATTERN_DETECTED, "pattern|" + clinicId + "|" + athleteId + "|" + p.kind()
                                + "|" + p.since(), p.since(), clinicId, athleteId,
                        new PatternDetected(athleteId, clinicId, p.kind(), p.since(), p.episodeIds(),
                                p.evidenceEventIds())));
            }
        }
        // A pattern that no longer holds has no event of its own (the read API shows the current ones).
        state.patterns.retainAll(patternsNow);

        Map<String, ProposedAdjustment> adjustmentsNow = new LinkedHashMap<>();
        findings.adjustments().forEach(a -> adjustmentsNow.put(a.adjustmentId(), a));
        // Withdrawals first: the plan drops what no longer holds before it takes what replaces it.
        for (Map.Entry<String, AnnouncedAdjustment> announced : new ArrayList<>(state.adjustments.entrySet())) {
            AnnouncedAdjustment before = announced.getValue();
            if (before.current() && !adjustmentsNow.containsKey(announced.getKey())) {
                out.add(event(EventType.PLAN_ADJUSTMENT_WITHDRAWN, "adjustment-withdrawn|" + announced.getKey()
                                + suffix(before.generation()), at, clinicId, athleteId,
                        new AdjustmentWithdrawn(announced.getKey(), athleteId, clinicId, before.type(),
                                ADJUSTMENT_WITHDRAWN, at)));
                state.adjustments.put(announced.getKey(), new AnnouncedAdjustment(before.type(),
                        before.generation() + 1, false));
            }
        }
        for (ProposedAdjustment p : adjustmentsNow.values()) {
            AnnouncedAdjustment before = state.adjustments.get(p.adjustmentId());
            if (before != null && before.current()) {
                continue;
            }
            int generation = before == null ? 0 : before.generation();
            // The first proposal's ce_id is its content-derived adjustment id (as before convergence); a
            // re-proposal after a withdrawal is the same adjustment id under a new ce_id.
            String ceId = generation == 0 ? p.adjustmentId()
                    : id(clinicId, athleteId, "proposed|" + p.adjustmentId() + suffix(generation));
            out.add(new EventEnvelope<>(ceId, EventType.PLAN_ADJUSTMENT_PROPOSED, SOURCE, p.proposedAt(), athleteId,
                    clinicId, EventType.CURRENT_SCHEMA_VERSION, new AdjustmentProposed(p.adjustmentId(), athleteId,
                    clinicId, p.type(), p.pattern(), p.rule(), p.parameters(), p.evidenceEventIds(), p.reason(),
                    p.proposedAt())));
            state.adjustments.put(p.adjustmentId(), new AnnouncedAdjustment(p.type(), generation, true));
        }
        return out;
    }

    private static String suffix(int generation) {
        return generation == 0 ? "" : "|" + generation;
    }

    private static <T> EventEnvelope<T> event(EventType type, String idSeed, Instant time, String clinicId,
                                              String athleteId, T data) {
        return new EventEnvelope<>(id(clinicId, athleteId, idSeed), type, SOURCE, time, athleteId, clinicId,
                EventType.CURRENT_SCHEMA_VERSION, data);
    }

    /** The same seed the PostgreSQL design used, so ids already announced stay the same after the move. */
    private static String id(String clinicId, String athleteId, String idSeed) {
        return UUID.nameUUIDFromBytes((clinicId + "|" + athleteId + "|" + idSeed).getBytes(StandardCharsets.UTF_8))
                .toString();
    }
}
