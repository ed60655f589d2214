package io.strideback.loadmonitor.domain;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.strideback.events.vocabulary.AdjustmentType.CAP_RUN_DISTANCE;
import static io.strideback.events.vocabulary.AdjustmentType.LIMIT_PROGRESSION;
import static io.strideback.events.vocabulary.PainCharacter.ACHE;
import static io.strideback.events.vocabulary.PatternKind.RUNNING_TRIGGERED_DISTANCE;
import static io.strideback.events.vocabulary.RunIntensity.EASY;
import static io.strideback.events.vocabulary.SymptomContext.AT_REST;
import static io.strideback.events.vocabulary.SymptomContext.WALKING;
import static io.strideback.loadmonitor.domain.Story.day;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pattern "running-triggered, distance": >= 2 running-triggered episodes whose triggering runs were longer than
 * the symptom-free distance: CAP_RUN_DISTANCE to it (or 80% of the shortest triggering run when there is none),
 * LIMIT_PROGRESSION to +10% over the longest run of 30 days (seed 001).
 */
class DistancePatternTest {

    /** 3 km runs fine; 5.2 km and 6.0 km each brought on a flare-up a few hours later. */
    static Story twoFlareUpsAfterLongerRuns() {
        return Story.athleteDeclaringSymptomFreeKm(3.0)
                .run("3k", day(0, "07:00"), 3.0, EASY)
                .run("5.2k", day(2, "07:00"), 5.2, EASY)
                .report("flare-1", day(2, "10:30"), 6, WALKING, ACHE)
                .report("settled-1", day(4, "11:00"), 1, AT_REST)
                .run("6k", day(6, "07:00"), 6.0, EASY)
                .report("flare-2", day(6, "10:30"), 6, WALKING, ACHE);
    }

    @Test
    void two_flare_ups_after_runs_longer_than_the_symptom_free_distance_cap_runs_at_it() {
        Findings findings = twoFlareUpsAfterLongerRuns().findings();

        assertThat(Story.of(findings, CAP_RUN_DISTANCE)).singleElement().satisfies(cap -> {
            assertThat(cap.pattern()).isEqualTo(RUNNING_TRIGGERED_DISTANCE);
            assertThat(cap.rule()).isEqualTo("AT_LEAST_2_RUNNING_TRIGGERED_BEYOND_SYMPTOM_FREE_DISTANCE");
            assertThat(cap.parameters()).isEqualTo(Map.of("maxDistanceKm", 3.0));
            assertThat(cap.proposedAt()).isEqualTo(day(6, "10:30"));
            assertThat(cap.evidenceEventIds()).containsExactly("3k", "5.2k", "flare-1", "6k", "flare-2");
            assertThat(cap.reason()).isEqualTo("Two flare-ups came within 24 h of runs longer than 3.0 km "
                    + "(5.2 km, 6.0 km); cap runs at 3.0 km, the longest run not followed by a flare-up in 42 days.");
        });
    }

    @Test
    void and_limit_progression_to_10_percent_over_the_longest_run_of_30_days() {
        Findings findings = twoFlareUpsAfterLongerRuns().findings();

        assertThat(Story.of(findings, LIMIT_PROGRESSION)).singleElement().satisfies(limit -> {
            assertThat(limit.parameters()).isEqualTo(Map.of("maxIncreasePercent", 10, "longestRun30dKm", 6.0,
                    "maxDistanceKm", 6.6));
            assertThat(limit.reason()).contains("10%", "6.0 km", "6.6 km");
        });
        assertThat(Story.pattern(findings, RUNNING_TRIGGERED_DISTANCE)).hasValueSatisfying(p -> {
            assertThat(p.since()).isEqualTo(day(6, "10:30"));
            assertThat(p.episodeIds()).hasSize(2);
        });
    }

