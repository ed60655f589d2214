package io.strideback.loadmonitor.domain;

import org.junit.jupiter.api.Test;

import static io.strideback.events.vocabulary.PainCharacter.ACHE;
import static io.strideback.events.vocabulary.PainCharacter.PULLING;
import static io.strideback.events.vocabulary.SymptomContext.DURING_RUN;
import static io.strideback.events.vocabulary.RunIntensity.EASY;
import static io.strideback.events.vocabulary.SymptomContext.AT_REST;
import static io.strideback.events.vocabulary.SymptomContext.WALKING;
import static io.strideback.loadmonitor.domain.Story.day;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * DOMAIN.md: the symptom-free distance is the longest run in the last 42 days not followed by a flare-up within
 * 24 h (seed 001: the distance the athlete can run before symptoms).
 */
class SymptomFreeDistanceTest {

    @Test
    void before_any_run_the_distance_declared_at_enrolment_stands() {
        Story story = Story.athleteDeclaringSymptomFreeKm(2.5).strength("raises", day(0, "17:00"), 30, 6);

        assertThat(story.findings().load().symptomFreeDistanceKm()).isEqualTo(2.5);
    }

    @Test
    void with_nothing_declared_and_no_run_there_is_none() {
        Story story = Story.athlete().strength("raises", day(0, "17:00"), 30, 6);

        assertThat(story.findings().load().symptomFreeDistanceKm()).isNull();
    }

    @Test
    void it_is_the_longest_run_not_followed_by_a_flare_up_within_24h() {
        Story story = Story.athleteDeclaringSymptomFreeKm(1.0)
                .run("2k", day(0, "07:00"), 2.0, EASY)
                .run("3k", day(2, "07:00"), 3.0, EASY)
                .run("4k", day(4, "07:00"), 4.0, EASY)
                .report("flare", day(4, "12:00"), 6, WALKING, ACHE)
                .report("settled", day(7, "12:00"), 0, AT_REST);

        assertThat(story.findings().load().symptomFreeDistanceKm()).isEqualTo(3.0);
    }

    @Test
    void a_run_counts_once_its_24h_have_passed_without_a_flare_up() {
        Story story = Story.athlete()
                .run("2k", day(0, "07:00"), 2.0, EASY)
                .run("3k", day(2, "07:00"), 3.0, EASY)
                .strength("raises-same-evening", day(2, "17:00"), 30, 6);

        assertThat(story.findings().load().symptomFreeDistanceKm()).isEqualTo(2.0);

        story.strength("raises-next-evening", day(3, "17:00"), 30, 6);
        assertThat(story.findings().load().symptomFreeDistanceKm()).isEqualTo(3.0);
    }

    @Test
    void runs_older_than_42_days_drop_out() {
        Story story = Story.athlete()
                .run("5k", day(0, "07:00"), 5.0, EASY)
                .run("2k", day(10, "07:00"), 2.0, EASY)
                .strength("raises", day(42, "06:59"), 30, 6);
        assertThat(story.findings().load().symptomFreeDistanceKm()).isEqualTo(5.0);

        story.strength("raises-later", day(42, "07:01"), 30, 6);
        assertThat(story.findings().load().symptomFreeDistanceKm()).isEqualTo(2.0);
    }

    @Test
    void when_every_run_was_followed_by_a_flare_up_the_declared_distance_still_stands() {
        Story story = Story.athleteDeclaringSymptomFreeKm(3.0)
                .run("4k", day(0, "07:00"), 4.0, EASY)
                .report("flare", day(0, "10:00"), 6, WALKING, ACHE)
                .strength("raises", day(5, "17:00"), 30, 6);

        assertThat(story.findings().load().symptomFreeDistanceKm()).isEqualTo(3.0);
    }

    @Test
    void when_every_run_was_followed_by_a_flare_up_and_nothing_was_declared_there_is_none() {
        Story story = Story.athlete()
                .run("4k", day(0, "07:00"), 4.0, EASY)
                .report("flare", day(0, "10:00"), 6, WALKING, ACHE)
                .strength("raises", day(5, "17:00"), 30, 6);

        assertThat(story.findings().load().symptomFreeDistanceKm()).isNull();
    }

    @Test
    void once_a_run_shows_a_symptom_free_distance_it_replaces_the_declared_one_even_when_shorter() {
        Story story = Story.athleteDeclaringSymptomFreeKm(3.0)
                .run("2k", day(0, "07:00"), 2.0, EASY)
                .strength("raises", day(1, "17:00"), 30, 6);

        assertThat(story.findings().load().symptomFreeDistanceKm()).isEqualTo(2.0);
    }

    @Test
    void the_longest_run_of_the_last_30_days_is_kept_as_context() {
        Story story = Story.athlete()
                .run("6k", day(0, "07:00"), 6.0, EASY)
                .run("4k", day(20, "07:00"), 4.0, EASY)
                .run("3k", day(31, "07:00"), 3.0, EASY);

        assertThat(story.findings().load().longestRunLast30DaysKm()).isEqualTo(4.0);
    }

    @Test
    void rules_v2_a_flare_up_report_joining_an_open_episode_after_a_run_also_makes_the_run_not_symptom_free() {
        // given a running flare-up on day 0, still open
        Story story = Story.athleteDeclaringSymptomFreeKm(3.0)
                .run("run-3k", day(0, "07:00"), 3.0, EASY)
                .report("during-1", day(0, "07:15"), 5, DURING_RUN, PULLING)
                // when a 5 km run on day 2 brings pain again, joining that episode
                .run("run-5k", day(2, "07:00"), 5.0, EASY)
                .report("during-2", day(2, "07:25"), 5, DURING_RUN, PULLING)
                .strength("raises", day(4, "17:00"), 30, 6);

        // then the 5 km run was not symptom-free: the declared 3 km stands
        assertThat(story.episodeStartedBy("during-1").eventIds()).contains("during-2");
        assertThat(story.findings().load().symptomFreeDistanceKm()).isEqualTo(3.0);
    }
}
