package io.strideback.loadmonitor.domain;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.strideback.events.vocabulary.AdjustmentType.ADD_EXERCISE;
import static io.strideback.events.vocabulary.AdjustmentType.CAP_RUN_DISTANCE;
import static io.strideback.events.vocabulary.AdjustmentType.CLINICIAN_REVIEW;
import static io.strideback.events.vocabulary.FlareUpClassification.RANDOM;
import static io.strideback.events.vocabulary.FlareUpClassification.RUNNING_TRIGGERED;
import static io.strideback.events.vocabulary.PatternKind.MIXED;
import static io.strideback.loadmonitor.domain.Seed000Story.NIGHT_CRAMP;
import static io.strideback.loadmonitor.domain.Seed000Story.PULLING_ON_THE_RUN;
import static io.strideback.loadmonitor.domain.Seed000Story.RUN_AFTER_THE_CRAMP;
import static io.strideback.loadmonitor.domain.Seed000Story.TINGLING_HEAT;
import static io.strideback.loadmonitor.domain.Seed000Story.WALKING_FLARE_UP;
import static io.strideback.loadmonitor.domain.Story.day;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The runner we exist for (seed 000), day by day: what the monitor concludes, and that it ends where the thread's
 * best replies did, looking beyond the calf (tibialis posterior, neural tension) rather than only at the running.
 */
class Seed000ScenarioTest {

    @Test
    void a_mile_easy_every_other_day_with_bodyweight_raises_raises_nothing() {
        Findings findings = Seed000Story.toldUntilDay(10).findings();

        assertThat(findings.episodes()).isEmpty();
        assertThat(findings.adjustments()).isEmpty();
        assertThat(findings.load().symptomFreeDistanceKm()).isEqualTo(1.6);
    }

    @Test
    void the_night_cramp_with_no_run_that_day_is_random() {
        Findings findings = Seed000Story.toldUntilDay(11).findings();

        assertThat(findings.episodes()).singleElement().satisfies(cramp -> {
            assertThat(cramp.firstEventId()).isEqualTo(NIGHT_CRAMP);
            assertThat(cramp.onsetRule()).isEqualTo("PAIN_AT_LEAST_5");
            assertThat(cramp.classification()).isEqualTo(RANDOM);
            assertThat(cramp.rule()).isEqualTo("RANDOM_NIGHT");
        });
        // rules v2, flare-up while loading: isometric holds for 72 h (seed 000: "isometrics if you get a flare up")
        assertThat(findings.adjustments()).singleElement().satisfies(holds -> {
            assertThat(holds.parameters()).containsEntry("exercise", "CALF_ISOMETRIC_HOLD");
            assertThat(holds.evidenceEventIds()).containsExactly(NIGHT_CRAMP);
        });
    }

    @Test
    void the_slight_pulling_on_the_run_the_next_day_is_running_triggered_in_its_own_episode() {
        Findings findings = Seed000Story.toldUntilDay(13).findings();

        // rules v2: the cramp's random episode is still open, and the pulling does not hide inside it
        FlareUpEpisode cramp = Story.findEpisodeStartedBy(findings, NIGHT_CRAMP).orElseThrow();
        assertThat(cramp.endedAt()).isNull();
        assertThat(cramp.eventIds()).containsExactly(NIGHT_CRAMP);
        assertThat(Story.findEpisodeStartedBy(findings, PULLING_ON_THE_RUN)).hasValueSatisfying(pulling -> {
            // 4/10 pulling holds two triggers; over a baseline of 1 from the check-ins, the first in DOMAIN.md's
            // order names it
            assertThat(pulling.onsetRule()).isEqualTo("BASELINE_PLUS_2");
            assertThat(pulling.classification()).isEqualTo(RUNNING_TRIGGERED);
            assertThat(pulling.rule()).isEqualTo("ONSET_DURING_RUN");
            assertThat(pulling.evidence().triggeringEventId()).isEqualTo(RUN_AFTER_THE_CRAMP);
            assertThat(pulling.evidence().triggeringRunKm()).isEqualTo(1.6);
        });
        // one of each kind is not yet a pattern
        assertThat(Story.besidesIsometrics(findings)).isEmpty();
    }

    @Test
    void a_flare_up_on_a_random_day_while_walking_calls_for_a_look_beyond_the_calf_at_the_tibialis_posterior() {
        Findings findings = Seed000Story.toldUntilDay(22).findings();

        assertThat(Story.findEpisodeStartedBy(findings, WALKING_FLARE_UP)).hasValueSatisfying(walking -> {
            assertThat(walking.classification()).isEqualTo(RANDOM);
            assertThat(walking.rule()).isEqualTo("RANDOM_WALKING");
        });
        assertThat(Story.of(findings, CLINICIAN_REVIEW)).extracting(a -> a.parameters().get("concern"))
                .containsExactly("FLARE_UPS_NOT_FROM_RUNNING", "MIXED_FLARE_UPS");
        assertThat(Story.besidesIsometrics(findings, ADD_EXERCISE)).singleElement().satisfies(raise -> {
            assertThat(raise.parameters()).isEqualTo(Map.of("exercise", "MODIFIED_HEEL_RAISE_WITH_BALL",
                    "screen", "TIBIALIS_POSTERIOR"));
            assertThat(raise.proposedAt()).isEqualTo(day(22, "17:00"));
            assertThat(raise.evidenceEventIds()).containsExactly(WALKING_FLARE_UP);
        });
    }

