package io.strideback.loadmonitor.domain;

import io.strideback.events.vocabulary.SymptomContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.ZoneId;

import static io.strideback.events.vocabulary.FlareUpClassification.RANDOM;
import static io.strideback.events.vocabulary.FlareUpClassification.RUNNING_TRIGGERED;
import static io.strideback.events.vocabulary.PainCharacter.ACHE;
import static io.strideback.events.vocabulary.PainCharacter.CRAMP;
import static io.strideback.events.vocabulary.PainCharacter.PULLING;
import static io.strideback.events.vocabulary.RunIntensity.EASY;
import static io.strideback.events.vocabulary.RunIntensity.TEMPO;
import static io.strideback.events.vocabulary.SymptomContext.AFTER_RUN;
import static io.strideback.events.vocabulary.SymptomContext.DURING_RUN;
import static io.strideback.events.vocabulary.SymptomContext.DURING_STRENGTH;
import static io.strideback.events.vocabulary.SymptomContext.NIGHT;
import static io.strideback.events.vocabulary.SymptomContext.WALKING;
import static io.strideback.loadmonitor.domain.Story.day;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

/** DOMAIN.md "Classification of an episode (by its first report)". */
class ClassificationTest {

    @Test
    void a_6_of_10_pulling_report_3h_after_a_5km_easy_run_longer_than_the_symptom_free_distance_is_running_triggered() {
        // given an athlete who could run 3 km before symptoms, and a 5 km easy run from 07:00 to 07:30
        Story story = Story.athleteDeclaringSymptomFreeKm(3.0)
                .run("run-5k", day(0, "07:00"), 5.0, EASY)
                // when she reports 6/10 pulling while walking three hours after it
                .report("pulling", day(0, "10:30"), 6, WALKING, PULLING);

        // then the flare-up is running-triggered, with the run as evidence
        FlareUpEpisode episode = story.episodeStartedBy("pulling");
        assertThat(episode.classification()).isEqualTo(RUNNING_TRIGGERED);
        assertThat(episode.rule()).isEqualTo("WITHIN_24H_OF_LONGER_THAN_SYMPTOM_FREE_RUN");
        assertThat(episode.evidence()).isEqualTo(new ClassificationEvidence("session-run-5k", "run-5k", 5.0, EASY,
                null, WALKING));
    }

    @Test
    void pain_during_a_run_is_running_triggered_whatever_the_run() {
        Story story = Story.athleteDeclaringSymptomFreeKm(3.0)
                .run("short-easy", day(0, "07:00"), 2.0, EASY)
                .report("during", day(0, "07:08"), 5, DURING_RUN, PULLING);

        FlareUpEpisode episode = story.episodeStartedBy("during");
        assertThat(episode.classification()).isEqualTo(RUNNING_TRIGGERED);
        assertThat(episode.rule()).isEqualTo("ONSET_DURING_RUN");
        assertThat(episode.evidence().triggeringEventId()).isEqualTo("short-easy");
        assertThat(episode.evidence().triggeringRunKm()).isEqualTo(2.0);
    }

    @Test
    void pain_after_a_run_is_running_triggered() {
        Story story = Story.athleteDeclaringSymptomFreeKm(3.0)
                .run("short-easy", day(0, "07:00"), 2.0, EASY)
                .report("after", day(0, "08:00"), 5, AFTER_RUN, ACHE);

        assertThat(story.episodeStartedBy("after").rule()).isEqualTo("ONSET_AFTER_RUN");
    }

    @Test
    void pain_during_a_run_that_is_not_synced_yet_is_running_triggered_without_run_evidence() {
        Story story = Story.athleteDeclaringSymptomFreeKm(3.0)
                .report("during", day(0, "07:08"), 5, DURING_RUN, PULLING);

        FlareUpEpisode episode = story.episodeStartedBy("during");
        assertThat(episode.classification()).isEqualTo(RUNNING_TRIGGERED);
        assertThat(episode.evidence()).isEqualTo(ClassificationEvidence.noRun(DURING_RUN));
    }

    @Test
    void a_flare_up_the_morning_after_a_tempo_run_is_running_triggered_by_intensity() {
        Story story = Story.athleteDeclaringSymptomFreeKm(3.0)
                .run("tempo", day(0, "18:00"), 2.0, TEMPO)
                .report("walk", day(1, "08:00"), 5, WALKING, ACHE);

        FlareUpEpisode episode = story.episodeStartedBy("walk");
        assertThat(episode.rule()).isEqualTo("WITHIN_24H_OF_FASTER_THAN_EASY_RUN");
        assertThat(episode.evidence().intensity()).isEqualTo(TEMPO);
    }

