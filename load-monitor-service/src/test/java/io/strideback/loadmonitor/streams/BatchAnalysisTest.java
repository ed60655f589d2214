package io.strideback.loadmonitor.streams;

import io.strideback.events.EventEnvelope;
import io.strideback.loadmonitor.domain.AthleteProfile;
import io.strideback.loadmonitor.domain.ClinicRules;
import io.strideback.loadmonitor.domain.Findings;
import io.strideback.loadmonitor.domain.LoadMonitor;
import io.strideback.loadmonitor.domain.RandomHistory;
import io.strideback.loadmonitor.domain.SymptomReport;
import io.strideback.loadmonitor.domain.TrainingSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue #14, analysis per batch: what a burst of events (a replay, a wearable's sync) ends with is what analysing
 * after every event ends with, and what the rules conclude from the whole set; an event's athlete stays marked in
 * the changelogged store until the analysis has run, so a crash in between never loses it.
 */
class BatchAnalysisTest {

    @TempDir
    Path stateDir;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {5, 17})
    void a_burst_analysed_once_ends_as_an_analysis_after_every_event(long seed) {
        RandomHistory history = RandomHistory.generate(new Random(seed), "ath-" + seed);
        AthleteProfile profile = history.profile;
        List<EventEnvelope<?>> events = new ArrayList<>();
        for (TrainingSession s : history.sessions) {
            events.add(ArrivalOrderPropertyTest.session(profile, s));
        }
        for (SymptomReport r : history.reports) {
            events.add(ArrivalOrderPropertyTest.symptom(profile, r));
        }
        events.sort(Comparator.comparing(EventEnvelope<?>::time).thenComparing(EventEnvelope::id));
        // a late sync or two among them
        Collections.swap(events, events.size() / 3, events.size() / 2);
        try (MonitorDriver eachEvent = new MonitorDriver(stateDir, profile.clinicId(), profile.athleteId());
             MonitorDriver burst = new MonitorDriver(stateDir, profile.clinicId(), profile.athleteId())) {
            eachEvent.pipe(ArrivalOrderPropertyTest.enrolment(profile));
            for (EventEnvelope<?> e : events) {
                eachEvent.pipe(e); // analysed after every event
            }
            List<EventEnvelope<?>> all = new ArrayList<>(events);
            all.add(0, ArrivalOrderPropertyTest.enrolment(profile));
            burst.pipeBeforeAnalysis(all);
            assertThat(burst.toAnalyse().get(burst.key())).as("marked, not analysed yet").isNotNull();
            assertThat(burst.view()).isNull();

            burst.analyse();

            assertThat(burst.toAnalyse().get(burst.key())).as("the mark, once analysed").isNull();
            AthleteMonitorTopologyTest.assertSameEnd(eachEvent, burst);
            // as of the wall clock (round 16): what time alone made due by then came too, by the athlete's timer
            Findings whole = LoadMonitor.analyse(burst.storedTimeline().orElseThrow(), ClinicRules.defaults(),
                    burst.wallClock()).findings();
            assertThat(burst.currentAdjustments()).isEqualTo(new java.util.TreeSet<>(whole.adjustments().stream()
                    .map(io.strideback.loadmonitor.domain.ProposedAdjustment::adjustmentId).toList()));
            assertThat(burst.currentEpisodes().keySet()).isEqualTo(new java.util.TreeSet<>(whole.episodes().stream()
                    .map(io.strideback.loadmonitor.domain.FlareUpEpisode::episodeId).toList()));
            assertThat(burst.deadLetters()).isEmpty();
            // one burst announces no more than analysing every event did (a passing finding is never announced)
            assertThat(burst.announced().size()).isLessThanOrEqualTo(eachEvent.announced().size());
        }
    }

    @Test
    void events_before_the_enrolment_are_kept_and_analysed_when_it_comes() {
        try (MonitorDriver m = new MonitorDriver(stateDir, "clinic-1", "ath-1")) {
            m.pipe(m.redFlag("swelling", MonitorDriver.day(0, "10:00"), io.strideback.events.vocabulary.RedFlag.SWELLING));
            assertThat(m.view()).isNull();
            assertThat(m.toAnalyse().get(m.key())).isNull();

            m.pipe(m.enrolment(3.0));

            assertThat(m.currentPatterns()).anySatisfy(p -> assertThat(p).startsWith("RED_FLAG|"));
        }
    }
}
