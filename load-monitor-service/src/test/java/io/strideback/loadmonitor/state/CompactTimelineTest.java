package io.strideback.loadmonitor.state;

import io.strideback.loadmonitor.domain.AthleteTimeline;
import io.strideback.loadmonitor.domain.RandomHistory;
import io.strideback.events.vocabulary.RunIntensity;
import io.strideback.events.vocabulary.SessionType;
import io.strideback.loadmonitor.domain.StrengthExercise;
import io.strideback.loadmonitor.domain.SymptomReport;
import io.strideback.loadmonitor.domain.TrainingSession;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class CompactTimelineTest {

    @Test
    void gives_back_every_event_exactly_as_added_whatever_the_arrival_order() {
        Random random = new Random(11);
        for (int h = 0; h < 120; h++) {
            // given a random history, half of them with intake's UUID event ids
            RandomHistory history = RandomHistory.generate(random, "ath-" + h);
            boolean uuids = h % 2 == 0;
            List<Object> events = new ArrayList<>();
            history.sessions.forEach(s -> events.add(uuids ? withUuid(s) : s));
            history.reports.forEach(r -> events.add(uuids ? withUuid(r) : r));
            Collections.shuffle(events, random);

            // when it is packed event by event, in arrival order
            CompactTimeline compact = new CompactTimeline(history.profile);
            events.forEach(e -> add(compact, e));

            // then the rules see the same timeline as from the plain objects
            AthleteTimeline expected = AthleteTimeline.of(history.profile,
                    events.stream().filter(TrainingSession.class::isInstance).map(TrainingSession.class::cast).toList(),
                    events.stream().filter(SymptomReport.class::isInstance).map(SymptomReport.class::cast).toList());
            assertThat(compact.toTimeline()).isEqualTo(expected);
            assertThat(compact.size()).isEqualTo(expected.size());
        }
    }

    @Test
    void a_strength_sessions_exercises_sets_reps_load_and_rpe_come_back_as_logged() {
        TrainingSession raises = new TrainingSession(UUID.randomUUID().toString(), "s1", SessionType.STRENGTH,
                Instant.parse("2026-03-02T18:00:00Z"), 30, 6, null, null, null, List.of(
                new StrengthExercise("SINGLE_LEG_CALF_RAISE_STRAIGHT_KNEE", 3, 12, 10.0, 7),
                new StrengthExercise("SOLEUS_SQUAT", 4, 15, null, null),
                new StrengthExercise("TOE_FLEXOR_ISOMETRIC", null, null, 2.5, 0)));
        TrainingSession run = new TrainingSession("run-1", "s2", SessionType.RUN, Instant.parse("2026-03-03T07:00:00Z"),
                30, 4, 5.0, RunIntensity.EASY, 170);
        CompactTimeline compact = new CompactTimeline(RandomHistory.generate(new Random(1), "ath").profile);

        compact.add(run);
        compact.add(raises);

        assertThat(compact.toTimeline().sessions()).containsExactly(raises, run);
        assertThat(compact.toTimeline().sessions().get(0).exercises()).isEqualTo(raises.exercises());
        assertThat(compact.toTimeline().sessions().get(1).exercises()).isEmpty();
    }

    @Test
    void a_redelivered_event_is_held_once() {
        RandomHistory history = RandomHistory.generate(new Random(5), "ath");
        CompactTimeline compact = CompactTimeline.of(history.sortedTimeline());
        int size = compact.size();

        TrainingSession again = history.sessions.get(0);
        SymptomReport reportAgain = history.reports.get(0);

        assertThat(compact.add(again)).isFalse();
        assertThat(compact.add(reportAgain)).isFalse();
        assertThat(compact.size()).isEqualTo(size);
        assertThat(compact.contains(again.eventId())).isTrue();
        assertThat(compact.contains(UUID.randomUUID().toString())).isFalse();
    }

    @Test
    void an_id_that_only_looks_like_a_uuid_comes_back_as_given() {
        RandomHistory history = RandomHistory.generate(new Random(7), "ath");
        TrainingSession s = history.sessions.get(0);
        String upper = UUID.randomUUID().toString().toUpperCase();
        CompactTimeline compact = new CompactTimeline(history.profile);

        compact.add(new TrainingSession(upper, s.sessionId(), s.type(), s.startedAt(), s.durationMin(), s.rpe(),
                s.distanceKm(), s.intensity(), s.cadenceSpm()));

        assertThat(compact.toTimeline().sessions().get(0).eventId()).isEqualTo(upper);
        assertThat(compact.contains(upper.toLowerCase())).isFalse();
    }

    @Test
    void a_six_week_history_costs_well_under_ten_kib() {
        RandomHistory history = RandomHistory.generate(new Random(3), "ath");
        CompactTimeline compact = new CompactTimeline(history.profile);
        history.sessions.forEach(s -> compact.add(withUuid(s)));
        history.reports.forEach(r -> compact.add(withUuid(r)));

        assertThat(compact.approximateBytes() / compact.size()).isLessThan(100);
    }

    private static void add(CompactTimeline compact, Object event) {
        if (event instanceof TrainingSession s) {
            assertThat(compact.add(s)).isTrue();
        } else {
            assertThat(compact.add((SymptomReport) event)).isTrue();
        }
    }

    private static String uuid(String id) {
        return UUID.nameUUIDFromBytes(id.getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static TrainingSession withUuid(TrainingSession s) {
        return new TrainingSession(uuid(s.eventId()), s.sessionId(), s.type(), s.startedAt(), s.durationMin(), s.rpe(),
                s.distanceKm(), s.intensity(), s.cadenceSpm(), s.exercises());
    }

    private static SymptomReport withUuid(SymptomReport r) {
        return new SymptomReport(uuid(r.eventId()), r.observedAt(), r.pain(), r.location(), r.character(), r.context(),
                r.redFlags());
    }
}