    @Test
    void a_run_a_third_longer_than_the_longest_of_the_previous_30_days_is_a_spike() {
        // 6 km five weeks ago keeps the symptom-free distance at 6 km, but the last 30 days topped out at 3 km
        Story story = Story.athlete()
                .run("long-ago", day(0, "07:00"), 6.0, EASY)
                .run("recent", day(35, "07:00"), 3.0, EASY)
                .run("spike", day(37, "07:00"), 4.0, EASY)
                .report("walk", day(37, "12:00"), 5, WALKING, ACHE);

        FlareUpEpisode episode = story.episodeStartedBy("walk");
        assertThat(episode.classification()).isEqualTo(RUNNING_TRIGGERED);
        assertThat(episode.rule()).isEqualTo("WITHIN_24H_OF_SPIKE_RUN");
        assertThat(episode.evidence().spikeRatio()).isCloseTo(4.0 / 3.0, within(1e-9));
    }

    @Test
    void a_run_exactly_10_percent_longer_is_not_a_spike() {
        Story story = Story.athlete()
                .run("long-ago", day(0, "07:00"), 6.0, EASY)
                .run("recent", day(35, "07:00"), 3.0, EASY)
                .run("plus-10", day(37, "07:00"), 3.3, EASY)
                .report("walk", day(37, "12:00"), 5, WALKING, ACHE);

        FlareUpEpisode episode = story.episodeStartedBy("walk");
        assertThat(episode.classification()).isEqualTo(RANDOM);
        assertThat(episode.rule()).isEqualTo("RANDOM_WALKING");
    }

    @Test
    void an_easy_run_no_longer_than_the_symptom_free_distance_does_not_explain_a_walking_flare_up() {
        Story story = Story.athleteDeclaringSymptomFreeKm(3.0)
                .run("easy-3k", day(0, "07:00"), 3.0, EASY)
                .report("walk", day(0, "12:00"), 5, WALKING, ACHE);

        assertThat(story.episodeStartedBy("walk").rule()).isEqualTo("RANDOM_WALKING");
        assertThat(story.episodeStartedBy("walk").evidence().triggeringEventId()).isNull();
    }

    @Test
    void a_flare_up_24h_after_the_end_of_a_qualifying_run_is_still_running_triggered() {
        Story story = Story.athleteDeclaringSymptomFreeKm(3.0)
                .run("run-5k", day(0, "07:00"), 5.0, EASY) // ends 07:30
                .report("walk", day(1, "07:30"), 5, WALKING, ACHE);

        assertThat(story.episodeStartedBy("walk").classification()).isEqualTo(RUNNING_TRIGGERED);
    }

    @Test
    void a_flare_up_a_minute_later_is_random() {
        Story story = Story.athleteDeclaringSymptomFreeKm(3.0)
                .run("run-5k", day(0, "07:00"), 5.0, EASY)
                .report("walk", day(1, "07:31"), 5, WALKING, ACHE);

        assertThat(story.episodeStartedBy("walk").rule()).isEqualTo("RANDOM_WALKING");
    }

    @Test
    void a_night_report_after_a_qualifying_run_earlier_the_same_day_is_running_triggered() {
        Story story = Story.athleteDeclaringSymptomFreeKm(3.0)
                .run("evening-5k", day(0, "18:00"), 5.0, EASY)
                .report("night", day(0, "23:30"), 6, NIGHT, CRAMP);

        FlareUpEpisode episode = story.episodeStartedBy("night");
        assertThat(episode.classification()).isEqualTo(RUNNING_TRIGGERED);
        assertThat(episode.rule()).isEqualTo("NIGHT_AFTER_RUN_SAME_DAY");
        assertThat(episode.evidence().triggeringEventId()).isEqualTo("evening-5k");
    }

    @Test
    void a_night_cramp_after_midnight_following_the_day_befores_run_is_random_seed_000() {
        Story story = Story.athleteDeclaringSymptomFreeKm(3.0)
                .run("evening-5k", day(0, "18:00"), 5.0, EASY)
                .report("night", day(1, "02:00"), 6, NIGHT, CRAMP);

        FlareUpEpisode episode = story.episodeStartedBy("night");
        assertThat(episode.classification()).isEqualTo(RANDOM);
        assertThat(episode.rule()).isEqualTo("RANDOM_NIGHT");
    }

    @Test
    void the_same_day_is_the_clinics_calendar_day() {
        // 08:00 UTC is 19:00 in Melbourne (AEDT, UTC+11); 13:30 UTC is 00:30 the next day there.
        Story inUtc = Story.athleteDeclaringSymptomFreeKm(3.0)
                .run("run", day(0, "08:00"), 5.0, EASY)
                .report("night", day(0, "13:30"), 6, NIGHT, CRAMP);
        Story inMelbourne = Story.athleteDeclaringSymptomFreeKm(3.0)
                .inClinicZone(ZoneId.of("Australia/Melbourne"))
                .run("run", day(0, "08:00"), 5.0, EASY)
                .report("night", day(0, "13:30"), 6, NIGHT, CRAMP);

        assertThat(inUtc.episodeStartedBy("night").rule()).isEqualTo("NIGHT_AFTER_RUN_SAME_DAY");
        assertThat(inMelbourne.episodeStartedBy("night").rule()).isEqualTo("RANDOM_NIGHT");
    }

