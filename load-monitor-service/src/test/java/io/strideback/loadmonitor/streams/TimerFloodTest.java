package io.strideback.loadmonitor.streams;

import io.strideback.events.EventEnvelope;
import io.strideback.events.EventType;
import io.strideback.events.FindingEvents;
import io.strideback.events.Topic;
import io.strideback.events.vocabulary.AdjustmentType;
import io.strideback.events.vocabulary.Diagnosis;
import io.strideback.events.vocabulary.PainCharacter;
import io.strideback.events.vocabulary.PainLocation;
import io.strideback.events.vocabulary.RedFlag;
import io.strideback.events.vocabulary.RunIntensity;
import io.strideback.events.vocabulary.SessionType;
import io.strideback.events.vocabulary.SymptomContext;
import io.strideback.loadmonitor.domain.AthleteProfile;
import io.strideback.loadmonitor.domain.SymptomReport;
import io.strideback.loadmonitor.domain.TrainingSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static io.strideback.loadmonitor.streams.MonitorDriver.day;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Round 17: many timers due at once (the instance was down while thousands of settled caps came due) must not hold
 * up what events bring. The timers wait in their changelogged store and are taken only with what a tick has left
 * after the athletes marked by events; a red flag read while the flood is being worked off is analysed at the next
 * tick, not behind every due timer.
 */
class TimerFloodTest {

    private static final int ATHLETES = 20;
    private static final Instant SETTLED_DUE = day(22, "10:30");

    @TempDir
    Path stateDir;

    private static AthleteProfile athlete(String id) {
        return new AthleteProfile(id, "clinic-flood", Diagnosis.CALF_STRAIN_SOLEUS, MonitorDriver.DAY_0.minusDays(30),
                3.0, null);
    }

    /** TimerTopologyTest's story for another athlete: capped at 3.0 km on day 6, five runs under the cap to day 18. */
    private static List<EventEnvelope<?>> cappedThenFiveRuns(AthleteProfile p) {
        List<EventEnvelope<?>> events = new ArrayList<>(List.of(ArrivalOrderPropertyTest.enrolment(p),
                run(p, "3k", day(0, "07:00"), 3.0), run(p, "5.2k", day(2, "07:00"), 5.2),
                report(p, "flare-1", day(2, "10:30"), 6, SymptomContext.WALKING),
                report(p, "settled-1", day(4, "11:00"), 1, SymptomContext.AT_REST),
                run(p, "6k", day(6, "07:00"), 6.0),
                report(p, "flare-2", day(6, "10:30"), 6, SymptomContext.WALKING),
                report(p, "settled-2", day(8, "11:00"), 1, SymptomContext.AT_REST)));
        for (int d = 10; d <= 18; d += 2) {
            events.add(run(p, "capped-" + d, day(d, "07:00"), 3.0));
        }
        return events;
    }

    private static EventEnvelope<?> run(AthleteProfile p, String id, Instant at, double km) {
        return ArrivalOrderPropertyTest.session(p, new TrainingSession(p.athleteId() + "-" + id, id, SessionType.RUN,
                at, (int) (km * 6), 4, km, RunIntensity.EASY, null));
    }

    private static EventEnvelope<?> report(AthleteProfile p, String id, Instant at, int pain, SymptomContext context) {
        return ArrivalOrderPropertyTest.symptom(p, new SymptomReport(p.athleteId() + "-" + id, at, pain,
                PainLocation.MID_CALF, Set.of(PainCharacter.ACHE), context, Set.of()));
    }

    private static long relaxations(MonitorDriver m) {
        return m.adjustments().stream().filter(e -> e.type() == EventType.PLAN_ADJUSTMENT_PROPOSED)
                .map(e -> e.dataAs(FindingEvents.AdjustmentProposed.class))
                .filter(p -> p.type() == AdjustmentType.RELAX_RUN_CAP).count();
    }

    @Test
    void a_red_flag_read_while_many_timers_are_due_is_analysed_at_the_next_tick_not_behind_them() {
        // one analysis step per tick (no time budget), so the line's order shows tick by tick
        AnalysisPace oneStepATick = AnalysisPace.every(MonitorTopology.DEFAULT_ANALYSIS_INTERVAL)
                .bounded(Duration.ZERO, AnalysisPace.DEFAULT_SLICE_EVENTS);
        AthleteProfile other = new AthleteProfile("ath-other", "clinic-other", Diagnosis.CALF_STRAIN_SOLEUS,
                MonitorDriver.DAY_0.minusDays(30), 3.0, null);
        String otherKey = Topic.key(other.clinicId(), other.athleteId());
        try (MonitorDriver m = new MonitorDriver(stateDir, "clinic-flood", "ath-0", oneStepATick, day(0, "00:00"))) {
            m.pipe(ArrivalOrderPropertyTest.enrolment(other));
            for (int i = 0; i < ATHLETES; i++) {
                m.pipe(cappedThenFiveRuns(athlete("ath-" + i)));
            }
            m.wallClock(Duration.ofSeconds(2));
            assertThat(relaxations(m)).isZero();
            for (int i = 0; i < ATHLETES; i++) {
                assertThat(new AthleteTimers(m.timers()).dueOf(Topic.key("clinic-flood", "ath-" + i)))
                        .as("ath-" + i + "'s settled cap, due").isEqualTo(SETTLED_DUE);
            }

            // given every timer due at once (the clock jumps past them: one tick on arrival, one more)
            m.wallClockTo(SETTLED_DUE);
            assertThat(relaxations(m)).as("a step a tick").isEqualTo(2);
            // when another clinic's red flag is read meanwhile
            m.pipeBeforeAnalysis(List.of(ArrivalOrderPropertyTest.symptom(other, new SymptomReport("other-swelling",
                    day(22, "10:00"), 6, PainLocation.WHOLE_CALF, Set.of(), SymptomContext.AT_REST,
                    Set.of(RedFlag.SWELLING)))));
            m.analyse();

            // then it is analysed at the next tick, ahead of the timers still due
            assertThat(AthleteView.fromBytes(m.views().get(otherKey)).findings().patterns())
                    .as("the red flag, at the next tick").anySatisfy(p -> assertThat(p.kind()).isEqualTo("RED_FLAG"));
            assertThat(relaxations(m)).isEqualTo(2);
            // and the timers all fire after it, each once
            m.wallClock(Duration.ofSeconds(1));
            assertThat(relaxations(m)).isEqualTo(ATHLETES);
            for (int i = 0; i < ATHLETES; i++) {
                assertThat(new AthleteTimers(m.timers()).dueOf(Topic.key("clinic-flood", "ath-" + i))).isNull();
            }
        }
    }
}
