package io.strideback.loadmonitor.domain;

import io.strideback.events.vocabulary.RunIntensity;
import org.junit.jupiter.api.Test;

import io.strideback.events.vocabulary.AdjustmentType;

import static io.strideback.events.vocabulary.FlareUpClassification.RANDOM;
import static io.strideback.events.vocabulary.FlareUpClassification.RUNNING_TRIGGERED;
import static io.strideback.events.vocabulary.PainCharacter.ACHE;
import static io.strideback.events.vocabulary.PainCharacter.CRAMP;
import static io.strideback.events.vocabulary.PainCharacter.PULLING;
import static io.strideback.events.vocabulary.SymptomContext.DURING_RUN;
import static io.strideback.events.vocabulary.SymptomContext.NIGHT;
import static org.assertj.core.api.Assertions.tuple;
import static io.strideback.events.vocabulary.SymptomContext.AT_REST;
import static io.strideback.events.vocabulary.SymptomContext.WALKING;
import static io.strideback.loadmonitor.domain.Story.day;
import static io.strideback.loadmonitor.domain.Story.hours;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * DOMAIN.md "Flare-up": flare-up reports within 72 h of an open episode of their class join it; reports that meet
 * no trigger count towards ending it (rules v2: they no longer join it); an episode ends after 48 h with every
 * report at pain <= 2, and the engine records that end once an event shows it.
 */
class FlareUpEpisodeTest {

    @Test
    void a_report_71h_after_the_last_report_joins_the_open_episode() {
        Story story = Story.athlete()
                .report("onset", day(0, "08:00"), 6, WALKING, ACHE)
                .report("71h-later", day(0, "08:00").plus(hours(71)), 5, AT_REST);

        FlareUpEpisode episode = story.episodeStartedBy("onset");
        assertThat(story.findings().episodes()).hasSize(1);
        assertThat(episode.eventIds()).containsExactly("onset", "71h-later");
        assertThat(episode.endedAt()).isNull();
    }

    @Test
    void a_report_73h_after_the_last_report_starts_a_new_episode() {
        Story story = Story.athlete()
                .report("onset", day(0, "08:00"), 6, WALKING, ACHE)
                .report("73h-later", day(0, "08:00").plus(hours(73)), 6, WALKING, ACHE);

        assertThat(story.findings().episodes()).extracting(FlareUpEpisode::firstEventId)
                .containsExactly("onset", "73h-later");
        assertThat(story.episodeStartedBy("onset").eventIds()).containsExactly("onset");
        assertThat(story.episodeStartedBy("onset").endedAt()).isEqualTo(day(0, "08:00").plus(hours(48)));
    }

    @Test
    void a_low_report_73h_later_joins_nothing_and_shows_the_first_episode_ended() {
        Story story = Story.athlete()
                .report("onset", day(0, "08:00"), 6, WALKING, ACHE)
                .report("73h-later", day(0, "08:00").plus(hours(73)), 3, AT_REST);

        assertThat(story.findings().episodes()).hasSize(1);
        assertThat(story.episodeStartedBy("onset").eventIds()).containsExactly("onset");
        assertThat(story.episodeStartedBy("onset").endedAt()).isEqualTo(day(0, "08:00").plus(hours(48)));
    }

    @Test
    void an_episode_ends_48h_after_its_last_report_above_2_once_a_report_at_2_or_less_shows_it() {
        Story story = Story.athlete()
                .report("onset", day(0, "08:00"), 6, WALKING, ACHE)
                .report("+24h-at-4", day(1, "08:00"), 4, AT_REST)
                .report("+50h-at-2", day(2, "10:00"), 2, AT_REST) // 26 h after the last 4: still in it
                .report("+73h-at-1", day(3, "09:00"), 1, AT_REST) // 49 h after the last 4: settled
                .report("+80h-at-5", day(3, "16:00"), 5, WALKING, ACHE);

        FlareUpEpisode first = story.episodeStartedBy("onset");
        // rules v2: the 4/10 and the 2/10 met no trigger; they kept the episode going but are not its reports
        assertThat(first.eventIds()).containsExactly("onset");
        assertThat(first.endedAt()).isEqualTo(day(3, "08:00"));
        assertThat(first.peakPain()).isEqualTo(6);
        assertThat(story.findings().episodes()).extracting(FlareUpEpisode::firstEventId)
                .containsExactly("onset", "+80h-at-5");
    }

    @Test
    void a_report_above_2_within_the_48h_keeps_the_episode_going() {
        Story story = Story.athlete()
                .report("onset", day(0, "08:00"), 6, WALKING, ACHE)
                .report("+40h-at-3", day(0, "08:00").plus(hours(40)), 3, AT_REST)
                .report("+60h-at-2", day(0, "08:00").plus(hours(60)), 2, AT_REST);

        FlareUpEpisode episode = story.episodeStartedBy("onset");
        assertThat(episode.eventIds()).containsExactly("onset");
        assertThat(episode.endedAt()).isNull();
    }

    @Test
    void without_a_later_event_the_episode_stays_open_because_the_engine_has_no_clock() {
        Story story = Story.athlete().report("onset", day(0, "08:00"), 6, WALKING, ACHE);

        assertThat(story.episodeStartedBy("onset").endedAt()).isNull();
    }

