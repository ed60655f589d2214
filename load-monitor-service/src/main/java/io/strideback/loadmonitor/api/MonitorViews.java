package io.strideback.loadmonitor.api;

import io.strideback.events.ActivityEvents;
import io.strideback.events.vocabulary.PainCharacter;
import io.strideback.events.vocabulary.PainLocation;
import io.strideback.events.vocabulary.RedFlag;
import io.strideback.events.vocabulary.SessionType;
import io.strideback.events.vocabulary.SymptomContext;
import io.strideback.loadmonitor.domain.AdherenceFinding;
import io.strideback.loadmonitor.domain.ProposedAdjustment;
import io.strideback.loadmonitor.domain.SymptomReport;
import io.strideback.loadmonitor.mapping.FindingsMapping.EpisodeView;
import io.strideback.loadmonitor.mapping.FindingsMapping.PatternView;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/** The read API's bodies (CONTRACT.md "load-monitor-service"), one record per answer. */
public final class MonitorViews {

    private MonitorViews() {
    }

    public record FlareUps(List<EpisodeView> episodes) {
    }

    public record Patterns(List<PatternView> patterns) {
    }

    public record Adjustments(List<ProposedAdjustment> adjustments) {
    }

    /** DOMAIN.md "over the plan": the athlete's runs outside the plan in force at their time, oldest first. */
    public record Adherence(List<AdherenceFinding> findings) {
    }

    /** The athlete's sessions and symptom reports as the monitor holds them, in event time, each with its event id. */
    public record Timeline(String athleteId, List<SessionView> sessions, List<SymptomView> symptoms) {
    }

    public record SessionView(String eventId, String sessionId, SessionType type, Instant startedAt, double durationMin,
                              Integer rpe, ActivityEvents.Run run, ActivityEvents.Strength strength) {
    }

    public record SymptomView(String eventId, Instant observedAt, int pain, PainLocation location,
                              Set<PainCharacter> character, SymptomContext context, Set<RedFlag> redFlags) {

        /**
         * The sets in their vocabulary's order, however they were made: a forwarded read is this record read back
         * from the owning instance's JSON, into hash sets of enums whose order is each JVM's own (round 18: two
         * replicas answered one symptom's characters in two orders; ForwardedReadTest).
         */
        public SymptomView {
            character = SymptomReport.enumSet(character, PainCharacter.class);
            redFlags = SymptomReport.enumSet(redFlags, RedFlag.class);
        }
    }

    /** The clinic overview: each athlete's flare-up counts, latest episode, red flag and patterns. */
    public record ClinicAthletes(List<ClinicAthlete> athletes) {
    }

    public record ClinicAthlete(String athleteId, String diagnosis, int episodes, int runningTriggered, int random,
                                int recentEpisodes, int recentDays, Instant lastEpisodeAt, boolean openEpisode,
                                boolean redFlag, List<String> patterns) {
    }

    /** Cross-clinic counts for ops: no athlete data. */
    public record OpsSummary(List<EpisodeCount> episodes) {
    }

    public record EpisodeCount(String clinicId, String classification, long episodes, long athletes) {
    }
}
