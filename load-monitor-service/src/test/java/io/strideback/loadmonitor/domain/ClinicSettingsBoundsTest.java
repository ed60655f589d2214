package io.strideback.loadmonitor.domain;

import org.junit.jupiter.api.Test;

import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * DOMAIN.md "Settings": every number is a clinic setting with bounds (windows 1 h - 365 days,
 * percentages 1-100, pain thresholds 1-10, counts 1-50), and a setting outside them is refused.
 */
class ClinicSettingsBoundsTest {

    @Test
    void the_documented_defaults_are_within_their_bounds() {
        assertThat(ClinicRules.defaults().outOfBounds()).isEmpty();
    }

    @Test
    void every_number_a_clinic_can_set_has_bounds() {
        assertThat(ClinicRules.boundedSettings()).containsExactlyInAnyOrderElementsOf(
                Arrays.stream(ClinicRules.class.getRecordComponents()).map(RecordComponent::getName)
                        .filter(name -> !name.equals("clinicZone")).toList());
    }

    @Test
    void given_a_window_when_outside_1_hour_to_365_days_then_it_is_refused() {
        assertThat(ClinicRules.boundsProblem("progressionWindow", Duration.ofHours(2562047788015215L))).isPresent();
        assertThat(ClinicRules.boundsProblem("joinWindow", Duration.ofMinutes(59))).isPresent();
        assertThat(ClinicRules.boundsProblem("patternWindow", Duration.ofDays(366))).isPresent();
        assertThat(ClinicRules.boundsProblem("joinWindow", Duration.ofHours(1))).isEmpty();
        assertThat(ClinicRules.boundsProblem("patternWindow", Duration.ofDays(365))).isEmpty();
        assertThat(ClinicRules.boundsProblem("pauseRunningDays", 366)).isPresent();
        assertThat(ClinicRules.boundsProblem("chronicEwmaDays", 0)).isPresent();
    }

    @Test
    void given_a_percentage_when_outside_1_to_100_then_it_is_refused() {
        assertThat(ClinicRules.boundsProblem("progressionPercent", 0)).isPresent();
        assertThat(ClinicRules.boundsProblem("relaxCapPercent", 101)).isPresent();
        assertThat(ClinicRules.boundsProblem("relaxCapPercent", 100)).isEmpty();
        // Written as fractions: 0.10 is 10%.
        assertThat(ClinicRules.boundsProblem("spikeIncrease", 0.0)).isPresent();
        assertThat(ClinicRules.boundsProblem("capFallbackFraction", 1.5)).isPresent();
        assertThat(ClinicRules.boundsProblem("similarRunLength", Double.NaN)).isPresent();
        assertThat(ClinicRules.boundsProblem("spikeIncrease", 0.01)).isEmpty();
    }

    @Test
    void given_a_pain_threshold_or_a_count_when_outside_its_bounds_then_it_is_refused() {
        assertThat(ClinicRules.boundsProblem("flareUpPain", 0)).isPresent();
        assertThat(ClinicRules.boundsProblem("severePain", 11)).isPresent();
        assertThat(ClinicRules.boundsProblem("severePain", 10)).isEmpty();
        assertThat(ClinicRules.boundsProblem("randomMinEpisodes", 0)).isPresent();
        assertThat(ClinicRules.boundsProblem("mixedMinEpisodes", 51)).isPresent();
        assertThat(ClinicRules.boundsProblem("settledMinRuns", 50)).isEmpty();
    }

    @Test
    void given_rules_with_settings_out_of_bounds_then_each_is_named() {
        ClinicRules rules = ClinicRules.defaults().toBuilder()
                .progressionWindow(Duration.ofDays(4000)).flareUpPain(11).relaxCapPercent(500).build();

        assertThat(rules.outOfBounds()).containsOnlyKeys("progressionWindow", "flareUpPain", "relaxCapPercent");
    }

    @Test
    void the_documented_defaults_contradict_nothing() {
        assertThat(ClinicRules.defaults().contradictions()).isEmpty();
        assertThat(ClinicRules.defaults().refusals()).isEmpty();
    }

    /** Round 19: each pain within 1-10, yet an episode would settle at the pain that starts one. */
    @Test
    void given_any_settled_and_flare_up_pains_then_they_contradict_exactly_when_settling_reaches_a_flare_up() {
        for (int settled = 1; settled <= 10; settled++) {
            for (int flareUp = 1; flareUp <= 10; flareUp++) {
                ClinicRules rules = ClinicRules.builder().settledPain(settled).flareUpPain(flareUp).build();
                if (settled >= flareUp) {
                    assertThat(rules.contradictions()).as("settled %d, flare-up %d", settled, flareUp)
                            .containsOnlyKeys("settledPain", "flareUpPain");
                } else {
                    assertThat(rules.contradictions()).as("settled %d, flare-up %d", settled, flareUp).isEmpty();
                }
            }
        }
    }

    /** Round 19: the acute:chronic ratio compares a short span with a longer one (Williams 2017: 7 and 28 days). */
    @Test
    void given_any_acute_and_chronic_spans_then_they_contradict_exactly_when_the_acute_is_not_the_shorter() {
        for (int acute = 1; acute <= 60; acute++) {
            for (int chronic = 1; chronic <= 60; chronic++) {
                ClinicRules rules = ClinicRules.builder().acuteEwmaDays(acute).chronicEwmaDays(chronic).build();
                assertThat(rules.contradictions().keySet()).as("acute %d, chronic %d", acute, chronic)
                        .isEqualTo(acute >= chronic ? java.util.Set.of("acuteEwmaDays", "chronicEwmaDays")
                                : java.util.Set.of());
            }
        }
    }

    @Test
    void given_rules_out_of_bounds_and_contradicting_then_the_refusals_name_every_one_once() {
        ClinicRules rules = ClinicRules.builder().flareUpPain(0).acuteEwmaDays(30).build();

        assertThat(rules.refusals()).containsOnlyKeys("flareUpPain", "settledPain", "acuteEwmaDays", "chronicEwmaDays");
        assertThat(rules.refusals().get("flareUpPain")).isEqualTo(rules.outOfBounds().get("flareUpPain"));
    }
}
