package io.strideback.events;

import io.strideback.events.vocabulary.AdjustmentType;
import io.strideback.events.vocabulary.FlareUpClassification;
import io.strideback.events.vocabulary.PatternKind;
import io.strideback.events.vocabulary.RunIntensity;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What load-monitor-service concludes, on {@link Topic#LOAD_FINDINGS} and {@link Topic#PLAN_ADJUSTMENTS}. */
public final class FindingEvents {
    private FindingEvents() {
    }

    public record Episode(String episodeId, Instant startedAt, Instant endedAt, int peakPain,
                          FlareUpClassification classification, String rule, Evidence evidence,
                          List<String> eventIds) {
    }

    /** Why an episode was classified as it was (DOMAIN.md: evidence kept with every classification). */
    public record Evidence(String triggeringSessionId, Double triggeringRunKm, RunIntensity intensity,
                           Double spikeRatio) {
    }

    public record FlareUpDetected(String athleteId, String clinicId, Episode episode) implements AboutAthlete {
    }

    public record FlareUpReclassified(String athleteId, String clinicId, FlareUpClassification previousClassification,
                                      String previousRule, Episode episode) implements AboutAthlete {
    }

    /**
     * A pattern the rules see. {@code evidenceEventIds}: the events that make it beside its episodes, e.g. the runs
     * over the plan of an {@code OVER_THE_PLAN} pattern, which has no episodes (null in records written before it).
     */
    public record PatternDetected(String athleteId, String clinicId, PatternKind kind, Instant since,
                                  List<String> episodeIds, List<String> evidenceEventIds) implements AboutAthlete {

        /** A pattern made of episodes alone. */
        public PatternDetected(String athleteId, String clinicId, PatternKind kind, Instant since,
                               List<String> episodeIds) {
            this(athleteId, clinicId, kind, since, episodeIds, List.of());
        }
    }

    /**
     * A proposed plan change. {@code adjustmentId} is derived from the content (athlete, type, rule,
     * evidence), so the same proposal emitted twice is recognisably the same downstream.
     */
    public record AdjustmentProposed(String adjustmentId, String athleteId, String clinicId, AdjustmentType type,
                                     PatternKind pattern, String rule, Map<String, Object> parameters,
                                     List<String> evidenceEventIds, String reason, Instant proposedAt) implements AboutAthlete {
    }

    /**
     * DOMAIN.md "Convergence": an episode announced earlier is no longer made by the athlete's events (a late
     * event merged, split or reclassified it away). {@code reason} is one plain sentence.
     */
    public record FlareUpWithdrawn(String athleteId, String clinicId, String episodeId, String reason,
                                   Instant withdrawnAt) implements AboutAthlete {
    }

    /**
     * DOMAIN.md "Convergence": the monitor no longer stands behind a proposal it made; the plan drops what the
     * adjustment imposed. The same {@code adjustmentId} proposed again later is a new proposal of the same item.
     */
    public record AdjustmentWithdrawn(String adjustmentId, String athleteId, String clinicId, AdjustmentType type,
                                      String reason, Instant withdrawnAt) implements AboutAthlete {
    }

    /**
     * DOMAIN.md pattern "over the plan": a logged run longer than the cap, faster than the allowed intensity or
     * during a pause. For the clinician only; it changes no plan. {@code breach} names which limit
     * ({@code OVER_DISTANCE_CAP}, {@code OVER_INTENSITY}, {@code DURING_PAUSE}). {@code adherenceId} is derived from
     * the athlete, the session's event id and the breach, so the same breach keeps its id however often it is
     * judged; {@code sessionEventId} is the run's event id; {@code inForceSince} when the breached constraint came
     * into force and {@code planVersion} the plan version whose schedule was read.
     */
    public record AdherenceNoted(String athleteId, String clinicId, String sessionId, Instant sessionAt,
                                 String breach, Double runKm, Double capKm, RunIntensity intensity,
                                 String allowedIntensity, String reason, String adherenceId, String sessionEventId,
                                 Instant inForceSince, Long planVersion) implements AboutAthlete {
    }

    /**
     * DOMAIN.md "Convergence" for "over the plan" (an extension of CONTRACT v2, like {@code flareup.withdrawn}): a
     * later plan version no longer makes this run a breach (the cap it was judged against was withdrawn or came
     * later on the plan's timeline), so the finding no longer stands. {@code reason} is one plain sentence.
     */
    public record AdherenceWithdrawn(String athleteId, String clinicId, String adherenceId, String sessionEventId,
                                     String breach, String reason, Instant withdrawnAt) implements AboutAthlete {
    }
}