    @Test
    void one_flare_up_after_a_longer_run_is_not_yet_a_pattern() {
        Story story = Story.athleteDeclaringSymptomFreeKm(3.0)
                .run("5.2k", day(2, "07:00"), 5.2, EASY)
                .report("flare-1", day(2, "10:30"), 6, WALKING, ACHE);

        assertThat(Story.besidesIsometrics(story.findings())).isEmpty();
        assertThat(Story.besidesLoading(story.findings())).isEmpty();
    }

    @Test
    void the_cap_is_not_proposed_again_as_later_events_arrive() {
        Story story = twoFlareUpsAfterLongerRuns()
                .report("settled-2", day(8, "11:00"), 1, AT_REST);
        for (int d = 9; d < 20; d += 2) {
            story.run("capped-" + d, day(d, "07:00"), 3.0, EASY);
        }

        assertThat(story.adjustments(CAP_RUN_DISTANCE)).hasSize(1);
        assertThat(story.adjustments(LIMIT_PROGRESSION)).hasSize(1);
    }

    @Test
    void with_no_symptom_free_distance_the_cap_is_80_percent_of_the_shortest_triggering_run() {
        // nothing declared, and both runs so far were followed by a flare-up
        Story story = Story.athlete()
                .run("2.5k", day(0, "07:00"), 2.5, EASY)
                .report("flare-1", day(0, "10:00"), 6, WALKING, ACHE)
                .report("settled-1", day(2, "11:00"), 1, AT_REST)
                .run("3k", day(4, "07:00"), 3.0, EASY)
                .report("flare-2", day(4, "10:00"), 6, WALKING, ACHE);

        assertThat(story.adjustments(CAP_RUN_DISTANCE)).singleElement().satisfies(cap -> {
            assertThat(cap.parameters()).isEqualTo(Map.of("maxDistanceKm", 2.0));
            assertThat(cap.reason()).isEqualTo("Two flare-ups came within 24 h of runs of 2.5 km, 3.0 km and no run "
                    + "in the last 42 days was free of a flare-up; cap runs at 2.0 km, 80% of the shortest of them.");
        });
    }

    @Test
    void a_new_flare_up_that_changes_the_cap_proposes_the_new_cap() {
        Story story = Story.athlete()
                .run("2.5k", day(0, "07:00"), 2.5, EASY)
                .report("flare-1", day(0, "10:00"), 6, WALKING, ACHE)
                .report("settled-1", day(2, "11:00"), 1, AT_REST)
                .run("3k", day(4, "07:00"), 3.0, EASY)
                .report("flare-2", day(4, "10:00"), 6, WALKING, ACHE)
                .report("settled-2", day(6, "11:00"), 1, AT_REST)
                .run("2k", day(20, "07:00"), 2.0, EASY)
                .report("flare-3", day(20, "10:00"), 6, WALKING, ACHE);

        assertThat(story.adjustments(CAP_RUN_DISTANCE)).extracting(a -> a.parameters().get("maxDistanceKm"))
                .containsExactly(2.0, 1.6);
    }

    @Test
    void a_cap_from_the_distance_declared_at_enrolment_says_so() {
        // no run has shown a symptom-free distance yet, so the clinician's 3 km stands
        Story story = Story.athleteDeclaringSymptomFreeKm(3.0)
                .run("5k", day(0, "07:00"), 5.0, EASY)
                .report("flare-1", day(0, "10:00"), 6, WALKING, ACHE)
                .report("settled-1", day(2, "11:00"), 1, AT_REST)
                .run("4k", day(4, "07:00"), 4.0, EASY)
                .report("flare-2", day(4, "10:00"), 6, WALKING, ACHE);

        assertThat(story.adjustments(CAP_RUN_DISTANCE)).singleElement().satisfies(cap -> {
            assertThat(cap.parameters()).isEqualTo(Map.of("maxDistanceKm", 3.0));
            assertThat(cap.reason()).isEqualTo("Two flare-ups came within 24 h of runs longer than 3.0 km "
                    + "(5.0 km, 4.0 km); cap runs at 3.0 km, the symptom-free distance declared at enrolment.");
            assertThat(cap.evidenceEventIds()).containsExactly("5k", "flare-1", "4k", "flare-2");
        });
    }
}
