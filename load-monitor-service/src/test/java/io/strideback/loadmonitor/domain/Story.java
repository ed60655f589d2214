package io.strideback.loadmonitor.domain;

import io.strideback.events.vocabulary.AdjustmentType;
import io.strideback.events.vocabulary.Diagnosis;
import io.strideback.events.vocabulary.PainCharacter;
import io.strideback.events.vocabulary.PainLocation;
import io.strideback.events.vocabulary.PatternKind;
import io.strideback.events.vocabulary.RedFlag;
import io.strideback.events.vocabulary.RunIntensity;
import io.strideback.events.vocabulary.SessionType;
import io.strideback.events.vocabulary.SymptomContext;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * An athlete's story in the clinic's words, for given/when/then tests: "runs 5 km easy on day 2 at 07:00",
 * "reports 6/10 pulling while walking at 10:30". Days count from Monday 2 March 2026; times are UTC unless the
 * story is told in a clinic's zone.
 */
final class Story {

    static final LocalDate DAY_0 = LocalDate.of(2026, 3, 2);

    private AthleteTimeline timeline;
    private ClinicRules rules = ClinicRules.defaults();
    private ZoneId zone = ZoneOffset.UTC;

    private Story(AthleteProfile profile) {
        this.timeline = AthleteTimeline.of(profile);
    }

    static Story enrol(AthleteProfile profile) {
        return new Story(profile);
    }

    static Story athlete() {
        return new Story(profile("ath-1", null));
    }

    /** An athlete the clinician found could run {@code km} before symptoms at enrolment. */
    static Story athleteDeclaringSymptomFreeKm(double km) {
        return new Story(profile("ath-1", km));
    }

    static AthleteProfile profile(String athleteId, Double declaredSymptomFreeKm) {
        return new AthleteProfile(athleteId, "clinic-1", Diagnosis.CALF_STRAIN_SOLEUS, DAY_0.minusDays(30),
                declaredSymptomFreeKm);
    }

    /** Day {@code d} at {@code hh:mm} UTC. */
    static Instant day(int d, String hhmm) {
        return at(d, hhmm, ZoneOffset.UTC);
    }

    static Instant at(int d, String hhmm, ZoneId zone) {
        String[] p = hhmm.split(":");
        return DAY_0.plusDays(d).atTime(Integer.parseInt(p[0]), Integer.parseInt(p[1])).atZone(zone).toInstant();
    }

    Story withRules(ClinicRules newRules) {
        this.rules = newRules;
        return this;
    }

    /** Tell the story in the clinic's zone: its calendar days, and {@link #on} times read in it. */
    Story inClinicZone(ZoneId clinicZone) {
        this.zone = clinicZone;
        this.rules = rules.toBuilder().clinicZone(clinicZone).build();
        return this;
    }

    Instant on(int d, String hhmm) {
        return at(d, hhmm, zone);
    }

    // ---- sessions

    /** A run at 6 min/km, RPE 4. */
    Story run(String id, Instant at, double km, RunIntensity intensity) {
        return run(id, at, km, intensity, null);
    }

    Story run(String id, Instant at, double km, RunIntensity intensity, Integer cadenceSpm) {
        return session(new TrainingSession(id, "session-" + id, SessionType.RUN, at, km * 6, 4, km, intensity,
                cadenceSpm));
    }

    Story strength(String id, Instant at, double minutes, int rpe) {
        return session(new TrainingSession(id, "session-" + id, SessionType.STRENGTH, at, minutes, rpe, null, null,
                null));
    }

    /** A strength session of calf raises: {@code sets} x {@code reps} at {@code rpe}. */
    Story calfRaises(String id, Instant at, int sets, int reps, int rpe) {
        return session(new TrainingSession(id, "session-" + id, SessionType.STRENGTH, at, 30, rpe, null, null, null,
                List.of(new StrengthExercise("SINGLE_LEG_CALF_RAISE_STRAIGHT_KNEE", sets, reps, 10.0, rpe),
                        new StrengthExercise("SEATED_CALF_RAISE", sets, reps, 20.0, rpe))));
    }

