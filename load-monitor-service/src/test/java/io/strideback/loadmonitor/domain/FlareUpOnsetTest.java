package io.strideback.loadmonitor.domain;

import org.junit.jupiter.api.Test;

import java.time.ZoneId;

import static io.strideback.events.vocabulary.PainCharacter.ACHE;
import static io.strideback.events.vocabulary.PainCharacter.PULLING;
import static io.strideback.events.vocabulary.PainCharacter.SHARP;
import static io.strideback.events.vocabulary.SymptomContext.AT_REST;
import static io.strideback.events.vocabulary.SymptomContext.MORNING;
import static io.strideback.loadmonitor.domain.Story.day;
import static org.assertj.core.api.Assertions.assertThat;

/** DOMAIN.md "Flare-up": the four ways a report starts an episode, and their boundaries. */
class FlareUpOnsetTest {

    // ---- pain >= 5 (Silbernagel 2007; seed 000 accepts about 4/10)

    @Test
    void a_report_at_pain_5_starts_a_flare_up() {
        Story story = Story.athlete().report("r1", day(0, "09:00"), 5, AT_REST, ACHE);

        assertThat(story.episodeStartedBy("r1").onsetRule()).isEqualTo("PAIN_AT_LEAST_5");
    }

    @Test
    void a_report_at_pain_4_with_no_other_sign_is_within_the_acceptable_band() {
        Story story = Story.athlete().report("r1", day(0, "09:00"), 4, AT_REST, ACHE);

        assertThat(story.findings().episodes()).isEmpty();
    }

    @Test
    void a_clinic_that_sets_the_threshold_at_6_does_not_count_pain_5_and_names_its_own_number() {
        ClinicRules strict = ClinicRules.defaults().toBuilder().flareUpPain(6).build();

        assertThat(Story.athlete().withRules(strict).report("r1", day(0, "09:00"), 5, AT_REST, ACHE)
                .findings().episodes()).isEmpty();
        assertThat(Story.athlete().withRules(strict).report("r1", day(0, "09:00"), 6, AT_REST, ACHE)
                .episodeStartedBy("r1").onsetRule()).isEqualTo("PAIN_AT_LEAST_6");
    }

    // ---- baseline + 2, baseline = median of the 7 days before, needs 3 reports

    @Test
    void pain_3_over_a_baseline_of_1_from_three_reports_in_the_week_before_starts_a_flare_up() {
        Story story = Story.athlete()
                .report("b1", day(0, "09:00"), 1, AT_REST)
                .report("b2", day(1, "09:00"), 0, AT_REST)
                .report("b3", day(2, "09:00"), 1, AT_REST)
                .report("r", day(3, "09:00"), 3, AT_REST, ACHE);

        assertThat(story.findings().episodes()).hasSize(1);
        assertThat(story.episodeStartedBy("r").onsetRule()).isEqualTo("BASELINE_PLUS_2");
    }

    @Test
    void with_only_2_reports_in_the_7_days_before_there_is_no_baseline() {
        Story story = Story.athlete()
                .report("old", day(-5, "09:00"), 1, AT_REST) // 8 days before: outside the week
                .report("b1", day(1, "09:00"), 1, AT_REST)
                .report("b2", day(2, "09:00"), 1, AT_REST)
                .report("r", day(3, "09:00"), 3, AT_REST, ACHE);

        assertThat(story.findings().episodes()).isEmpty();
    }

    @Test
    void the_baseline_is_the_median_so_one_higher_report_does_not_lift_it() {
        // reports 1, 1, 4: median 1 (the mean, 2, would need pain 4)
        Story story = Story.athlete()
                .report("b1", day(0, "09:00"), 1, AT_REST)
                .report("b2", day(1, "09:00"), 4, AT_REST)
                .report("b3", day(2, "09:00"), 1, AT_REST)
                .report("r", day(3, "09:00"), 3, AT_REST);

        assertThat(story.episodeStartedBy("r").onsetRule()).isEqualTo("BASELINE_PLUS_2");
    }

    @Test
    void rules_v2_pain_2_over_a_baseline_of_0_stays_in_the_acceptable_band() {
        // given a week of 0/10 reports
        Story story = Story.athlete()
                .report("b1", day(0, "09:00"), 0, AT_REST)
                .report("b2", day(1, "09:00"), 0, AT_REST)
                .report("b3", day(2, "09:00"), 0, AT_REST)
                // when she reports 2/10: baseline + 2, but below 3
                .report("r", day(3, "09:00"), 2, AT_REST, ACHE);

        // then it is no flare-up (DOMAIN.md rules v2: baseline + 2 AND >= 3)
        assertThat(story.findings().episodes()).isEmpty();
    }

