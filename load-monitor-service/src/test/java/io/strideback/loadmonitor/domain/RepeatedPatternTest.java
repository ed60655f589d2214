package io.strideback.loadmonitor.domain;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.strideback.events.vocabulary.AdjustmentType.GAIT_RETRAINING;
import static io.strideback.events.vocabulary.AdjustmentType.PAUSE_RUNNING;
import static io.strideback.events.vocabulary.PainCharacter.ACHE;
import static io.strideback.events.vocabulary.PatternKind.RUNNING_TRIGGERED_REPEATED;
import static io.strideback.events.vocabulary.RunIntensity.EASY;
import static io.strideback.events.vocabulary.SymptomContext.AFTER_RUN;
import static io.strideback.events.vocabulary.SymptomContext.AT_REST;
import static io.strideback.loadmonitor.domain.Story.day;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pattern "running-triggered, repeated": >= 3 running-triggered episodes in 14 days, or any at pain >= 7:
 * PAUSE_RUNNING and strength first; GAIT_RETRAINING +5% step rate when cadence is known and low (Heiderscheit 2011).
 */
class RepeatedPatternTest {

    /** A 2 km easy run on each given day, each followed by pain after it, which settles two days later. */
    static Story flareUpsAfterRunsOn(Integer cadence, int pain, int... days) {
        Story story = Story.athleteDeclaringSymptomFreeKm(3.0);
        for (int d : days) {
            story.run("run-d" + d, day(d, "07:00"), 2.0, EASY, cadence)
                    .report("flare-d" + d, day(d, "08:00"), pain, AFTER_RUN, ACHE)
                    .report("settled-d" + d, day(d + 2, "09:00"), 1, AT_REST);
        }
        return story;
    }

    @Test
    void three_flare_ups_from_running_within_14_days_pause_running() {
        Findings findings = flareUpsAfterRunsOn(null, 5, 0, 5, 10).findings();

        assertThat(Story.of(findings, PAUSE_RUNNING)).singleElement().satisfies(pause -> {
            assertThat(pause.pattern()).isEqualTo(RUNNING_TRIGGERED_REPEATED);
            assertThat(pause.rule()).isEqualTo("AT_LEAST_3_RUNNING_TRIGGERED_IN_14_DAYS");
            // shared design for issue 13: the pause runs in event time, from its latest evidence
            assertThat(pause.parameters()).isEqualTo(Map.of("days", 7, "startsAt", "2026-03-12T08:00:00Z"));
            assertThat(pause.proposedAt()).isEqualTo(day(10, "08:00"));
            // the flare-ups by their first reports (the last also dates the pause), not their runs (round 19)
            assertThat(pause.evidenceEventIds()).containsExactly("flare-d0", "flare-d5", "flare-d10");
            assertThat(pause.reason()).isEqualTo("Three flare-ups came from running within 14 days "
                    + "(2 Mar, 7 Mar, 12 Mar); pause running for 7 days and put strength work first.");
        });
        assertThat(Story.of(findings, GAIT_RETRAINING)).isEmpty();
    }

    /**
     * Round 19 (DOMAIN.md "Convergence"): the phone's reports are in, the watch has not synced the runs. The reports
     * after a run are running-triggered already, so the pause is due; the runs, once in, explain the flare-ups and
     * change neither the pause nor its id. With the runs in its evidence, the monitor withdrew the pause and
     * proposed it again, and a clinic that reviews adjustments saw its approval gone and the pause pending again.
     */
    @Test
    void runs_that_sync_after_the_reports_leave_the_pause_and_its_gait_retraining_as_they_were() {
        Story reportsFirst = Story.athleteDeclaringSymptomFreeKm(3.0)
                .run("earlier-run", day(-3, "07:00"), 2.0, EASY, 160);
        for (int d : new int[] {0, 5, 10}) {
            reportsFirst.report("flare-d" + d, day(d, "08:00"), 5, AFTER_RUN, ACHE)
                    .report("settled-d" + d, day(d + 2, "09:00"), 1, AT_REST);
        }
        Findings beforeTheRuns = reportsFirst.findings();
        for (int d : new int[] {0, 5, 10}) {
            reportsFirst.run("run-d" + d, day(d, "07:00"), 2.0, EASY, 160);
        }
        Findings withTheRuns = reportsFirst.findings();

        assertThat(Story.of(beforeTheRuns, PAUSE_RUNNING)).singleElement()
                .satisfies(pause -> assertThat(pause.evidenceEventIds())
                        .containsExactly("flare-d0", "flare-d5", "flare-d10"));
        assertThat(Story.of(withTheRuns, PAUSE_RUNNING)).isEqualTo(Story.of(beforeTheRuns, PAUSE_RUNNING));
        assertThat(Story.of(beforeTheRuns, GAIT_RETRAINING)).singleElement();
        assertThat(Story.of(withTheRuns, GAIT_RETRAINING)).isEqualTo(Story.of(beforeTheRuns, GAIT_RETRAINING));
    }

    @Test
    void three_flare_ups_spread_over_16_days_are_not_repeated() {
        assertThat(flareUpsAfterRunsOn(null, 5, 0, 8, 16).adjustments(PAUSE_RUNNING)).isEmpty();
    }

