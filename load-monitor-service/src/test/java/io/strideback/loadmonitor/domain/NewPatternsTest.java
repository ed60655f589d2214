package io.strideback.loadmonitor.domain;

import io.strideback.events.vocabulary.RedFlag;
import io.strideback.events.vocabulary.SessionType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.strideback.events.vocabulary.AdjustmentType.ADD_EXERCISE;
import static io.strideback.events.vocabulary.AdjustmentType.CLINICIAN_REVIEW;
import static io.strideback.events.vocabulary.AdjustmentType.URGENT_REFERRAL;
import static io.strideback.events.vocabulary.PainCharacter.ACHE;
import static io.strideback.events.vocabulary.PainCharacter.PULLING;
import static io.strideback.events.vocabulary.PainLocation.MEDIAL_CALF_ALONG_SHIN;
import static io.strideback.events.vocabulary.PatternKind.FLARE_UP_WHILE_LOADING;
import static io.strideback.events.vocabulary.PatternKind.MEDIAL_SHIN_BONE_STRESS;
import static io.strideback.events.vocabulary.PatternKind.STRENGTH_UNDER_DOSED;
import static io.strideback.events.vocabulary.RunIntensity.EASY;
import static io.strideback.events.vocabulary.SymptomContext.AT_REST;
import static io.strideback.events.vocabulary.SymptomContext.DURING_RUN;
import static io.strideback.events.vocabulary.SymptomContext.NIGHT;
import static io.strideback.events.vocabulary.SymptomContext.WALKING;
import static io.strideback.loadmonitor.domain.Story.day;
import static org.assertj.core.api.Assertions.assertThat;

/** DOMAIN.md rules v2: the new patterns (flare-up while loading, medial shin bone stress, strength under-dosed). */
class NewPatternsTest {

    // ---- flare-up while loading (seed 000: "isometrics if you get a flare up")

    @Test
    void every_flare_up_asks_for_calf_isometric_holds_for_72h_from_restore_capacity_on() {
        // given an athlete in rehab; when a flare-up starts while walking
        Story story = Story.athlete().report("walking", day(0, "12:00"), 6, WALKING, ACHE);

        // then the monitor proposes isometric holds in place of loaded raises, for the plan to apply in its phase
        Findings findings = story.findings();
        assertThat(Story.of(findings, ADD_EXERCISE)).singleElement().satisfies(holds -> {
            assertThat(holds.pattern()).isEqualTo(FLARE_UP_WHILE_LOADING);
            assertThat(holds.parameters()).isEqualTo(Map.of("exercise", "CALF_ISOMETRIC_HOLD", "hours", 72L,
                    "fromPhase", "RESTORE_CAPACITY"));
            assertThat(holds.evidenceEventIds()).containsExactly("walking");
            assertThat(holds.proposedAt()).isEqualTo(day(0, "12:00"));
            assertThat(holds.reason()).isEqualTo("A flare-up started on 2 Mar; for the next 72 h do calf isometric "
                    + "holds in place of loaded raises (once the plan has reached restoring capacity).");
        });
        assertThat(Story.pattern(findings, FLARE_UP_WHILE_LOADING)).isPresent();
    }

    @Test
    void each_episode_gets_its_own_and_its_id_stays_as_the_episode_grows() {
        Story story = Story.athleteDeclaringSymptomFreeKm(3.0)
                .run("run", day(0, "07:00"), 2.0, EASY)
                .report("during", day(0, "07:05"), 5, DURING_RUN, PULLING);
        String id = story.adjustments(ADD_EXERCISE).get(0).adjustmentId();

        story.report("during-again", day(1, "07:05"), 6, DURING_RUN, PULLING)  // joins the same episode
                .report("walking", day(1, "12:00"), 6, WALKING, ACHE);         // a random episode of its own

        assertThat(story.adjustments(ADD_EXERCISE)).extracting(ProposedAdjustment::evidenceEventIds)
                .containsExactly(List.of("during"), List.of("walking"));
        assertThat(story.adjustments(ADD_EXERCISE).get(0).adjustmentId()).isEqualTo(id);
    }

    @Test
    void seventy_two_hours_later_the_pattern_no_longer_shows() {
        Story story = Story.athlete()
                .report("walking", day(0, "12:00"), 6, WALKING, ACHE)
                .strength("raises", day(3, "12:01"), 30, 6);

        assertThat(Story.pattern(story.findings(), FLARE_UP_WHILE_LOADING)).isEmpty();
    }

    // ---- medial shin, bone stress (seed 003)

