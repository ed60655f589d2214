package io.strideback.loadmonitor.state;

import io.strideback.events.vocabulary.AdjustmentType;
import io.strideback.events.vocabulary.FlareUpClassification;
import io.strideback.events.vocabulary.PatternKind;
import io.strideback.loadmonitor.domain.AthleteProfile;
import io.strideback.loadmonitor.domain.ClinicRules;
import io.strideback.loadmonitor.domain.Findings;
import io.strideback.loadmonitor.domain.LoadMonitor;
import io.strideback.loadmonitor.domain.ProposedAdjustment;
import io.strideback.loadmonitor.domain.RandomHistory;
import io.strideback.loadmonitor.domain.SymptomReport;
import io.strideback.loadmonitor.domain.TrainingSession;
import org.junit.jupiter.api.Test;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * DOMAIN.md rules v2: "the same set of events must give the same findings, the same adjustments ... whatever order
 * they arrive in", driven through the path the service takes: events arrive one at a time (or in small poll
 * batches), each is added to the athlete's packed timeline ({@link CompactTimeline}, the heap state of issue 7),
 * and the rules run again after each arrival. Fed in random orders, with redeliveries, the findings after the last
 * arrival are those of the same events fed in time order: same episodes, classifications, patterns, proposals and
 * ids. (What was announced on the way differs with the order: taking back what late data no longer supports is the
 * convergence work of issue 13, not this engine's.)
 */
class IncrementalOrderPropertyTest {

    private static final int HISTORIES = 20;

    @Test
    void events_fed_one_at_a_time_in_random_orders_end_with_the_findings_of_time_order() {
        Random random = new Random(13);
        Set<AdjustmentType> proposed = EnumSet.noneOf(AdjustmentType.class);
        Set<PatternKind> patterns = EnumSet.noneOf(PatternKind.class);
        Set<FlareUpClassification> classifications = EnumSet.noneOf(FlareUpClassification.class);

        for (int h = 0; h < HISTORIES; h++) {
            RandomHistory history = RandomHistory.generate(random, "ath-" + h);
            AthleteProfile profile = h % 3 == 0 ? inZone(history.profile, ZoneId.of("Australia/Sydney"))
                    : history.profile;
            ClinicRules rules = h % 4 == 1
                    ? ClinicRules.defaults().toBuilder().clinicZone(ZoneId.of("America/New_York")).build()
                    : ClinicRules.defaults();
            List<Object> events = new ArrayList<>(history.sessions);
            events.addAll(history.reports);

            // given the events fed in time order, an instant at a time
            List<Object> inTimeOrder = new ArrayList<>(events);
            inTimeOrder.sort(Comparator.comparing(IncrementalOrderPropertyTest::timeOf));
            Set<String> announced = new LinkedHashSet<>();
            Findings expected = feedInTime(profile, rules, inTimeOrder, announced);
            // the engine works in event time: in time order, nothing proposed on the way is ever taken back
            assertThat(announced).as("history %d: proposals announced while fed in time order", h)
                    .containsExactlyInAnyOrderElementsOf(ids(expected.adjustments()));

            // when the same events arrive in a random order, a random poll batch at a time, some twice
            List<Object> arriving = new ArrayList<>(events);
            Collections.shuffle(arriving, random);
            for (int redelivery = 0; redelivery < 5; redelivery++) {
                arriving.add(random.nextInt(arriving.size()), events.get(random.nextInt(events.size())));
            }
            Findings arrived = feed(profile, rules, arriving, 1 + random.nextInt(4), random);

            // then the findings are the same, and the same as analysing the whole set at once
            assertThat(arrived).as("history %d in a random order", h).isEqualTo(expected);
            assertThat(expected).as("history %d, incremental against all at once", h)
                    .isEqualTo(LoadMonitor.analyse(CompactTimeline.of(history.sortedTimeline().withProfile(profile))
                            .toTimeline(), rules));

            expected.adjustments().forEach(a -> proposed.add(a.type()));
            expected.patterns().forEach(p -> patterns.add(p.kind()));
            expected.episodes().forEach(e -> classifications.add(e.classification()));
        }

        // varied enough for the property to mean something
        assertThat(classifications).containsExactlyInAnyOrder(FlareUpClassification.values());
        assertThat(proposed).contains(AdjustmentType.CAP_RUN_DISTANCE, AdjustmentType.PAUSE_RUNNING,
                AdjustmentType.CLINICIAN_REVIEW, AdjustmentType.ADD_EXERCISE);
        assertThat(patterns).contains(PatternKind.RANDOM, PatternKind.MIXED, PatternKind.STRENGTH_UNDER_DOSED);
    }

    /**
     * Adds the events to a packed timeline, at most {@code batch} at a time (a poll batch), analysing after each
     * batch as the service does; the analysis in between must not throw whatever subset has arrived.
     */
    private static Findings feed(AthleteProfile profile, ClinicRules rules, List<Object> events, int batch,
                                 Random random) {
        CompactTimeline timeline = new CompactTimeline(profile);
        int inBatch = 0;
        for (Object event : events) {
            add(timeline, event);
            if (++inBatch >= batch || random.nextInt(3) == 0) {
                assertThat(LoadMonitor.analyse(timeline.toTimeline(), rules)).isNotNull();
                inBatch = 0;
            }
        }
        return LoadMonitor.analyse(timeline.toTimeline(), rules);
    }

    /** Feeds the events an instant at a time, collecting the ids of every proposal announced on the way. */
    private static Findings feedInTime(AthleteProfile profile, ClinicRules rules, List<Object> inTimeOrder,
                                       Set<String> announced) {
        CompactTimeline timeline = new CompactTimeline(profile);
        Findings last = LoadMonitor.analyse(timeline.toTimeline(), rules);
        for (int i = 0; i < inTimeOrder.size(); i++) {
            add(timeline, inTimeOrder.get(i));
            boolean instantComplete = i + 1 == inTimeOrder.size()
                    || !timeOf(inTimeOrder.get(i + 1)).equals(timeOf(inTimeOrder.get(i)));
            if (instantComplete) {
                last = LoadMonitor.analyse(timeline.toTimeline(), rules);
                announced.addAll(ids(last.adjustments()));
            }
        }
        return last;
    }

    private static void add(CompactTimeline timeline, Object event) {
        if (event instanceof TrainingSession s) {
            timeline.add(s);
        } else {
            timeline.add((SymptomReport) event);
        }
    }

    private static java.time.Instant timeOf(Object event) {
        return event instanceof TrainingSession s ? s.startedAt() : ((SymptomReport) event).observedAt();
    }

    private static AthleteProfile inZone(AthleteProfile p, ZoneId zone) {
        return new AthleteProfile(p.athleteId(), p.clinicId(), p.diagnosis(), p.injuryDate(),
                p.declaredSymptomFreeRunKm(), zone);
    }

    private static List<String> ids(List<ProposedAdjustment> adjustments) {
        return adjustments.stream().map(ProposedAdjustment::adjustmentId).toList();
    }
}