    @Test
    void a_low_step_rate_adds_gait_retraining_at_plus_5_percent() {
        Findings findings = flareUpsAfterRunsOn(160, 5, 0, 5, 10).findings();

        assertThat(Story.of(findings, GAIT_RETRAINING)).singleElement().satisfies(gait -> {
            assertThat(gait.parameters()).isEqualTo(Map.of("cadenceTargetSpm", 168, "currentCadenceSpm", 160));
            assertThat(gait.rule()).isEqualTo("AT_LEAST_3_RUNNING_TRIGGERED_IN_14_DAYS_WITH_LOW_CADENCE");
            assertThat(gait.reason()).isEqualTo("Step rate is 160 steps per minute, below 170; raise it by 5% to 168 "
                    + "when running resumes, to lower the peak load on the calf.");
        });
    }

    @Test
    void a_step_rate_of_170_or_more_needs_no_gait_retraining() {
        assertThat(flareUpsAfterRunsOn(172, 5, 0, 5, 10).adjustments(GAIT_RETRAINING)).isEmpty();
        assertThat(flareUpsAfterRunsOn(170, 5, 0, 5, 10).adjustments(GAIT_RETRAINING)).isEmpty();
    }

    @Test
    void one_flare_up_from_running_at_pain_7_pauses_running() {
        Findings findings = flareUpsAfterRunsOn(null, 7, 0).findings();

        assertThat(Story.of(findings, PAUSE_RUNNING)).singleElement().satisfies(pause -> {
            assertThat(pause.rule()).isEqualTo("RUNNING_TRIGGERED_AT_PAIN_AT_LEAST_7");
            assertThat(pause.reason()).isEqualTo("A flare-up from running reached 7/10 (started 2 Mar); "
                    + "pause running for 7 days and put strength work first.");
        });
    }

    @Test
    void pain_6_from_running_does_not() {
        assertThat(flareUpsAfterRunsOn(null, 6, 0).adjustments(PAUSE_RUNNING)).isEmpty();
    }

    @Test
    void a_flare_up_that_worsens_to_7_pauses_running_when_it_reaches_7() {
        Story story = Story.athleteDeclaringSymptomFreeKm(3.0)
                .run("run", day(0, "07:00"), 2.0, EASY)
                .report("after", day(0, "08:00"), 5, AFTER_RUN, ACHE)
                // rules v2: a report is classified on its own, so "worse" is running-triggered only in a running
                // context (at rest after this easy 2 km it would be a random flare-up of its own)
                .report("worse", day(0, "20:00"), 7, AFTER_RUN, ACHE);

        assertThat(story.adjustments(PAUSE_RUNNING)).singleElement()
                .satisfies(pause -> assertThat(pause.proposedAt()).isEqualTo(day(0, "20:00")));
    }

    @Test
    void a_new_flare_up_once_the_pause_is_over_pauses_again_but_not_one_during_it() {
        Findings findings = flareUpsAfterRunsOn(null, 7, 0, 3, 10).findings();

        assertThat(Story.of(findings, PAUSE_RUNNING)).extracting(ProposedAdjustment::proposedAt)
                .containsExactly(day(0, "08:00"), day(10, "08:00"));
    }

    @Test
    void rules_v2_a_pause_starts_at_its_latest_evidence_so_a_pause_from_late_data_is_not_a_fresh_one() {
        // given three flare-ups from running in March, synced 40 days late: the pause is dated in March
        Story story = flareUpsAfterRunsOn(null, 5, 0, 5, 10).strength("today", day(50, "17:00"), 30, 6);

        assertThat(story.adjustments(PAUSE_RUNNING)).singleElement()
                .satisfies(pause -> assertThat(pause.parameters().get("startsAt")).isEqualTo(day(10, "08:00")
                        .toString()));
    }

    @Test
    void rules_v2_a_setting_that_does_not_change_the_adjustment_keeps_its_id() {
        // the same three flare-ups are within 10 days as well as 14: the same pause, the same id
        Story story = flareUpsAfterRunsOn(160, 5, 0, 5, 10);
        Findings defaults = story.findings();
        Findings tenDayWindow = LoadMonitor.analyse(story.timeline(),
                ClinicRules.defaults().toBuilder().repeatedWindow(java.time.Duration.ofDays(10)).build());

        assertThat(tenDayWindow.adjustments()).extracting(ProposedAdjustment::adjustmentId)
                .containsExactlyElementsOf(defaults.adjustments().stream().map(ProposedAdjustment::adjustmentId)
                        .toList())
                .isNotEmpty();
    }

    @Test
    void a_setting_that_changes_the_adjustment_changes_its_id() {
        Story story = flareUpsAfterRunsOn(null, 5, 0, 5, 10);
        Findings defaults = story.findings();
        Findings tenDayPause = LoadMonitor.analyse(story.timeline(),
                ClinicRules.defaults().toBuilder().pauseRunningDays(10).build());

        assertThat(Story.of(tenDayPause, PAUSE_RUNNING).get(0).adjustmentId())
                .isNotEqualTo(Story.of(defaults, PAUSE_RUNNING).get(0).adjustmentId());
    }
}
