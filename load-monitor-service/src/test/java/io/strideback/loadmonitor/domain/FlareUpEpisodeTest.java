package io.strideback.loadmonitor.domain;

import io.strideback.events.vocabulary.RunIntensity;
import org.junit.jupiter.api.Test;

import static io.strideback.events.vocabulary.PainCharacter.ACHE;
import static io.strideback.events.vocabulary.SymptomContext.AT_REST;
import static io.strideback.events.vocabulary.SymptomContext.WALKING;
import static io.strideback.loadmonitor.domain.Story.day;
import static io.strideback.loadmonitor.domain.Story.hours;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * DOMAIN.md "Flare-up": reports within 72 h of an open episode join it; an episode ends after 48 h with every
 * report at pain <= 2, and the engine records that end once an event shows it.
 */
class FlareUpEpisodeTest {

    @Test
    void a_report_71h_after_the_last_report_joins_the_open_episode() {
        Story story = Story.athlete()
                .report("onset", day(0, "08:00"), 6, WALKING, ACHE)
                .report("71h-later", day(0, "08:00").plus(hours(71)), 3, AT_REST);

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
        assertThat(first.eventIds()).containsExactly("onset", "+24h-at-4", "+50h-at-2");
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
        assertThat(episode.eventIds()).containsExactly("onset", "+40h-at-3", "+60h-at-2");
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
}
