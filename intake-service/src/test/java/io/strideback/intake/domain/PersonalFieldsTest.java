package io.strideback.intake.domain;

import io.strideback.events.ActivityEvents.AssessmentRecorded;
import io.strideback.events.ActivityEvents.AthleteEnrolled;
import io.strideback.events.ActivityEvents.Run;
import io.strideback.events.ActivityEvents.SessionLogged;
import io.strideback.events.ActivityEvents.Source;
import io.strideback.events.ActivityEvents.SymptomReported;
import io.strideback.events.SealedText;
import io.strideback.events.vocabulary.Diagnosis;
import io.strideback.events.vocabulary.PainLocation;
import io.strideback.events.vocabulary.RunIntensity;
import io.strideback.events.vocabulary.SessionType;
import io.strideback.events.vocabulary.Side;
import io.strideback.events.vocabulary.SourceKind;
import io.strideback.events.vocabulary.SymptomContext;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 16 item 3: which fields of an activity event are sealed, given an event, when sealed, then. */
class PersonalFieldsTest {

    private static final byte[] KEY = new byte[32];
    private static final byte[] OTHER_KEY = "another-athletes-32-byte-key!!!!".getBytes();
    private static final Instant NOW = Instant.parse("2026-03-01T08:00:00Z");

    @Test
    void an_enrolment_keeps_its_clinical_values_plain_and_seals_the_display_name() {
        AthleteEnrolled given = new AthleteEnrolled("ath-1", "c1", "Sam Runner", Diagnosis.values()[0], Side.LEFT,
                LocalDate.parse("2026-02-01"), 3.0, NOW, "Europe/London");

        AthleteEnrolled sealed = (AthleteEnrolled) PersonalFields.seal(given, KEY, "ath-1");

        assertThat(SealedText.open(sealed.displayName(), KEY, "ath-1")).contains("Sam Runner");
        assertThat(SealedText.open(sealed.displayName(), OTHER_KEY, "ath-1")).as("another key").isEmpty();
        assertThat(SealedText.open(sealed.displayName(), KEY, "ath-2")).as("another athlete").isEmpty();
        assertThat(sealed).usingRecursiveComparison().ignoringFields("displayName").isEqualTo(given);
    }

    @Test
    void a_session_seals_only_its_wearables_source_id() {
        SessionLogged given = new SessionLogged("ath-1", "c1", "ses-1", SessionType.RUN, NOW, 30, 5,
                new Run(5.0, RunIntensity.values()[0], 170), null, new Source(SourceKind.values()[0], "garmin", "sn123-77"),
                150);

        SessionLogged sealed = (SessionLogged) PersonalFields.seal(given, KEY, "ath-1");

        assertThat(SealedText.open(sealed.source().externalId(), KEY, "ath-1")).contains("sn123-77");
        assertThat(sealed.source().provider()).isEqualTo("garmin");
        assertThat(sealed).usingRecursiveComparison().ignoringFields("source.externalId").isEqualTo(given);
    }

    @Test
    void symptom_and_assessment_notes_are_sealed_and_an_absent_note_stays_absent() {
        SymptomReported symptom = new SymptomReported("ath-1", "c1", NOW, 4, Side.LEFT, PainLocation.values()[0],
                List.of(), SymptomContext.values()[0], List.of(), "tight at km 4");
        AssessmentRecorded assessment = new AssessmentRecorded("ath-1", "c1", NOW, null, 2, true, null, null, null, null);

        SymptomReported sealedSymptom = (SymptomReported) PersonalFields.seal(symptom, KEY, "ath-1");
        AssessmentRecorded sealedAssessment = (AssessmentRecorded) PersonalFields.seal(assessment, KEY, "ath-1");

        assertThat(SealedText.open(sealedSymptom.note(), KEY, "ath-1")).contains("tight at km 4");
        assertThat(sealedSymptom.pain()).isEqualTo(4);
        assertThat(sealedAssessment).isEqualTo(assessment);
    }
}
