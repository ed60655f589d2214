package io.strideback.loadmonitor.state;

import io.strideback.loadmonitor.domain.AthleteTimeline;
import io.strideback.loadmonitor.domain.ClinicRules;
import io.strideback.loadmonitor.domain.LoadMonitor;
import io.strideback.loadmonitor.domain.RandomHistory;
import io.strideback.loadmonitor.domain.SymptomReport;
import io.strideback.loadmonitor.domain.TrainingSession;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The adapter-facing cache of incremental analyses: the findings of a full analysis, whatever it holds or forgets. */
class AthleteAnalysesTest {

    @Test
    void updates_give_the_findings_of_a_full_analysis_even_when_the_budget_evicts_athletes() {
        Random random = new Random(5);
        List<RandomHistory> athletes = List.of(RandomHistory.generate(random, "a"), RandomHistory.generate(random, "b"),
                RandomHistory.generate(random, "c"));
        // given a budget that holds about one athlete
        AthleteAnalyses analyses = new AthleteAnalyses(60 * 1024);
        List<AthleteTimeline> timelines = new ArrayList<>();
        List<List<Object>> pending = new ArrayList<>();
        for (RandomHistory h : athletes) {
            timelines.add(AthleteTimeline.of(h.profile));
            List<Object> events = new ArrayList<>(h.sessions);
            events.addAll(h.reports);
            events.sort(Comparator.comparing(AthleteAnalysesTest::timeOf));
            pending.add(events);
        }
        // when the athletes' events arrive interleaved, one at a time
        for (int step = 0; pending.stream().anyMatch(p -> !p.isEmpty()); step++) {
            int a = step % athletes.size();
            if (pending.get(a).isEmpty()) {
                continue;
            }
            Object event = pending.get(a).remove(0);
            AthleteTimeline t = event instanceof TrainingSession s ? timelines.get(a).with(s)
                    : timelines.get(a).with((SymptomReport) event);
            timelines.set(a, t);
            // then every update equals a full analysis, and the budget is kept
            assertThat(analyses.update(t, timeOf(event), ClinicRules.defaults()))
                    .isEqualTo(LoadMonitor.analyse(t, ClinicRules.defaults()));
            assertThat(analyses.size() == 1 || analyses.bytes() <= 60 * 1024).isTrue();
        }
        // and a forgotten athlete is analysed in full next time, with the same result
        AthleteTimeline last = timelines.get(0);
        analyses.forget(last.profile().clinicId(), last.profile().athleteId());
        assertThat(analyses.update(last, last.latestEventTime().orElseThrow(), ClinicRules.defaults()))
                .isEqualTo(LoadMonitor.analyse(last, ClinicRules.defaults()));
    }

    private static Instant timeOf(Object e) {
        return e instanceof TrainingSession s ? s.startedAt() : ((SymptomReport) e).observedAt();
    }
}
