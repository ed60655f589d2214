package io.strideback.loadmonitor.streams;

import io.strideback.events.vocabulary.AdjustmentType;
import io.strideback.events.vocabulary.Diagnosis;
import io.strideback.events.vocabulary.FlareUpClassification;
import io.strideback.events.vocabulary.PainCharacter;
import io.strideback.events.vocabulary.PainLocation;
import io.strideback.events.vocabulary.RedFlag;
import io.strideback.events.vocabulary.RunIntensity;
import io.strideback.events.vocabulary.SessionType;
import io.strideback.events.vocabulary.SymptomContext;
import io.strideback.loadmonitor.domain.AthleteProfile;
import io.strideback.loadmonitor.domain.StrengthExercise;
import io.strideback.loadmonitor.domain.SymptomReport;
import io.strideback.loadmonitor.domain.TrainingSession;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The athlete's stored state reads back as it was written: what a restart or another instance restores. */
class AthleteStateTest {

    @Test
    void a_state_with_every_kind_of_field_reads_back_equal() {
        AthleteState state = new AthleteState();
        state.profile = new AthleteProfile("ath-1", "clinic-1", Diagnosis.SILENT_SOLEUS_STRAIN, LocalDate.of(2026, 3, 1),
                2.5, ZoneId.of("Europe/Oslo"));
        Instant t = Instant.parse("2026-03-02T07:00:00.123456789Z");
        state.add(new TrainingSession("run-1", "session-1", SessionType.RUN, t, 30.5, 4, 5.2, RunIntensity.TEMPO, 164));
        state.add(new TrainingSession("strength-1", null, SessionType.STRENGTH, t.plusSeconds(3600), 40, null, null,
                null, null, List.of(new StrengthExercise("SOLEUS_SQUAT", 3, 12, 10.0, 7),
                new StrengthExercise(null, null, null, null, null))));
        state.add(new SymptomReport("pain-1", t.plusSeconds(7200), 6, PainLocation.MEDIAL_CALF_ALONG_SHIN,
                Set.of(PainCharacter.PULLING, PainCharacter.HEAT), SymptomContext.AFTER_RUN, Set.of(RedFlag.SWELLING)));
        state.add(new SymptomReport("pain-2", t.plusSeconds(9000), 0, null, Set.of(), null, Set.of()));
        state.episodes.put("ep-1", new AthleteState.AnnouncedEpisode(FlareUpClassification.RANDOM, "RANDOM_NIGHT", 2,
                false));
        state.patterns.add("RED_FLAG|2026-03-02T09:00:00Z");
        state.adjustments.put("adj-1", new AthleteState.AnnouncedAdjustment(AdjustmentType.PAUSE_RUNNING, 1, true));

        AthleteState read = AthleteState.fromBytes(state.toBytes());

        assertThat(read.profile).isEqualTo(state.profile);
        assertThat(read.timeline()).isEqualTo(state.timeline());
        assertThat(read.episodes).isEqualTo(state.episodes);
        assertThat(read.patterns).isEqualTo(state.patterns);
        assertThat(read.adjustments).isEqualTo(state.adjustments);
        // a redelivered event id is still recognised after the round trip
        assertThat(read.add(new SymptomReport("pain-1", t, 9, null, Set.of(), null, Set.of()))).isFalse();
    }

    @Test
    void the_zone_is_read_from_the_stored_profile_alone() {
        // given states with a zone, without one, and without a profile
        AthleteState oslo = new AthleteState();
        oslo.profile = new AthleteProfile("ath-1", "clinic-1", null, null, null, ZoneId.of("Europe/Oslo"));
        oslo.episodes.put("ep-1", new AthleteState.AnnouncedEpisode(FlareUpClassification.RANDOM, null, 0, true));
        AthleteState noZone = new AthleteState();
        noZone.profile = new AthleteProfile("ath-2", "clinic-1", Diagnosis.SILENT_SOLEUS_STRAIN,
                LocalDate.of(2026, 3, 1), 2.5, null);
        AthleteState notEnrolled = new AthleteState();

        // then the zone read alone is the one the whole state reads back with
        assertThat(AthleteState.zoneFromBytes(oslo.toBytes())).isEqualTo(ZoneId.of("Europe/Oslo"));
        assertThat(AthleteState.zoneFromBytes(noZone.toBytes())).isNull();
        assertThat(AthleteState.zoneFromBytes(notEnrolled.toBytes())).isNull();
        // and so is whether the athlete is enrolled (a plan event reads only these two)
        for (AthleteState state : java.util.List.of(oslo, noZone, notEnrolled)) {
            assertThat(AthleteState.enrolledFromBytes(state.toBytes()))
                    .isEqualTo(AthleteState.fromBytes(state.toBytes()).enrolled());
        }
        assertThat(AthleteState.enrolledFromBytes(oslo.toBytes())).isTrue();
        assertThat(AthleteState.enrolledFromBytes(notEnrolled.toBytes())).isFalse();
    }

    @Test
    void activity_before_enrolment_is_kept_without_a_profile() {
        AthleteState state = new AthleteState();
        state.add(new SymptomReport("early", Instant.parse("2026-03-02T07:00:00Z"), 3, null, Set.of(), null, Set.of()));

        AthleteState read = AthleteState.fromBytes(state.toBytes());

        assertThat(read.enrolled()).isFalse();
        assertThat(read.symptoms).hasSize(1);
        assertThat(AthleteState.storedTimeline(state.toBytes(), java.util.List.of())).isEmpty();
    }
}
