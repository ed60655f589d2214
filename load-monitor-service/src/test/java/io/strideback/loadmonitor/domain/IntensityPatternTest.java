package io.strideback.loadmonitor.domain;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.strideback.events.vocabulary.AdjustmentType.ADD_RECOVERY_DAY_BEFORE_INTENSE;
import static io.strideback.events.vocabulary.AdjustmentType.REDUCE_RUN_INTENSITY;
import static io.strideback.events.vocabulary.PainCharacter.ACHE;
import static io.strideback.events.vocabulary.PatternKind.RUNNING_TRIGGERED_INTENSITY;
import static io.strideback.events.vocabulary.RunIntensity.EASY;
import static io.strideback.events.vocabulary.RunIntensity.TEMPO;
import static io.strideback.events.vocabulary.SymptomContext.WALKING;
import static io.strideback.loadmonitor.domain.Story.day;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pattern "running-triggered, intensity": triggering runs faster than EASY while easy runs of similar length were
 * symptom-free: REDUCE_RUN_INTENSITY keeping the volume, ADD_RECOVERY_DAY_BEFORE_INTENSE (seed 001: "some patients
 * may only experience symptoms when running at speed").
 */
class IntensityPatternTest {

    @Test
    void a_flare_up_after_a_5km_tempo_run_when_5km_easy_runs_were_fine_calls_for_easy_pace_at_the_same_distance() {
        Story story = Story.athleteDeclaringSymptomFreeKm(6.0)
                .run("easy-1", day(0, "07:00"), 5.0, EASY)
                .run("easy-2", day(2, "07:00"), 5.0, EASY)
                .run("tempo", day(4, "07:00"), 5.0, TEMPO)
                .report("flare", day(4, "10:00"), 6, WALKING, ACHE);

        Findings findings = story.findings();
        assertThat(story.episodeStartedBy("flare").rule()).isEqualTo("WITHIN_24H_OF_FASTER_THAN_EASY_RUN");
        assertThat(Story.of(findings, REDUCE_RUN_INTENSITY)).singleElement().satisfies(a -> {
            assertThat(a.pattern()).isEqualTo(RUNNING_TRIGGERED_INTENSITY);
            assertThat(a.rule()).isEqualTo("FASTER_THAN_EASY_TRIGGERED_WHILE_SIMILAR_EASY_RUNS_SYMPTOM_FREE");
            assertThat(a.parameters()).isEqualTo(Map.of("maxIntensity", "EASY"));
            // the flare-up and its run; the easy runs are the pattern's evidence (a late one changes no request)
            assertThat(a.evidenceEventIds()).containsExactly("tempo", "flare");
            assertThat(a.reason()).isEqualTo("One flare-up came within 24 h of a run faster than easy (tempo 5.0 km) "
                    + "while easy runs of similar length were symptom-free; keep the distance and run at an easy "
                    + "pace.");
            assertThat(a.proposedAt()).isEqualTo(day(4, "10:00"));
        });
        assertThat(Story.of(findings, ADD_RECOVERY_DAY_BEFORE_INTENSE)).singleElement()
                .satisfies(a -> assertThat(a.parameters()).isEmpty());
        assertThat(Story.pattern(findings, RUNNING_TRIGGERED_INTENSITY)).hasValueSatisfying(
                p -> assertThat(p.evidenceEventIds()).containsExactly("easy-1", "easy-2", "tempo", "flare"));
    }

    @Test
    void without_easy_runs_of_similar_length_speed_is_not_shown_to_be_the_trigger() {
        Story story = Story.athleteDeclaringSymptomFreeKm(6.0)
                .run("easy-1", day(0, "07:00"), 3.0, EASY)
                .run("easy-2", day(2, "07:00"), 3.0, EASY)
                .run("tempo", day(4, "07:00"), 5.0, TEMPO)
                .report("flare", day(4, "10:00"), 6, WALKING, ACHE);

        assertThat(Story.besidesIsometrics(story.findings())).isEmpty();
    }

    @Test
    void an_easy_run_within_20_percent_counts_as_similar_and_one_beyond_does_not() {
        Story within = Story.athleteDeclaringSymptomFreeKm(6.0)
                .run("easy", day(0, "07:00"), 4.0, EASY)
                .run("tempo", day(2, "07:00"), 5.0, TEMPO)
                .report("flare", day(2, "10:00"), 6, WALKING, ACHE);
        Story beyond = Story.athleteDeclaringSymptomFreeKm(6.0)
                .run("easy", day(0, "07:00"), 3.9, EASY)
                .run("tempo", day(2, "07:00"), 5.0, TEMPO)
                .report("flare", day(2, "10:00"), 6, WALKING, ACHE);

        assertThat(within.adjustments(REDUCE_RUN_INTENSITY)).hasSize(1);
        assertThat(beyond.adjustments(REDUCE_RUN_INTENSITY)).isEmpty();
    }
}
