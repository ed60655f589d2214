package io.strideback.loadmonitor.domain;

import io.strideback.events.vocabulary.SessionType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.strideback.events.vocabulary.RunIntensity.EASY;
import static io.strideback.events.vocabulary.SymptomContext.AT_REST;
import static io.strideback.loadmonitor.domain.Story.DAY_0;
import static io.strideback.loadmonitor.domain.Story.day;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Session-RPE load (Foster 2001) and its EWMA acute:chronic ratio (Williams 2017), checked by hand. */
class TrainingLoadTest {

    private static final double ACUTE = 2.0 / 8;   // lambda, N = 7
    private static final double CHRONIC = 2.0 / 29; // lambda, N = 28

    @Test
    void session_rpe_load_is_rpe_times_minutes() {
        Story story = Story.athlete().strength("raises", day(0, "17:00"), 40, 5);

        assertThat(story.findings().load().days()).singleElement()
                .satisfies(d -> assertThat(d.sessionRpeLoad()).isEqualTo(200.0));
    }

    @Test
    void the_ewma_of_three_days_worked_by_hand() {
        // day 0: 40 min at RPE 5 = 200; day 1: nothing; day 2: a 5 km run, 30 min at RPE 4 = 120
        Story story = Story.athlete()
                .strength("raises", day(0, "17:00"), 40, 5)
                .run("run", day(2, "07:00"), 5.0, EASY);

        List<DailyLoad> days = story.findings().load().days();
        assertThat(days).extracting(DailyLoad::date)
                .containsExactly(DAY_0, DAY_0.plusDays(1), DAY_0.plusDays(2));
        assertThat(days).extracting(DailyLoad::sessionRpeLoad).containsExactly(200.0, 0.0, 120.0);
        assertThat(days).extracting(DailyLoad::runKm).containsExactly(0.0, 0.0, 5.0);

        // acute: 200 x 0.25 = 50; 50 x 0.75 = 37.5; 120 x 0.25 + 37.5 x 0.75 = 58.125
        assertThat(days.get(0).acuteEwma()).isCloseTo(50.0, within(1e-9));
        assertThat(days.get(1).acuteEwma()).isCloseTo(37.5, within(1e-9));
        assertThat(days.get(2).acuteEwma()).isCloseTo(58.125, within(1e-9));
        // chronic: 400/29; 400/29 x 27/29 = 10800/841; 240/29 + 10800/841 x 27/29 = 493440/24389
        assertThat(days.get(0).chronicEwma()).isCloseTo(400.0 / 29, within(1e-9));
        assertThat(days.get(1).chronicEwma()).isCloseTo(10800.0 / 841, within(1e-9));
        assertThat(days.get(2).chronicEwma()).isCloseTo(493440.0 / 24389, within(1e-9));
        assertThat(days.get(2).acwr()).isCloseTo(58.125 / (493440.0 / 24389), within(1e-9));

        LoadSummary load = story.findings().load();
        assertThat(load.acuteLoad()).isEqualTo(days.get(2).acuteEwma());
        assertThat(load.chronicLoad()).isEqualTo(days.get(2).chronicEwma());
        assertThat(load.acwr()).isCloseTo(2.8729, within(1e-4));
        assertThat(ACUTE).isEqualTo(ClinicRules.defaults().acuteLambda());
        assertThat(CHRONIC).isEqualTo(ClinicRules.defaults().chronicLambda());
    }

    @Test
    void days_without_sessions_decay_the_averages_up_to_the_latest_event() {
        Story story = Story.athlete()
                .strength("raises", day(0, "17:00"), 40, 5)
                .report("check-in", day(3, "09:00"), 1, AT_REST);

        List<DailyLoad> days = story.findings().load().days();
        assertThat(days).hasSize(4);
        assertThat(days.get(3).acuteEwma()).isCloseTo(50 * 0.75 * 0.75 * 0.75, within(1e-9));
    }

    @Test
    void acwr_is_null_while_the_chronic_load_is_0() {
        Story story = Story.athlete().session(new TrainingSession("walk", "walk", SessionType.WALK, day(0, "12:00"),
                30, 0, null, null, null));

        assertThat(story.findings().load().acwr()).isNull();
        assertThat(story.findings().load().days().get(0).acwr()).isNull();
    }

    @Test
    void a_session_without_rpe_adds_no_load() {
        Story story = Story.athlete().session(new TrainingSession("walk", "walk", SessionType.WALK, day(0, "12:00"),
                30, null, null, null, null));

        assertThat(story.findings().load().days().get(0).sessionRpeLoad()).isZero();
    }

    @Test
    void a_high_acwr_is_context_and_never_a_trigger_on_its_own() {
        // Impellizzeri 2020; Frandsen 2025: no predictive value. A month of light work, then a very hard week.
        Story story = Story.athlete();
        for (int d = 0; d < 28; d += 2) {
            story.strength("light-" + d, day(d, "17:00"), 20, 3);
        }
        for (int d = 28; d < 35; d++) {
            story.strength("hard-" + d, day(d, "17:00"), 90, 9);
        }

        Findings findings = story.findings();
        assertThat(findings.load().acwr()).isGreaterThan(1.5);
        assertThat(findings.episodes()).isEmpty();
        assertThat(findings.patterns()).isEmpty();
        assertThat(findings.adjustments()).isEmpty();
    }
}
