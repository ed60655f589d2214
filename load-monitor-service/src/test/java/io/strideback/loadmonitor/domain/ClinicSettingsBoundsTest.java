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
}
