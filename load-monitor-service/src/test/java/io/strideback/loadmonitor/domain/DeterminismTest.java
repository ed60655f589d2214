package io.strideback.loadmonitor.domain;

import io.strideback.events.vocabulary.AdjustmentType;
import io.strideback.events.vocabulary.FlareUpClassification;
import io.strideback.events.vocabulary.RunIntensity;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.strideback.events.vocabulary.PainCharacter.ACHE;
import static io.strideback.events.vocabulary.RunIntensity.EASY;
import static io.strideback.events.vocabulary.SymptomContext.WALKING;
import static io.strideback.loadmonitor.domain.Story.day;
import static org.assertj.core.api.Assertions.assertThat;

/** Ids derived from content, and a timeline that is a set of events by event id. */
class DeterminismTest {

    @Test
    void analysing_the_same_events_again_gives_equal_findings_with_the_same_ids() {
        AthleteTimeline told = RandomAndMixedPatternTest.oneFromRunningTwoNot().timeline();
        AthleteTimeline reloaded = AthleteTimeline.of(told.profile(), List.copyOf(told.sessions()),
                List.copyOf(told.symptoms()));

        Findings first = LoadMonitor.analyse(told);
        Findings again = LoadMonitor.analyse(reloaded);

        assertThat(again).isEqualTo(first);
        assertThat(first.adjustments()).isNotEmpty();
    }

    @Test
    void an_athlete_with_no_events_yet_has_no_findings_but_the_declared_distance() {
        Findings findings = Story.athleteDeclaringSymptomFreeKm(2.0).findings();

        assertThat(findings.episodes()).isEmpty();
        assertThat(findings.patterns()).isEmpty();
        assertThat(findings.adjustments()).isEmpty();
        assertThat(findings.load()).isEqualTo(new LoadSummary(List.of(), 0, 0, null, 2.0, null));
    }

    @Test
    void a_late_run_that_reclassifies_a_flare_up_takes_the_adjustments_with_it() {
        // given two random flare-ups and the review they called for
        Story story = RandomAndMixedPatternTest.twoRandomFlareUps();
        assertThat(story.adjustments(AdjustmentType.CLINICIAN_REVIEW)).hasSize(1);

        // when the morning's 5 km tempo run before the walking flare-up syncs late
        story.run("late-tempo", day(0, "07:00"), 5.0, RunIntensity.TEMPO);

        // then that flare-up came from running, two random ones no longer hold, and the review is not proposed
        Findings after = story.findings();
        assertThat(Story.findEpisodeStartedBy(after, "walking")).hasValueSatisfying(e -> assertThat(e.classification())
                .isEqualTo(FlareUpClassification.RUNNING_TRIGGERED));
        assertThat(Story.of(after, AdjustmentType.CLINICIAN_REVIEW)).isEmpty();
        assertThat(Story.besidesLoading(after)).isEmpty();
    }

    @Test
    void an_episode_id_is_ep_and_a_short_hash_of_its_first_report_whatever_else_happened() {
        Story alone = Story.athlete().report("flare", day(0, "12:00"), 6, WALKING, ACHE);
        Story withMore = Story.athlete()
                .run("run", day(-1, "07:00"), 2.0, EASY)
                .report("flare", day(0, "12:00"), 6, WALKING, ACHE)
                .report("later", day(0, "18:00"), 4, WALKING, ACHE);

        String id = alone.episodeStartedBy("flare").episodeId();
        assertThat(id).matches("ep-[0-9a-f]{12}");
        assertThat(withMore.episodeStartedBy("flare").episodeId()).isEqualTo(id);
        assertThat(DeterministicIds.episodeId("another-report")).isNotEqualTo(id);
    }

    @Test
    void an_adjustment_id_is_a_name_based_uuid_of_athlete_clinic_type_rule_evidence_and_parameters() {
        ProposedAdjustment cap = Story.of(DistancePatternTest.twoFlareUpsAfterLongerRuns().findings(),
                AdjustmentType.CAP_RUN_DISTANCE).get(0);

        // the rule without the clinic's numbers, so a setting that does not change the cap keeps its id
        String expected = UUID.nameUUIDFromBytes(String.join("\n", "ath-1", "clinic-1", "CAP_RUN_DISTANCE",
                "AT_LEAST_N_RUNNING_TRIGGERED_BEYOND_SYMPTOM_FREE_DISTANCE", "3k,5.2k,6k,flare-1,flare-2",
                "{maxDistanceKm=3;}").getBytes()).toString();
        assertThat(cap.rule()).isEqualTo("AT_LEAST_2_RUNNING_TRIGGERED_BEYOND_SYMPTOM_FREE_DISTANCE");
        assertThat(cap.adjustmentId()).isEqualTo(expected);
        assertThat(UUID.fromString(cap.adjustmentId()).version()).isEqualTo(3);
    }

    @Test
    void the_same_proposal_for_another_athlete_or_with_other_evidence_or_parameters_has_another_id() {
        String id = DeterministicIds.adjustmentId("ath-1", "clinic-1", AdjustmentType.CAP_RUN_DISTANCE, "R",
                List.of("b", "a"), Map.of("maxDistanceKm", 3.0));

        assertThat(DeterministicIds.adjustmentId("ath-1", "clinic-1", AdjustmentType.CAP_RUN_DISTANCE, "R",
                List.of("a", "b"), Map.of("maxDistanceKm", 3.0))).as("evidence order does not matter").isEqualTo(id);
        assertThat(DeterministicIds.adjustmentId("ath-2", "clinic-1", AdjustmentType.CAP_RUN_DISTANCE, "R",
                List.of("a", "b"), Map.of("maxDistanceKm", 3.0))).isNotEqualTo(id);
        assertThat(DeterministicIds.adjustmentId("ath-1", "clinic-1", AdjustmentType.CAP_RUN_DISTANCE, "R",
                List.of("a", "b", "c"), Map.of("maxDistanceKm", 3.0))).isNotEqualTo(id);
        assertThat(DeterministicIds.adjustmentId("ath-1", "clinic-1", AdjustmentType.CAP_RUN_DISTANCE, "R",
                List.of("a", "b"), Map.of("maxDistanceKm", 3.3))).isNotEqualTo(id);
    }

    @Test
    void adding_an_event_id_the_timeline_already_holds_changes_nothing() {
        AthleteTimeline once = Story.athlete().report("flare", day(0, "12:00"), 6, WALKING, ACHE).timeline();
        SymptomReport redelivered = once.symptoms().get(0);
        SymptomReport sameIdOtherContent = new SymptomReport("flare", day(1, "12:00"), 2, null, null, WALKING,
                null);

        assertThat(once.with(redelivered)).isSameAs(once);
        assertThat(once.with(sameIdOtherContent)).isSameAs(once);
        assertThat(once.size()).isEqualTo(1);
    }

    @Test
    void the_timeline_lists_events_by_event_time_then_event_id_whatever_the_arrival_order() {
        AthleteTimeline timeline = Story.athlete()
                .report("b", day(1, "12:00"), 1, WALKING)
                .report("c", day(0, "12:00"), 1, WALKING)
                .report("a", day(1, "12:00"), 1, WALKING)
                .timeline();

        assertThat(timeline.symptoms()).extracting(SymptomReport::eventId).containsExactly("c", "a", "b");
        assertThat(timeline.latestEventTime()).contains(day(1, "12:00"));
    }
}