    @Test
    void rules_v2_a_1_of_10_morning_after_a_0_of_10_evening_is_no_flare_up() {
        Story story = Story.athlete()
                .report("evening", day(0, "21:00"), 0, AT_REST)
                .report("morning", day(1, "07:00"), 1, MORNING);

        assertThat(story.findings().episodes()).isEmpty();
    }

    @Test
    void rules_v2_the_morning_rule_reads_the_athletes_own_days() {
        // 12:00 UTC on day 0 is 23:00 in Sydney (AEDT, UTC+11); 20:30 UTC on day 1 is 07:30 on day 2 there. In UTC
        // the 1/10 was the day before the morning report; in the athlete's Sydney days it was two days before.
        AthleteProfile inSydney = new AthleteProfile("ath-1", "clinic-1", null, Story.DAY_0, null,
                ZoneId.of("Australia/Sydney"));
        Story utc = Story.athlete()
                .report("low", day(0, "12:00"), 1, AT_REST)
                .report("morning", day(1, "20:30"), 3, MORNING);
        Story sydney = Story.enrol(inSydney)
                .report("low", day(0, "12:00"), 1, AT_REST)
                .report("morning", day(1, "20:30"), 3, MORNING);

        assertThat(utc.episodeStartedBy("morning").onsetRule()).isEqualTo("MORNING_NOT_SETTLED");
        assertThat(sydney.findings().episodes()).isEmpty();
    }

    // ---- PULLING or SHARP at pain >= 3 (seed 000: "a slight pulling sensation")

    @Test
    void a_slight_pulling_at_pain_3_starts_a_flare_up() {
        Story story = Story.athlete().report("r", day(0, "09:00"), 3, AT_REST, PULLING);

        assertThat(story.episodeStartedBy("r").onsetRule()).isEqualTo("PULLING_OR_SHARP_AT_LEAST_3");
    }

    @Test
    void a_sharp_pain_at_3_starts_a_flare_up() {
        Story story = Story.athlete().report("r", day(0, "09:00"), 3, AT_REST, SHARP);

        assertThat(story.episodeStartedBy("r").onsetRule()).isEqualTo("PULLING_OR_SHARP_AT_LEAST_3");
    }

    @Test
    void a_pulling_at_pain_2_does_not() {
        Story story = Story.athlete().report("r", day(0, "09:00"), 2, AT_REST, PULLING);

        assertThat(story.findings().episodes()).isEmpty();
    }

    @Test
    void an_ache_at_pain_3_does_not() {
        Story story = Story.athlete().report("r", day(0, "09:00"), 3, AT_REST, ACHE);

        assertThat(story.findings().episodes()).isEmpty();
    }

    // ---- MORNING report higher than the day before's lowest (pain did not settle overnight)

    @Test
    void a_morning_report_above_the_lowest_report_of_the_day_before_has_not_settled() {
        Story story = Story.athlete()
                .report("evening-3", day(0, "18:00"), 3, AT_REST, ACHE)
                .report("bedtime-1", day(0, "22:00"), 1, AT_REST)
                .report("morning", day(1, "07:00"), 3, MORNING);

        assertThat(story.episodeStartedBy("morning").onsetRule()).isEqualTo("MORNING_NOT_SETTLED");
    }

    @Test
    void a_morning_report_no_higher_than_the_lowest_the_day_before_has_settled() {
        Story story = Story.athlete()
                .report("evening-3", day(0, "18:00"), 3, AT_REST, ACHE)
                .report("bedtime-1", day(0, "22:00"), 1, AT_REST)
                .report("morning", day(1, "07:00"), 1, MORNING);

        assertThat(story.findings().episodes()).isEmpty();
    }

    @Test
    void a_morning_report_with_nothing_reported_the_day_before_has_nothing_to_compare_with() {
        Story story = Story.athlete()
                .report("two-days-before", day(0, "22:00"), 0, AT_REST)
                .report("morning", day(2, "07:00"), 3, MORNING);

        assertThat(story.findings().episodes()).isEmpty();
    }

    @Test
    void when_several_triggers_hold_the_first_in_domain_order_names_the_onset() {
        Story story = Story.athlete().report("r", day(0, "09:00"), 6, AT_REST, PULLING);

        assertThat(story.episodeStartedBy("r").onsetRule()).isEqualTo("PAIN_AT_LEAST_5");
    }
}
