package io.strideback.loadmonitor.streams;

import io.strideback.events.ActivityEvents;
import io.strideback.events.EventEnvelope;
import io.strideback.events.EventType;
import io.strideback.events.vocabulary.Side;
import io.strideback.loadmonitor.domain.AthleteProfile;
import io.strideback.loadmonitor.domain.ClinicRules;
import io.strideback.loadmonitor.domain.Findings;
import io.strideback.loadmonitor.domain.LoadMonitor;
import io.strideback.loadmonitor.domain.ProposedAdjustment;
import io.strideback.loadmonitor.domain.RandomHistory;
import io.strideback.loadmonitor.domain.SymptomReport;
import io.strideback.loadmonitor.domain.TrainingSession;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * DOMAIN.md "Convergence" through the topology: a generated athlete's events (runs, strength, symptoms in every
 * context, red flags, ties) piped one at a time in time order and in a random order (late syncs, out of order)
 * end with the same episodes, patterns and adjustments the monitor stands behind (proposed minus withdrawn), and
 * those are what the rules conclude from the whole set at once.
 */
class ArrivalOrderPropertyTest {

    @TempDir
    Path stateDir;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {3, 21})
    void the_same_events_in_two_orders_end_the_same(long seed) {
        RandomHistory history = RandomHistory.generate(new Random(seed), "ath-" + seed);
        AthleteProfile profile = history.profile;
        try (MonitorDriver inTime = new MonitorDriver(stateDir, profile.clinicId(), profile.athleteId());
             MonitorDriver shuffled = new MonitorDriver(stateDir, profile.clinicId(), profile.athleteId())) {
            List<EventEnvelope<?>> events = new ArrayList<>();
            for (TrainingSession s : history.sessions) {
                events.add(session(profile, s));
            }
            for (SymptomReport r : history.reports) {
                events.add(symptom(profile, r));
            }
            EventEnvelope<?> enrolment = enrolment(profile);
            List<EventEnvelope<?>> timeOrder = new ArrayList<>(events);
            timeOrder.sort(Comparator.comparing(EventEnvelope<?>::time).thenComparing(EventEnvelope::id));
            List<EventEnvelope<?>> randomOrder = new ArrayList<>(events);
            Collections.shuffle(randomOrder, new Random(seed * 31));

            inTime.pipe(enrolment).pipe(timeOrder);
            shuffled.pipe(enrolment).pipe(randomOrder);

            AthleteMonitorTopologyTest.assertSameEnd(inTime, shuffled);
            // and that end is what the rules conclude from the whole set
            // as of the wall clock (round 16): what time alone made due by then came too, by the athlete's timer
            Findings whole = LoadMonitor.analyse(inTime.storedTimeline().orElseThrow(), ClinicRules.defaults(),
                    inTime.wallClock()).findings();
            assertThat(shuffled.currentAdjustments()).isEqualTo(new TreeSet<>(whole.adjustments().stream()
                    .map(ProposedAdjustment::adjustmentId).toList()));
            assertThat(shuffled.currentEpisodes()).hasSize(whole.episodes().size());
            assertThat(shuffled.deadLetters()).isEmpty();
        }
    }

    /**
     * DOMAIN.md "over the plan" and "Convergence": the same runs and the same plan versions (each with its own
     * schedule of caps, intensities and pauses) in time order and in a random order, plan events interleaved
     * anywhere, end with the same adherence findings, and those are the runs judged against the highest version.
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {5, 13, 34})
    void the_same_runs_and_plan_versions_in_any_order_give_the_same_adherence_findings(long seed) {
        Random random = new Random(seed);
        RandomHistory history = RandomHistory.generate(random, "ath-" + seed);
        AthleteProfile profile = history.profile;
        try (MonitorDriver inTime = new MonitorDriver(stateDir, profile.clinicId(), profile.athleteId());
             MonitorDriver shuffled = new MonitorDriver(stateDir, profile.clinicId(), profile.athleteId())) {
            Instant first = history.sessions.stream().map(TrainingSession::startedAt).min(Comparator.naturalOrder())
                    .orElseThrow();
            Instant lastRun = history.sessions.stream().map(TrainingSession::startedAt).max(Comparator.naturalOrder())
                    .orElseThrow();
            long span = java.time.Duration.between(first, lastRun).toMinutes();
            List<EventEnvelope<?>> events = new ArrayList<>();
            history.sessions.forEach(s -> events.add(session(profile, s)));
            history.reports.forEach(r -> events.add(symptom(profile, r)));
            List<io.strideback.events.PlanEvents.ConstraintPeriod> highest = null;
            int versions = 2 + random.nextInt(3);
            for (int v = 1; v <= versions; v++) {
                List<io.strideback.events.PlanEvents.ConstraintPeriod> schedule = new ArrayList<>();
                int periods = 1 + random.nextInt(4);
                for (int k = 0; k < periods; k++) {
                    Instant from = first.plus(java.time.Duration.ofMinutes((long) (random.nextDouble() * span)));
                    io.strideback.events.vocabulary.RunIntensity allowed = random.nextInt(4) == 0 ? null
                            : io.strideback.events.vocabulary.RunIntensity.values()[random.nextInt(3)];
                    schedule.add(MonitorDriver.period(k == 0 ? first.minusSeconds(86_400) : from,
                            random.nextInt(5) == 0 ? null : 2.0 + random.nextInt(12) / 2.0, allowed,
                            random.nextInt(5) == 0));
                }
                schedule.sort(Comparator.comparing(io.strideback.events.PlanEvents.ConstraintPeriod::from));
                events.add(inTime.plan(v, first.plus(java.time.Duration.ofMinutes(span * v / versions)), schedule));
                highest = schedule;
            }
            EventEnvelope<?> enrolment = enrolment(profile);
            List<EventEnvelope<?>> timeOrder = new ArrayList<>(events);
            timeOrder.sort(Comparator.comparing(EventEnvelope<?>::time).thenComparing(EventEnvelope::id));
            List<EventEnvelope<?>> randomOrder = new ArrayList<>(events);
            Collections.shuffle(randomOrder, new Random(seed * 31));

            inTime.pipe(enrolment).pipe(timeOrder);
            shuffled.pipe(enrolment).pipe(randomOrder);

            assertThat(shuffled.currentAdherence()).isEqualTo(inTime.currentAdherence());
            assertThat(shuffled.adherenceView()).isEqualTo(inTime.adherenceView());
            io.strideback.loadmonitor.domain.ConstraintSchedule schedule = AdherenceWatch.schedule(
                    (io.strideback.events.PlanEvents.PlanChanged) inTime.plan(versions, lastRun, highest).data());
            List<io.strideback.loadmonitor.domain.AdherenceFinding> whole = io.strideback.loadmonitor.domain
                    .OverThePlan.findings(profile.clinicId(), profile.athleteId(), null, history.sessions, schedule);
            assertThat(whole).as("seed %d judges some runs", seed).isNotEmpty();
            assertThat(shuffled.adherenceView()).isEqualTo(whole);
            // CONTRACT v2 OVER_THE_PLAN on the findings topic: in either order, the last one announced is the
            // pattern of these findings (the row the patterns read shows)
            io.strideback.loadmonitor.domain.OverThePlan.Pattern pattern =
                    io.strideback.loadmonitor.domain.OverThePlan.pattern(whole).orElseThrow();
            for (MonitorDriver m : List.of(inTime, shuffled)) {
                List<EventEnvelope<?>> announced = AdherenceTopologyTest.overThePlan(m);
                assertThat(announced).isNotEmpty();
                io.strideback.events.FindingEvents.PatternDetected last =
                        (io.strideback.events.FindingEvents.PatternDetected) announced.get(announced.size() - 1).data();
                assertThat(last.since()).isEqualTo(pattern.since());
                assertThat(last.evidenceEventIds()).isEqualTo(pattern.runEventIds());
            }
            assertThat(shuffled.planDeadLetters()).isEmpty();
        }
    }

    static EventEnvelope<?> enrolment(AthleteProfile p) {
        Instant at = p.injuryDate().atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
        return new EventEnvelope<>("enrol-" + p.athleteId(), EventType.ATHLETE_ENROLLED, "/test", at, p.athleteId(),
                p.clinicId(), 1, new ActivityEvents.AthleteEnrolled(p.athleteId(), p.clinicId(), "Runner",
                p.diagnosis(), Side.LEFT, p.injuryDate(), p.declaredSymptomFreeRunKm(), at));
    }

    static EventEnvelope<?> session(AthleteProfile p, TrainingSession s) {
        ActivityEvents.Run run = s.distanceKm() == null ? null
                : new ActivityEvents.Run(s.distanceKm(), s.intensity(), s.cadenceSpm());
        ActivityEvents.Strength strength = s.exercises().isEmpty() ? null : new ActivityEvents.Strength(
                s.exercises().stream().map(e -> new ActivityEvents.Exercise(e.name(), e.sets(), e.reps(), e.loadKg(),
                        e.rpe())).toList());
        return new EventEnvelope<>(s.eventId(), EventType.SESSION_LOGGED, "/test", s.startedAt(), p.athleteId(),
                p.clinicId(), 1, new ActivityEvents.SessionLogged(p.athleteId(), p.clinicId(), s.sessionId(), s.type(),
                s.startedAt(), s.durationMin(), s.rpe(), run, strength, null));
    }

    static EventEnvelope<?> symptom(AthleteProfile p, SymptomReport r) {
        return new EventEnvelope<>(r.eventId(), EventType.SYMPTOM_REPORTED, "/test", r.observedAt(), p.athleteId(),
                p.clinicId(), 1, new ActivityEvents.SymptomReported(p.athleteId(), p.clinicId(), r.observedAt(),
                r.pain(), Side.LEFT, r.location(), List.copyOf(r.character()), r.context(),
                List.copyOf(r.redFlags()), null));
    }
}