    @Test
    void a_run_logged_after_the_join_window_shows_that_the_episode_ended() {
        Story story = Story.athlete()
                .report("onset", day(0, "08:00"), 6, WALKING, ACHE)
                .run("run", day(0, "08:00").plus(hours(80)), 2.0, RunIntensity.EASY);

        assertThat(story.episodeStartedBy("onset").endedAt()).isEqualTo(day(2, "08:00"));
    }

    @Test
    void a_run_within_the_join_window_does_not_end_it_because_silence_is_not_a_report_at_2_or_less() {
        Story story = Story.athlete()
                .report("onset", day(0, "08:00"), 6, WALKING, ACHE)
                .run("run", day(0, "08:00").plus(hours(60)), 2.0, RunIntensity.EASY);

        assertThat(story.episodeStartedBy("onset").endedAt()).isNull();
    }

    @Test
    void the_peak_is_the_highest_pain_of_the_episode() {
        Story story = Story.athlete()
                .report("onset", day(0, "08:00"), 5, WALKING, ACHE)
                .report("worse", day(0, "20:00"), 8, AT_REST, ACHE)
                .report("better", day(1, "08:00"), 3, AT_REST);

        assertThat(story.episodeStartedBy("onset").peakPain()).isEqualTo(8);
    }

    // ---- rules v2: episodes split by class

    @Test
    void rules_v2_a_running_flare_up_the_day_after_a_walking_one_is_its_own_episode_and_not_hidden() {
        // given 6/10 while walking on day 0 (no run: random), the athlete cleared for 3 km
        Story story = Story.athleteDeclaringSymptomFreeKm(3.0)
                .report("walking", day(0, "12:00"), 6, WALKING, ACHE)
                // when she reports 7/10 pulling during an 8 km run the next morning
                .run("run-8k", day(1, "07:00"), 8.0, RunIntensity.EASY)
                .report("pulling", day(1, "07:40"), 7, DURING_RUN, PULLING)
                .strength("raises", day(3, "17:00"), 30, 6);

        // then the run's flare-up is running-triggered in its own episode, not inside the random one
        Findings findings = story.findings();
        assertThat(findings.episodes()).extracting(FlareUpEpisode::firstEventId, FlareUpEpisode::classification)
                .containsExactly(tuple("walking", RANDOM), tuple("pulling", RUNNING_TRIGGERED));
        assertThat(story.episodeStartedBy("walking").eventIds()).containsExactly("walking");
        // and the 8 km run is not symptom-free: the distance stays the declared 3 km
        assertThat(findings.load().symptomFreeDistanceKm()).isEqualTo(3.0);
        // and a running flare-up at 7/10 pauses running (repeated: any at pain >= 7)
        assertThat(Story.of(findings, AdjustmentType.PAUSE_RUNNING)).hasSize(1);
    }

    @Test
    void rules_v2_seed_000_the_night_cramp_then_the_pulling_on_the_next_days_run_are_two_episodes() {
        Story story = Story.athleteDeclaringSymptomFreeKm(3.0)
                .report("night-cramp", day(0, "03:00"), 6, NIGHT, CRAMP)
                .run("next-day-run", day(1, "07:00"), 4.0, RunIntensity.EASY)
                .report("slight-pulling", day(1, "07:20"), 3, DURING_RUN, PULLING);

        assertThat(story.findings().episodes())
                .extracting(FlareUpEpisode::firstEventId, FlareUpEpisode::classification, FlareUpEpisode::rule)
                .containsExactly(tuple("night-cramp", RANDOM, "RANDOM_NIGHT"),
                        tuple("slight-pulling", RUNNING_TRIGGERED, "ONSET_DURING_RUN"));
    }

    @Test
    void rules_v2_a_flare_up_of_the_same_class_within_72h_joins_the_open_episode() {
        Story story = Story.athleteDeclaringSymptomFreeKm(3.0)
                .run("run-1", day(0, "07:00"), 4.0, RunIntensity.EASY)
                .report("during-1", day(0, "07:20"), 5, DURING_RUN, PULLING)
                .run("run-2", day(2, "07:00"), 4.0, RunIntensity.EASY)
                .report("during-2", day(2, "07:20"), 6, DURING_RUN, PULLING);

        assertThat(story.findings().episodes()).hasSize(1);
        assertThat(story.episodeStartedBy("during-1").eventIds()).containsExactly("during-1", "during-2");
        assertThat(story.episodeStartedBy("during-1").peakPain()).isEqualTo(6);
    }

    @Test
    void rules_v2_a_report_that_meets_no_trigger_joins_no_episode_of_its_own_but_keeps_the_open_one_going() {
        Story story = Story.athleteDeclaringSymptomFreeKm(3.0)
                .run("run-1", day(0, "07:00"), 4.0, RunIntensity.EASY)
                .report("during-1", day(0, "07:20"), 5, DURING_RUN, PULLING)
                .report("ache-4", day(1, "20:00"), 4, AT_REST, ACHE)        // no trigger, above 2
                .report("settled-1", day(3, "21:00"), 1, AT_REST);           // 49 h after the 4/10

        FlareUpEpisode episode = story.episodeStartedBy("during-1");
        assertThat(story.findings().episodes()).hasSize(1);
        assertThat(episode.endedAt()).isEqualTo(day(3, "20:00"));
    }
}