    @Test
    void medial_shin_pain_at_night_calls_for_a_bone_stress_screen_before_any_more_loading() {
        Story story = Story.athlete()
                .report("night", day(0, "02:00"), 3, NIGHT, MEDIAL_CALF_ALONG_SHIN, ACHE)
                .report("rest", day(1, "20:00"), 2, AT_REST, MEDIAL_CALF_ALONG_SHIN, ACHE);

        Findings findings = story.findings();
        assertThat(Story.of(findings, CLINICIAN_REVIEW)).singleElement().satisfies(review -> {
            assertThat(review.pattern()).isEqualTo(MEDIAL_SHIN_BONE_STRESS);
            assertThat(review.parameters()).isEqualTo(Map.of("concern", "BONE_STRESS", "screen", "BONE_STRESS"));
            assertThat(review.evidenceEventIds()).containsExactly("night");
            assertThat(review.reason()).isEqualTo("Pain on the inside of the calf along the shin bone at night, at "
                    + "rest or with a gradual onset was reported (on 2 Mar); a clinician should screen for a bone "
                    + "stress injury before any more loading.");
        });
        assertThat(Story.pattern(findings, MEDIAL_SHIN_BONE_STRESS)).hasValueSatisfying(p ->
                assertThat(p.evidenceEventIds()).containsExactly("night", "rest"));
    }

    @Test
    void a_gradual_onset_along_the_shin_is_screened_for_bone_stress_and_referred() {
        Story story = Story.athlete().symptom(new SymptomReport("gradual", day(0, "12:00"), 2,
                MEDIAL_CALF_ALONG_SHIN, Set.of(ACHE), WALKING, Set.of(RedFlag.GRADUAL_ONSET)));

        assertThat(story.adjustments(CLINICIAN_REVIEW)).extracting(a -> a.parameters().get("concern"))
                .containsExactly("BONE_STRESS");
        assertThat(story.adjustments(URGENT_REFERRAL)).hasSize(1);
    }

    @Test
    void medial_shin_pain_while_walking_is_no_sign_of_bone_stress() {
        Story story = Story.athlete().report("walking", day(0, "12:00"), 4, WALKING, MEDIAL_CALF_ALONG_SHIN, ACHE);

        assertThat(story.findings().patterns()).isEmpty();
        assertThat(story.findings().adjustments()).isEmpty();
    }

    // ---- strength under-dosed (seed 000: "<12 reps and RPE >7")

    static Story calfRaisesThreeTimesAWeek(int weeks, int reps, int rpe) {
        Story story = Story.athlete();
        for (int d = 0; d < weeks * 7; d += 2) {
            story.calfRaises("raises-d" + d, day(d, "18:00"), 3, reps, rpe);
        }
        return story;
    }

    @Test
    void three_weeks_of_calf_raises_at_15_reps_are_a_finding_for_the_clinician_and_no_plan_change() {
        Findings findings = calfRaisesThreeTimesAWeek(3, 15, 8).findings();

        assertThat(Story.pattern(findings, STRENGTH_UNDER_DOSED)).hasValueSatisfying(p -> {
            // the first moment with calf work in each of the last three 7-day spans: day 16's reach back to day -5
            assertThat(p.since()).isEqualTo(day(16, "18:00"));
            assertThat(p.episodeIds()).isEmpty();
            assertThat(p.evidenceEventIds()).hasSize(11).startsWith("raises-d0").endsWith("raises-d20");
        });
        assertThat(findings.adjustments()).isEmpty();
    }

    @Test
    void three_weeks_at_rpe_5_are_under_dosed_too() {
        assertThat(Story.pattern(calfRaisesThreeTimesAWeek(3, 10, 5).findings(), STRENGTH_UNDER_DOSED)).isPresent();
    }

    @Test
    void two_weeks_are_not_yet_three() {
        assertThat(Story.pattern(calfRaisesThreeTimesAWeek(2, 15, 5).findings(), STRENGTH_UNDER_DOSED)).isEmpty();
    }

    @Test
    void one_heavy_session_of_8_reps_at_rpe_8_in_the_three_weeks_is_enough_load() {
        Story story = calfRaisesThreeTimesAWeek(3, 15, 5).calfRaises("heavy", day(15, "09:00"), 3, 8, 8);

        assertThat(Story.pattern(story.findings(), STRENGTH_UNDER_DOSED)).isEmpty();
    }

    @Test
    void strength_work_that_is_not_calf_work_does_not_count() {
        Story story = Story.athlete();
        for (int d = 0; d < 21; d += 2) {
            story.session(new TrainingSession("squats-d" + d, null, SessionType.STRENGTH, day(d, "18:00"), 30, 5,
                    null, null, null, List.of(new StrengthExercise("GOBLET_SQUAT", 3, 15, 16.0, 5))));
        }

        assertThat(story.findings().patterns()).isEmpty();
    }
}
