package io.strideback.loadmonitor.domain;

import io.strideback.events.vocabulary.AdjustmentType;
import io.strideback.events.vocabulary.FlareUpClassification;
import io.strideback.events.vocabulary.PatternKind;
import org.junit.jupiter.api.Test;

import java.time.ZoneId;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * DOMAIN.md: "The same set of events must give the same findings and adjustments whatever order they arrive in."
 * For random realistic histories, every shuffled arrival order (with redeliveries) gives findings equal to those
 * of the sorted timeline: same episodes, classifications, patterns, adjustments, ids and loads.
 */
class OrderInsensitivityPropertyTest {

    private static final int HISTORIES = 220;
    private static final int ARRIVAL_ORDERS = 2;

    @Test
    void the_same_set_of_events_in_any_arrival_order_gives_equal_findings() {
        Random random = new Random(20260302L);
        Set<AdjustmentType> proposed = EnumSet.noneOf(AdjustmentType.class);
        Set<PatternKind> patterns = EnumSet.noneOf(PatternKind.class);
        Set<FlareUpClassification> classifications = EnumSet.noneOf(FlareUpClassification.class);
        int episodes = 0;

        for (int h = 0; h < HISTORIES; h++) {
            RandomHistory history = RandomHistory.generate(random, "ath-" + h);
            ClinicRules rules = h % 4 == 0
                    ? ClinicRules.defaults().toBuilder().clinicZone(ZoneId.of("America/New_York")).build()
                    : ClinicRules.defaults();
            Findings expected = LoadMonitor.analyse(history.sortedTimeline(), rules);

            List<Object> events = history.events();
            for (int order = 0; order < ARRIVAL_ORDERS; order++) {
                Collections.shuffle(events, random);
                AthleteTimeline arrived = AthleteTimeline.of(history.profile);
                for (Object event : events) {
                    arrived = RandomHistory.add(arrived, event);
                }
                for (int redelivery = 0; redelivery < 5; redelivery++) {
                    arrived = RandomHistory.add(arrived, events.get(random.nextInt(events.size())));
                }
                assertThat(LoadMonitor.analyse(arrived, rules))
                        .as("history %d, arrival order %d", h, order)
                        .isEqualTo(expected);
            }

            expected.adjustments().forEach(a -> proposed.add(a.type()));
            expected.patterns().forEach(p -> patterns.add(p.kind()));
            expected.episodes().forEach(e -> classifications.add(e.classification()));
            episodes += expected.episodes().size();
        }

        // the histories are varied enough for the property to mean something
        assertThat(episodes).isGreaterThan(HISTORIES);
        assertThat(classifications).containsExactlyInAnyOrder(FlareUpClassification.values());
        assertThat(proposed).contains(AdjustmentType.CAP_RUN_DISTANCE, AdjustmentType.LIMIT_PROGRESSION,
                AdjustmentType.REDUCE_RUN_INTENSITY, AdjustmentType.PAUSE_RUNNING, AdjustmentType.GAIT_RETRAINING,
                AdjustmentType.CLINICIAN_REVIEW, AdjustmentType.ADD_EXERCISE, AdjustmentType.URGENT_REFERRAL,
                AdjustmentType.RELAX_RUN_CAP);
        assertThat(patterns).contains(PatternKind.RANDOM, PatternKind.MIXED, PatternKind.FLARE_UP_WHILE_LOADING,
                PatternKind.MEDIAL_SHIN_BONE_STRESS, PatternKind.STRENGTH_UNDER_DOSED);
    }
}