    @ParameterizedTest
    @EnumSource(value = SymptomContext.class, names = {"WALKING", "AT_REST", "NIGHT", "MORNING", "DURING_STRENGTH"})
    void with_no_qualifying_run_in_the_24h_before_the_rule_names_the_context(SymptomContext context) {
        Story story = Story.athleteDeclaringSymptomFreeKm(3.0)
                .run("two-days-ago", day(0, "07:00"), 5.0, TEMPO)
                .report("r", day(2, "12:00"), 5, context, ACHE);

        FlareUpEpisode episode = story.episodeStartedBy("r");
        assertThat(episode.classification()).isEqualTo(RANDOM);
        assertThat(episode.rule()).isEqualTo("RANDOM_" + context.name());
        assertThat(episode.evidence().onsetContext()).isEqualTo(context);
    }

    @Test
    void a_flare_up_during_strength_work_is_visible_as_such_not_hidden_as_running() {
        Story story = Story.athleteDeclaringSymptomFreeKm(3.0)
                .strength("calf-raises", day(0, "17:00"), 30, 7)
                .report("raises", day(0, "17:20"), 5, DURING_STRENGTH, ACHE);

        assertThat(story.episodeStartedBy("raises").rule()).isEqualTo("RANDOM_DURING_STRENGTH");
    }

    @Test
    void a_run_synced_late_reclassifies_a_random_flare_up_as_running_triggered() {
        // given a walking flare-up and no run on record
        Story story = Story.athleteDeclaringSymptomFreeKm(3.0)
                .report("walk", day(1, "12:00"), 6, WALKING, ACHE);
        FlareUpEpisode before = story.episodeStartedBy("walk");
        assertThat(before.classification()).isEqualTo(RANDOM);

        // when the watch syncs the morning's 5 km tempo run two days later
        story.run("late-run", day(1, "06:00"), 5.0, TEMPO);

        // then the same episode is running-triggered
        FlareUpEpisode after = story.episodeStartedBy("walk");
        assertThat(after.episodeId()).isEqualTo(before.episodeId());
        assertThat(after.classification()).isEqualTo(RUNNING_TRIGGERED);
        assertThat(after.rule()).isEqualTo("WITHIN_24H_OF_LONGER_THAN_SYMPTOM_FREE_RUN");
        assertThat(after.evidence().triggeringEventId()).isEqualTo("late-run");
    }

    // ---- rules v2: same-instant reports, by context then pain, never by id

    @Test
    void rules_v2_at_the_same_instant_the_report_during_the_run_is_taken_first_whatever_the_ids() {
        for (String[] ids : new String[][]{{"a-walk", "z-run"}, {"z-walk", "a-run"}}) {
            Story story = Story.athleteDeclaringSymptomFreeKm(5.0)
                    .run("run", day(0, "07:00"), 5.0, EASY)
                    .report(ids[0], day(0, "07:20"), 5, WALKING, ACHE)
                    .report(ids[1], day(0, "07:20"), 5, DURING_RUN, ACHE);

            assertThat(story.findings().episodes())
                    .as("ids %s", String.join(", ", ids))
                    .extracting(FlareUpEpisode::firstEventId, FlareUpEpisode::classification)
                    .containsExactly(tuple(ids[1], RUNNING_TRIGGERED), tuple(ids[0], RANDOM));
        }
    }

    @Test
    void rules_v2_at_the_same_instant_in_the_same_context_the_higher_pain_starts_the_episode() {
        for (String[] ids : new String[][]{{"a-5", "z-7"}, {"z-5", "a-7"}}) {
            Story story = Story.athlete()
                    .report(ids[0], day(0, "12:00"), 5, WALKING, ACHE)
                    .report(ids[1], day(0, "12:00"), 7, WALKING, ACHE);

            assertThat(story.findings().episodes()).extracting(FlareUpEpisode::eventIds)
                    .as("ids %s", String.join(", ", ids))
                    .containsExactly(java.util.List.of(ids[1], ids[0]));
        }
    }

    @Test
    void rules_v2_a_night_report_reads_the_athletes_own_day() {
        // 08:00 UTC is 19:00 in Melbourne (AEDT, UTC+11); 13:30 UTC is 00:30 the next day there. The clinic is in
        // UTC, the athlete in Melbourne: her night cramp came after midnight, on the day after the run.
        AthleteProfile inMelbourne = new AthleteProfile("ath-1", "clinic-1", null, Story.DAY_0, 3.0,
                ZoneId.of("Australia/Melbourne"));
        Story story = Story.enrol(inMelbourne)
                .run("run", day(0, "08:00"), 5.0, EASY)
                .report("night", day(0, "13:30"), 6, NIGHT, CRAMP);

        assertThat(story.episodeStartedBy("night").rule()).isEqualTo("RANDOM_NIGHT");
    }
}
