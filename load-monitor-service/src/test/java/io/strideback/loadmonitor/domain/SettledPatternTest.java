package io.strideback.loadmonitor.domain;

import io.strideback.events.vocabulary.RedFlag;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.strideback.events.vocabulary.AdjustmentType.RELAX_RUN_CAP;
import static io.strideback.events.vocabulary.PainCharacter.ACHE;
import static io.strideback.events.vocabulary.PatternKind.SETTLED;
import static io.strideback.events.vocabulary.RunIntensity.EASY;
import static io.strideback.events.vocabulary.SymptomContext.AT_REST;
import static io.strideback.events.vocabulary.SymptomContext.WALKING;
import static io.strideback.loadmonitor.domain.Story.day;
import static org.assertj.core.api.Assertions.assertThat;

/** Pattern "settled": 14 days with no episode while running under a cap this engine proposed: RELAX_RUN_CAP 10%. */
class SettledPatternTest {

    /** The distance story: capped at 3.0 km on day 6; the second flare-up has settled by day 8, 10:30. */
    static Story cappedAt3km() {
        return DistancePatternTest.twoFlareUpsAfterLongerRuns()
                .report("settled-2", day(8, "11:00"), 1, AT_REST);
    }

    static Story runningUnderTheCapEveryOtherDay(Story story, int fromDay, int toDay) {
        for (int d = fromDay; d <= toDay; d += 2) {
            story.run("capped-" + d, day(d, "07:00"), 3.0, EASY);
        }
        return story;
    }

    @Test
    void fourteen_quiet_days_running_under_the_cap_relax_it_by_10_percent() {
        Findings findings = runningUnderTheCapEveryOtherDay(cappedAt3km(), 10, 30).findings();

        assertThat(Story.of(findings, RELAX_RUN_CAP)).singleElement().satisfies(relax -> {
            assertThat(relax.pattern()).isEqualTo(SETTLED);
            assertThat(relax.rule()).isEqualTo("NO_FLARE_UP_FOR_14_DAYS_UNDER_CAP");
            // shared design for issue 13: relative to the plan's current cap, never above 110% of the longest run
            // of the previous 30 days (6.0 km on day 6), and no absolute target the plan could jump to
            assertThat(relax.parameters()).isEqualTo(Map.of("percent", 10, "ceilingKm", 6.6));
            // due 14 days after the last flare-up ended (day 8, 10:30), shown by the run of day 24
            assertThat(relax.proposedAt()).isEqualTo(day(22, "10:30"));
            assertThat(relax.evidenceEventIds()).containsExactly("capped-10", "capped-12", "capped-14", "capped-16",
                    "capped-18", "capped-20", "capped-22");
            assertThat(relax.reason()).isEqualTo("No flare-up for 14 days while running under the cap (seven runs); "
                    + "raise the cap by 10%, to no more than 6.6 km (110% of the longest run of the last 30 days).");
        });
        assertThat(Story.pattern(findings, SETTLED))
                .hasValueSatisfying(p -> assertThat(p.since()).isEqualTo(day(22, "10:30")));
    }

    @Test
    void each_further_14_quiet_days_relax_it_again() {
        Findings findings = runningUnderTheCapEveryOtherDay(cappedAt3km(), 10, 40).findings();

        // the second ceiling: 110% of the 3.0 km runs, the longest of the 30 days before day 36
        assertThat(Story.of(findings, RELAX_RUN_CAP)).extracting(a -> a.parameters().get("ceilingKm"))
                .containsExactly(6.6, 3.3);
        assertThat(Story.of(findings, RELAX_RUN_CAP).get(1).proposedAt()).isEqualTo(day(36, "10:30"));
    }

    @Test
    void a_run_over_the_cap_in_the_14_days_starts_the_count_again_when_it_ended() {
        // DOMAIN.md "settled": 14 days with no flare-up and >= 3 runs, none over the cap or during a pause
        Story story = runningUnderTheCapEveryOtherDay(cappedAt3km(), 10, 30)
                .run("over-the-cap", day(15, "07:00"), 3.5, EASY); // 21 minutes: ended at 07:21

        assertThat(story.adjustments(RELAX_RUN_CAP)).singleElement().satisfies(relax -> {
            assertThat(relax.proposedAt()).isEqualTo(day(29, "07:21"));
            assertThat(relax.evidenceEventIds()).doesNotContain("over-the-cap").startsWith("capped-16");
        });
        assertThat(Story.pattern(story.findings(), SETTLED))
                .hasValueSatisfying(p -> assertThat(p.since()).isEqualTo(day(29, "07:21")));
    }

    @Test
    void a_run_over_the_cap_after_the_relax_was_due_does_not_undo_it() {
        Story story = runningUnderTheCapEveryOtherDay(cappedAt3km(), 10, 30)
                .run("over-the-new-cap", day(23, "07:00"), 3.5, EASY);

        assertThat(story.adjustments(RELAX_RUN_CAP)).singleElement()
                .satisfies(relax -> assertThat(relax.proposedAt()).isEqualTo(day(22, "10:30")));
    }

    @Test
    void a_flare_up_in_the_14_days_starts_the_count_again() {
        Story story = runningUnderTheCapEveryOtherDay(cappedAt3km(), 10, 30)
                .report("walking", day(15, "10:00"), 5, WALKING, ACHE)
                .report("settled-3", day(17, "11:00"), 1, AT_REST);

        assertThat(story.adjustments(RELAX_RUN_CAP)).isEmpty();
    }

    @Test
    void a_red_flag_is_no_quiet_day_the_count_starts_again_from_it() {
        // seed 004: a referral suspends running until a clinician clears it; relaxing a cap meanwhile would not do
        Story story = runningUnderTheCapEveryOtherDay(cappedAt3km(), 10, 30)
                .redFlag("swollen", day(15, "09:00"), 1, RedFlag.SWELLING);

        assertThat(story.adjustments(RELAX_RUN_CAP)).singleElement()
                .satisfies(relax -> assertThat(relax.proposedAt()).isEqualTo(day(29, "09:00")));
    }

    @Test
    void quiet_days_without_runs_do_not_show_that_the_cap_is_tolerated() {
        Story story = cappedAt3km();
        for (int d = 10; d <= 30; d += 2) {
            story.strength("raises-" + d, day(d, "17:00"), 30, 7);
        }

        assertThat(story.adjustments(RELAX_RUN_CAP)).isEmpty();
        assertThat(Story.pattern(story.findings(), SETTLED)).isEmpty();
    }

    @Test
    void without_a_cap_from_this_engine_there_is_nothing_to_relax() {
        Story story = runningUnderTheCapEveryOtherDay(Story.athleteDeclaringSymptomFreeKm(3.0), 0, 30);

        assertThat(story.findings().adjustments()).isEmpty();
        assertThat(story.findings().patterns()).isEmpty();
    }
}