    @Test
    void tingling_heat_sensations_add_neural_glides() {
        Findings findings = Seed000Story.told().findings();

        assertThat(Story.besidesIsometrics(findings, ADD_EXERCISE)).extracting(a -> a.parameters().get("exercise"))
                .containsExactly("MODIFIED_HEEL_RAISE_WITH_BALL", "NEURAL_GLIDES");
        assertThat(Story.besidesIsometrics(findings, ADD_EXERCISE).get(1)).satisfies(glides -> {
            assertThat(glides.proposedAt()).isEqualTo(day(24, "21:00"));
            assertThat(glides.evidenceEventIds()).containsExactly(TINGLING_HEAT);
            assertThat(glides.reason()).isEqualTo("Tingling and heat in the calf were reported (on 26 Mar), a sign "
                    + "of neural tension; add neural glides, little and often.");
        });
    }

    @Test
    void the_whole_story_ends_with_one_running_and_two_random_flare_ups_and_no_cap_on_a_mile() {
        Findings findings = Seed000Story.told().findings();

        assertThat(findings.episodes()).extracting(FlareUpEpisode::firstEventId, FlareUpEpisode::rule)
                .containsExactly(
                        tuple(NIGHT_CRAMP, "RANDOM_NIGHT"),
                        tuple(PULLING_ON_THE_RUN, "ONSET_DURING_RUN"),
                        tuple(WALKING_FLARE_UP, "RANDOM_WALKING"));
        assertThat(findings.episodes()).allSatisfy(e -> assertThat(e.endedAt()).isNotNull());
        assertThat(Story.pattern(findings, MIXED)).isPresent();
        // a mile never exceeded what the runner could run before symptoms: load management is not the answer
        assertThat(Story.of(findings, CAP_RUN_DISTANCE)).isEmpty();
        // rules v2: isometric holds after each of the three flare-ups, and a bone-stress screen for the pain along
        // the shin bone at rest (seed 003), besides the heel raises, the two reviews and the neural glides
        assertThat(findings.adjustments()).extracting(ProposedAdjustment::type, a -> a.parameters().get("exercise"),
                        a -> a.parameters().get("concern"))
                .containsExactly(
                        tuple(ADD_EXERCISE, "CALF_ISOMETRIC_HOLD", null),
                        tuple(ADD_EXERCISE, "CALF_ISOMETRIC_HOLD", null),
                        tuple(ADD_EXERCISE, "CALF_ISOMETRIC_HOLD", null),
                        tuple(ADD_EXERCISE, "MODIFIED_HEEL_RAISE_WITH_BALL", null),
                        tuple(CLINICIAN_REVIEW, null, "FLARE_UPS_NOT_FROM_RUNNING"),
                        tuple(CLINICIAN_REVIEW, null, "MIXED_FLARE_UPS"),
                        tuple(CLINICIAN_REVIEW, null, "BONE_STRESS"),
                        tuple(ADD_EXERCISE, "NEURAL_GLIDES", null));
    }

    /**
     * Round 18, the demo's 15 plan versions: the watch's runs reached the monitor after the phone's reports (intake
     * sent a batch's keyed items last), and the monitor announced in between. What the reports alone made it propose
     * must stand once the runs are in, or the plan takes it back and gets it again (the mixed review did: the run
     * behind the pulling on the run had joined its evidence, and so its id).
     */
    @Test
    void what_the_reports_alone_propose_stands_once_the_runs_sync() {
        AthleteTimeline told = Seed000Story.told().timeline();
        List<TrainingSession> notRuns = told.sessions().stream().filter(s -> !s.countsAsRun()).toList();
        Findings reportsFirst = LoadMonitor.analyse(AthleteTimeline.of(Seed000Story.RUNNER, notRuns, told.symptoms()));

        Findings runsIn = LoadMonitor.analyse(told);

        assertThat(Story.of(reportsFirst, CLINICIAN_REVIEW)).extracting(a -> a.parameters().get("concern"))
                .contains("MIXED_FLARE_UPS");
        assertThat(runsIn.adjustments()).containsAll(reportsFirst.adjustments());
    }

    @Test
    void told_in_any_order_the_story_ends_the_same() {
        AthleteTimeline told = Seed000Story.told().timeline();
        Findings expected = LoadMonitor.analyse(told);
        List<Object> events = new ArrayList<>(told.sessions());
        events.addAll(told.symptoms());
        Random random = new Random(0);
        for (int i = 0; i < 20; i++) {
            Collections.shuffle(events, random);
            AthleteTimeline shuffled = AthleteTimeline.of(Seed000Story.RUNNER);
            for (Object e : events) {
                shuffled = e instanceof TrainingSession s ? shuffled.with(s) : shuffled.with((SymptomReport) e);
            }
            assertThat(LoadMonitor.analyse(shuffled)).isEqualTo(expected);
        }
    }
}