    Story crossTraining(String id, Instant at, double minutes, int rpe) {
        return session(new TrainingSession(id, "session-" + id, SessionType.CROSS_TRAINING, at, minutes, rpe, null,
                null, null));
    }

    Story session(TrainingSession session) {
        timeline = timeline.with(session);
        return this;
    }

    // ---- symptoms

    Story report(String id, Instant at, int pain, SymptomContext context, PainCharacter... character) {
        return report(id, at, pain, context, PainLocation.MID_CALF, character);
    }

    Story report(String id, Instant at, int pain, SymptomContext context, PainLocation location,
                 PainCharacter... character) {
        return symptom(new SymptomReport(id, at, pain, location, set(PainCharacter.class, character), context,
                Set.of()));
    }

    Story redFlag(String id, Instant at, int pain, RedFlag... flags) {
        return symptom(new SymptomReport(id, at, pain, PainLocation.WHOLE_CALF, Set.of(), SymptomContext.AT_REST,
                set(RedFlag.class, flags)));
    }

    Story symptom(SymptomReport report) {
        timeline = timeline.with(report);
        return this;
    }

    // ---- then

    AthleteTimeline timeline() {
        return timeline;
    }

    ClinicRules rules() {
        return rules;
    }

    Findings findings() {
        return LoadMonitor.analyse(timeline, rules);
    }

    /** The findings as of {@code clock}, with what time alone brought by then. */
    FindingsAsOf findingsAsOf(Instant clock) {
        return LoadMonitor.analyse(timeline, rules, clock);
    }

    /** The episode the report {@code reportId} started. */
    FlareUpEpisode episodeStartedBy(String reportId) {
        return findEpisodeStartedBy(findings(), reportId)
                .orElseThrow(() -> new AssertionError("no episode started by " + reportId));
    }

    static Optional<FlareUpEpisode> findEpisodeStartedBy(Findings findings, String reportId) {
        return findings.episodes().stream().filter(e -> e.firstEventId().equals(reportId)).findFirst();
    }

    List<ProposedAdjustment> adjustments(AdjustmentType type) {
        return of(findings(), type);
    }

    static List<ProposedAdjustment> of(Findings findings, AdjustmentType type) {
        List<ProposedAdjustment> out = new ArrayList<>();
        for (ProposedAdjustment a : findings.adjustments()) {
            if (a.type() == type) {
                out.add(a);
            }
        }
        return out;
    }

    /**
     * The adjustments of every pattern but "flare-up while loading", which rules v2 proposes for every episode
     * (isometric holds for 72 h): for the tests of the other patterns.
     */
    static List<ProposedAdjustment> besidesIsometrics(Findings findings) {
        return findings.adjustments().stream().filter(a -> a.pattern() != PatternKind.FLARE_UP_WHILE_LOADING).toList();
    }

    static List<ProposedAdjustment> besidesIsometrics(Findings findings, AdjustmentType type) {
        return besidesIsometrics(findings).stream().filter(a -> a.type() == type).toList();
    }

    List<ProposedAdjustment> besidesIsometrics(AdjustmentType type) {
        return besidesIsometrics(findings(), type);
    }

    /** The patterns holding but "flare-up while loading" (shown for 72 h after every flare-up). */
    static List<DetectedPattern> besidesLoading(Findings findings) {
        return findings.patterns().stream().filter(p -> p.kind() != PatternKind.FLARE_UP_WHILE_LOADING).toList();
    }

    static Optional<DetectedPattern> pattern(Findings findings, PatternKind kind) {
        return findings.patterns().stream().filter(p -> p.kind() == kind).findFirst();
    }

    static Duration hours(long h) {
        return Duration.ofHours(h);
    }

    @SafeVarargs
    private static <E extends Enum<E>> Set<E> set(Class<E> type, E... values) {
        EnumSet<E> s = EnumSet.noneOf(type);
        s.addAll(Arrays.asList(values));
        return s;
    }
}
