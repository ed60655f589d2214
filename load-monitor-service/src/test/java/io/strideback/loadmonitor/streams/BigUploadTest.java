package io.strideback.loadmonitor.streams;

import io.strideback.events.EventEnvelope;
import io.strideback.events.Topic;
import io.strideback.events.vocabulary.Diagnosis;
import io.strideback.events.vocabulary.PainCharacter;
import io.strideback.events.vocabulary.PainLocation;
import io.strideback.events.vocabulary.RedFlag;
import io.strideback.events.vocabulary.RunIntensity;
import io.strideback.events.vocabulary.SymptomContext;
import io.strideback.loadmonitor.domain.AthleteProfile;
import io.strideback.loadmonitor.domain.SymptomReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Round 9 (a 3,000-session FIT upload fenced a stream thread and stalled every clinic): one athlete's very large
 * history arriving at once is analysed in bounded slices, so another athlete's red flag marked behind it is analysed
 * after one slice of it, not after all of it; the large history's mark stays until its last slice, and what it ends
 * with is what analysing it in one go ends with.
 */
class BigUploadTest {

    private static final int SLICE = 50;
    private static final int RUNS = 400;

    @TempDir
    Path stateDir;

    @Test
    void a_huge_history_arriving_at_once_delays_another_athletes_red_flag_by_one_slice_at_most() {
        // one analysis step per tick (no time budget), at most SLICE events a step
        AnalysisPace oneStepATick = AnalysisPace.every(MonitorTopology.DEFAULT_ANALYSIS_INTERVAL)
                .bounded(Duration.ZERO, SLICE);
        AthleteProfile other = new AthleteProfile("ath-other", "clinic-other", Diagnosis.CALF_STRAIN_SOLEUS,
                MonitorDriver.DAY_0.minusDays(30), 3.0, null);
        String otherKey = Topic.key(other.clinicId(), other.athleteId());
        try (MonitorDriver sliced = new MonitorDriver(stateDir, "clinic-big", "ath-big", MonitorMeters.NONE,
                oneStepATick);
             MonitorDriver atOnce = new MonitorDriver(stateDir, "clinic-big", "ath-big")) {
            sliced.pipe(sliced.enrolment(3.0));
            sliced.pipe(ArrivalOrderPropertyTest.enrolment(other));
            atOnce.pipe(atOnce.enrolment(3.0));
            List<EventEnvelope<?>> upload = upload(sliced);

            // the upload, then the other clinic's red flag, read before the next tick
            List<EventEnvelope<?>> arriving = new ArrayList<>(upload);
            arriving.add(ArrivalOrderPropertyTest.symptom(other, new SymptomReport("other-swelling",
                    MonitorDriver.day(3, "10:00"), 6, PainLocation.WHOLE_CALF, Set.of(), SymptomContext.AT_REST,
                    Set.of(RedFlag.SWELLING))));
            sliced.pipeBeforeAnalysis(arriving);
            int announcedBefore = sliced.announced().size();

            sliced.analyse();
            assertThat(sliced.toAnalyse().get(sliced.key())).as("one slice of the upload taken in, its mark kept")
                    .isNotNull();
            assertThat(sliced.announced()).as("nothing announced of a part").hasSize(announcedBefore);

            sliced.analyse();
            AthleteView otherView = AthleteView.fromBytes(sliced.views().get(otherKey));
            assertThat(otherView.findings().patterns()).as("the other athlete's red flag, one slice later")
                    .anySatisfy(p -> assertThat(p.kind()).isEqualTo("RED_FLAG"));
            assertThat(sliced.toAnalyse().get(otherKey)).isNull();
            assertThat(sliced.toAnalyse().get(sliced.key())).as("the upload still under way").isNotNull();

            int ticks = 2;
            while (sliced.toAnalyse().get(sliced.key()) != null && ticks < 4 * RUNS / SLICE) {
                sliced.analyse();
                ticks++;
            }
            assertThat(sliced.toAnalyse().get(sliced.key())).as("finished after %d ticks", ticks).isNull();
            assertThat(ticks).isGreaterThan(RUNS / SLICE);

            // the same events, every athlete analysed whole in one tick (no bound)
            atOnce.pipe(ArrivalOrderPropertyTest.enrolment(other));
            atOnce.pipeBeforeAnalysis(arriving);
            atOnce.analyse();
            AthleteMonitorTopologyTest.assertSameEnd(atOnce, sliced);
            assertThat(sliced.currentEpisodes()).as("the upload's history has flare-ups to find").isNotEmpty();
            assertThat(sliced.deadLetters()).isEmpty();
        }
    }

    /** A watch's history at once: runs twice a day, an aching calf now and then. */
    private static List<EventEnvelope<?>> upload(MonitorDriver m) {
        List<EventEnvelope<?>> events = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            events.add(m.run("run-" + i, MonitorDriver.day(i / 2, i % 2 == 0 ? "07:00" : "18:00"), 4 + (i % 7),
                    i % 9 == 0 ? RunIntensity.values()[RunIntensity.values().length - 1] : RunIntensity.EASY));
            if (i % 23 == 0) {
                events.add(m.report("ache-" + i, MonitorDriver.day(i / 2, "20:00"), 3 + (i % 5),
                        SymptomContext.AFTER_RUN, PainCharacter.ACHE));
            }
        }
        return events;
    }
}
