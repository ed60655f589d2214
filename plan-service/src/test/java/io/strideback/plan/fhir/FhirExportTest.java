package io.strideback.plan.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.strideback.events.ActivityEvents.AssessmentRecorded;
import io.strideback.events.ActivityEvents.AthleteEnrolled;
import io.strideback.events.ActivityEvents.Exercise;
import io.strideback.events.ActivityEvents.OstrcO2;
import io.strideback.events.ActivityEvents.Run;
import io.strideback.events.ActivityEvents.SessionLogged;
import io.strideback.events.ActivityEvents.SideCounts;
import io.strideback.events.ActivityEvents.Source;
import io.strideback.events.ActivityEvents.Strength;
import io.strideback.events.ActivityEvents.SymptomReported;
import io.strideback.events.EventCodec;
import io.strideback.events.EventEnvelope;
import io.strideback.events.EventType;
import io.strideback.events.vocabulary.*;
import io.strideback.plan.domain.Adjustment;
import io.strideback.plan.domain.ApplyAdjustment;
import io.strideback.plan.service.PlanService;
import io.strideback.testing.KafkaResource;
import io.strideback.testing.LocalKeysResource;
import io.strideback.testing.PostgresResource;
import io.strideback.testing.Tokens;
import io.strideback.testing.TopicRecords;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 17, CONTRACT v2 {@code GET /api/v1/athletes/{id}/fhir}: an athlete's record, fed through the activity topic
 * like intake feeds it, comes out as a FHIR R4 Bundle that HAPI's validator finds no error in and HAPI's parser reads
 * back resource by resource; another clinic gets 404.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "plan"))
@QuarkusTestResource(LocalKeysResource.class)
class FhirExportTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final Instant T0 = Instant.now().minus(10, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @Inject
    PlanService plans;

    /** One athlete with two symptom reports (one a red flag), a run, a strength session, calf tests and an OSTRC-O2 week. */
    private record Athlete(String clinicId, String athleteId) {
    }

    private Athlete athleteWithARecord() {
        String clinic = "fhir-clinic-" + UUID.randomUUID();
        String athlete = "runner-" + UUID.randomUUID();
        send(clinic, athlete, EventType.ATHLETE_ENROLLED, T0, new AthleteEnrolled(athlete, clinic, "Sam Runner",
                Diagnosis.CALF_STRAIN_SOLEUS, Side.LEFT, LocalDate.parse("2026-03-20"), 3.0, T0));
        send(clinic, athlete, EventType.SESSION_LOGGED, T0.plus(1, ChronoUnit.DAYS), new SessionLogged(athlete, clinic,
                "run-1", SessionType.RUN, T0.plus(1, ChronoUnit.DAYS), 34, 4, new Run(5.2, RunIntensity.EASY, 164), null,
                new Source(SourceKind.WEARABLE, "fit", "abc"), 148));
        send(clinic, athlete, EventType.SESSION_LOGGED, T0.plus(2, ChronoUnit.DAYS), new SessionLogged(athlete, clinic,
                "str-1", SessionType.STRENGTH, T0.plus(2, ChronoUnit.DAYS), 25, 7, null,
                new Strength(List.of(new Exercise("SINGLE_LEG_CALF_RAISE_STRAIGHT_KNEE", 3, 12, 10.0, 7))), null));
        send(clinic, athlete, EventType.SYMPTOM_REPORTED, T0.plus(3, ChronoUnit.DAYS), new SymptomReported(athlete, clinic,
                T0.plus(3, ChronoUnit.DAYS), 6, Side.LEFT, PainLocation.MEDIAL_CALF_ALONG_SHIN,
                List.of(PainCharacter.PULLING, PainCharacter.SHARP), SymptomContext.DURING_RUN, List.of(), "at 4 km"));
        send(clinic, athlete, EventType.SYMPTOM_REPORTED, T0.plus(4, ChronoUnit.DAYS), new SymptomReported(athlete, clinic,
                T0.plus(4, ChronoUnit.DAYS), 4, Side.LEFT, PainLocation.WHOLE_CALF, List.of(PainCharacter.ACHE),
                SymptomContext.AT_REST, List.of(RedFlag.SWELLING), null));
        send(clinic, athlete, EventType.ASSESSMENT_RECORDED, T0.plus(5, ChronoUnit.DAYS), new AssessmentRecorded(athlete,
                clinic, T0.plus(5, ChronoUnit.DAYS), new SideCounts(22, 30), 1, true, false, 0.8, 1.2, null));
        send(clinic, athlete, EventType.ASSESSMENT_RECORDED, T0.plus(6, ChronoUnit.DAYS), new AssessmentRecorded(athlete,
                clinic, T0.plus(6, ChronoUnit.DAYS), null, null, null, null, null, null, null, AssessmentKind.OSTRC_O2,
                new OstrcO2(OstrcParticipation.REDUCED, OstrcExtent.MODERATE, OstrcExtent.MINOR, OstrcPain.MILD, 44, true)));

        // The plan is made from the enrolment by the activity consumer; then the load monitor's proposals.
        await().atMost(Duration.ofSeconds(60)).until(() -> given().auth().oauth2(Tokens.issue(clinic, "clinician"))
                .get("/api/v1/athletes/" + athlete + "/plan").statusCode() == 200);
        apply(clinic, athlete, new Adjustment("adj-cap-" + athlete, AdjustmentType.CAP_RUN_DISTANCE,
                PatternKind.RUNNING_TRIGGERED_DISTANCE, "running-triggered-distance", Map.of("maxDistanceKm", 3.0),
                List.of("evt-1"), "Cap runs at 3 km, the longest run not followed by a flare-up."));
        apply(clinic, athlete, new Adjustment("adj-ref-" + athlete, AdjustmentType.URGENT_REFERRAL, PatternKind.RED_FLAG,
                "red-flag", Map.of("redFlags", List.of("SWELLING")), List.of("evt-2"),
                "Calf swelling was reported: refer urgently."));
        await().atMost(Duration.ofSeconds(60)).until(() -> bundleOf(clinic, athlete).getEntry().stream()
                .filter(e -> e.getResource() instanceof QuestionnaireResponse).count() == 1
                && bundleOf(clinic, athlete).getEntry().stream().filter(e -> e.getResource() instanceof Observation)
                .count() == 5);
        return new Athlete(clinic, athlete);
    }

    @Test
    void the_bundle_reads_back_with_hapis_parser_resource_by_resource() {
        Athlete a = athleteWithARecord();
        Bundle bundle = bundleOf(a.clinicId(), a.athleteId());

        assertThat(bundle.getType()).isEqualTo(Bundle.BundleType.COLLECTION);
        Patient patient = only(bundle, Patient.class);
        assertThat(patient.getIdentifierFirstRep().getValue()).isEqualTo(a.athleteId());
        assertThat(patient.getIdentifierFirstRep().getSystem()).isEqualTo(FhirRecordExport.athleteIdSystem(a.clinicId()));
        assertThat(patient.getNameFirstRep().getText()).isEqualTo("Sam Runner");
        // No more than the clinic holds: no birth date, gender, address or contact.
        assertThat(patient.hasBirthDate() || patient.hasGender() || patient.hasAddress() || patient.hasTelecom()).isFalse();

        Condition condition = only(bundle, Condition.class);
        assertThat(condition.getCode().getCodingFirstRep().getCode()).isEqualTo("CALF_STRAIN_SOLEUS");
        assertThat(condition.getBodySiteFirstRep().getText()).isEqualTo("Left calf");
        assertThat(condition.getOnsetDateTimeType().getValueAsString()).isEqualTo("2026-03-20");
        assertThat(condition.getSubject().getReference()).isEqualTo(fullUrl(bundle, patient));

        List<Observation> pain = all(bundle, Observation.class).stream()
                .filter(o -> o.getCode().getCodingFirstRep().getCode().equals("72514-3")).toList();
        assertThat(pain).hasSize(2);
        Observation first = pain.get(0);
        assertThat(first.getCode().getCodingFirstRep().getSystem()).isEqualTo("http://loinc.org");
        assertThat(first.getValueIntegerType().getValue()).isEqualTo(6);
        assertThat(first.getComponent()).extracting(c -> c.getCode().getCodingFirstRep().getCode() + "="
                        + c.getValueCodeableConcept().getCodingFirstRep().getCode())
                .containsExactly("context=DURING_RUN", "character=PULLING", "character=SHARP");
        assertThat(first.getNoteFirstRep().getText()).isEqualTo("at 4 km");
        assertThat(pain.get(1).getComponent()).extracting(c -> c.getValueCodeableConcept().getCodingFirstRep().getCode())
                .contains("AT_REST", "SWELLING");

        List<Observation> sessions = all(bundle, Observation.class).stream()
                .filter(o -> o.getCode().getCodingFirstRep().getCode().equals("73985-4")).toList();
        assertThat(sessions).hasSize(2);
        Observation run = sessions.get(0);
        assertThat(run.getValueCodeableConcept().getCodingFirstRep().getCode()).isEqualTo("RUN");
        assertThat(run.getEffectivePeriod().getEnd().toInstant())
                .isEqualTo(T0.plus(1, ChronoUnit.DAYS).plus(34, ChronoUnit.MINUTES));
        assertThat(run.getComponent()).extracting(c -> c.getCode().getCodingFirstRep().getCode())
                .contains("55411-3", "distance", "intensity", "cadence", "session-rpe", "55425-3");
        assertThat(run.getComponent().stream().filter(c -> c.getCode().getCodingFirstRep().getCode().equals("distance"))
                .findFirst().orElseThrow().getValueQuantity().getValue().doubleValue()).isEqualTo(5.2);
        assertThat(sessions.get(1).getNoteFirstRep().getText()).contains("Single leg calf raise straight knee 3 x 12");

        QuestionnaireResponse ostrc = only(bundle, QuestionnaireResponse.class);
        assertThat(ostrc.getQuestionnaire()).isEqualTo(FhirRecordExport.OSTRC_O2_QUESTIONNAIRE);
        assertThat(ostrc.getItem()).extracting(QuestionnaireResponse.QuestionnaireResponseItemComponent::getLinkId)
                .containsExactly("participation", "training-modified", "performance-affected", "pain", "score",
                        "substantial-problem");
        assertThat(ostrc.getItem().get(0).getAnswerFirstRep().getValueCoding().getCode()).isEqualTo("REDUCED");
        assertThat(ostrc.getItem().get(4).getAnswerFirstRep().getValueIntegerType().getValue()).isEqualTo(44);
        assertThat(ostrc.getItem().get(5).getAnswerFirstRep().getValueBooleanType().booleanValue()).isTrue();

        CarePlan plan = only(bundle, CarePlan.class);
        assertThat(plan.getDescription()).startsWith("Phase PROTECT");
        assertThat(plan.getActivity()).extracting(act -> act.getDetail().getCode().getCodingFirstRep().getCode())
                .contains("RUNNING", "CAP_RUN_DISTANCE", "URGENT_REFERRAL");
        assertThat(plan.getActivity()).extracting(act -> act.getDetail().getDescription())
                .anySatisfy(reason -> assertThat(reason).contains("cap runs at 3 km, the longest run not followed by a flare-up"));

        ServiceRequest referral = only(bundle, ServiceRequest.class);
        assertThat(referral.getStatus()).isEqualTo(ServiceRequest.ServiceRequestStatus.ACTIVE);
        assertThat(referral.getPriority()).isEqualTo(ServiceRequest.ServiceRequestPriority.URGENT);
        assertThat(referral.getReasonCodeFirstRep().getText()).contains("calf swelling was reported: refer urgently");

        // The same record exports the same ids, so an EHR updates rather than duplicates.
        assertThat(bundleOf(a.clinicId(), a.athleteId()).getEntry()).extracting(Bundle.BundleEntryComponent::getFullUrl)
                .containsExactlyElementsOf(bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getFullUrl).toList());
    }

    @Test
    void hapis_validator_finds_no_error_in_the_bundle() {
        Athlete a = athleteWithARecord();
        String json = given().auth().oauth2(Tokens.issue(a.clinicId(), "clinician"))
                .get("/api/v1/athletes/" + a.athleteId() + "/fhir")
                .then().statusCode(200).contentType("application/fhir+json").extract().asString();

        ValidationSupportChain support = new ValidationSupportChain(new DefaultProfileValidationSupport(FHIR),
                new CommonCodeSystemsTerminologyService(FHIR), new InMemoryTerminologyServerValidationSupport(FHIR),
                new SnapshotGeneratingValidationSupport(FHIR));
        FhirValidator validator = FHIR.newValidator().registerValidatorModule(new FhirInstanceValidator(support));
        ValidationResult result = validator.validateWithResult(json);

        List<SingleValidationMessage> errors = result.getMessages().stream()
                .filter(m -> m.getSeverity() == ResultSeverityEnum.ERROR || m.getSeverity() == ResultSeverityEnum.FATAL)
                .toList();
        assertThat(errors).as(() -> errors.stream().map(m -> m.getLocationString() + ": " + m.getMessage())
                .reduce("", (x, y) -> x + "\n" + y)).isEmpty();
        assertThat(FHIR.newJsonParser().parseResource(Bundle.class, json).getEntry())
                .as("patient, condition, 2 pain, 2 sessions, calf tests, OSTRC-O2, care plan, referral").hasSize(10);
    }

    @Test
    void another_clinic_gets_404_and_only_a_clinician_may_export() {
        String clinic = "fhir-clinic-" + UUID.randomUUID();
        String athlete = "runner-" + UUID.randomUUID();
        send(clinic, athlete, EventType.ATHLETE_ENROLLED, T0, new AthleteEnrolled(athlete, clinic, "Sam Runner",
                Diagnosis.NEURAL_TENSION, Side.RIGHT, LocalDate.parse("2026-03-20"), null, T0));
        await().atMost(Duration.ofSeconds(60)).until(() -> given().auth().oauth2(Tokens.issue(clinic, "clinician"))
                .get("/api/v1/athletes/" + athlete + "/fhir").statusCode() == 200);

        given().auth().oauth2(Tokens.issue("another-" + clinic, "clinician")).get("/api/v1/athletes/" + athlete + "/fhir")
                .then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(Tokens.issue(clinic, "device")).get("/api/v1/athletes/" + athlete + "/fhir")
                .then().statusCode(403);
        given().get("/api/v1/athletes/" + athlete + "/fhir").then().statusCode(401);
        given().auth().oauth2(Tokens.issue(clinic, "clinician")).get("/api/v1/athletes/nobody-here/fhir")
                .then().statusCode(404);
    }

    @Test
    void the_timeline_reads_one_ostrc_o2_check_a_week_the_latest_of_its_week() {
        String clinic = "fhir-clinic-" + UUID.randomUUID();
        String athlete = "runner-" + UUID.randomUUID();
        Instant monday = LocalDate.now().minusWeeks(3).with(java.time.DayOfWeek.MONDAY).atStartOfDay(java.time.ZoneOffset.UTC)
                .toInstant().plus(8, ChronoUnit.HOURS);
        send(clinic, athlete, EventType.ATHLETE_ENROLLED, monday, new AthleteEnrolled(athlete, clinic, "Sam Runner",
                Diagnosis.CALF_STRAIN_GASTROCNEMIUS, Side.RIGHT, LocalDate.now().minusWeeks(4), null, monday));
        weeklyCheck(clinic, athlete, monday.plus(7, ChronoUnit.DAYS), new OstrcO2(OstrcParticipation.FULL_WITH_PROBLEMS,
                OstrcExtent.MINOR, OstrcExtent.NONE, OstrcPain.MILD, 22, false));
        weeklyCheck(clinic, athlete, monday, new OstrcO2(OstrcParticipation.CANNOT_PARTICIPATE,
                OstrcExtent.CANNOT_PARTICIPATE, OstrcExtent.CANNOT_PARTICIPATE, OstrcPain.SEVERE, 100, true));
        weeklyCheck(clinic, athlete, monday.plus(2, ChronoUnit.DAYS), new OstrcO2(OstrcParticipation.REDUCED,
                OstrcExtent.MODERATE, OstrcExtent.MODERATE, OstrcPain.MODERATE, 60, true));

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().auth()
                .oauth2(Tokens.issue(clinic, "clinician")).get("/api/v1/athletes/" + athlete + "/ostrc-o2")
                .then().statusCode(200)
                .body("weeks.score", org.hamcrest.Matchers.contains(60, 22))
                .body("weeks.substantialProblem", org.hamcrest.Matchers.contains(true, false))
                .body("weeks[0].participation", org.hamcrest.Matchers.equalTo("REDUCED")));
        given().auth().oauth2(Tokens.issue("another-" + clinic, "clinician"))
                .get("/api/v1/athletes/" + athlete + "/ostrc-o2").then().statusCode(404);
    }

    private void weeklyCheck(String clinic, String athlete, Instant at, OstrcO2 answers) {
        send(clinic, athlete, EventType.ASSESSMENT_RECORDED, at, new AssessmentRecorded(athlete, clinic, at, null, null,
                null, null, null, null, null, AssessmentKind.OSTRC_O2, answers));
    }

    // ---------------------------------------------------------------- helpers

    private void send(String clinic, String athlete, EventType type, Instant time, Object data) {
        TopicRecords.send(bootstrap, EventCodec.toRecord(EventEnvelope.of(type, "/test", time, clinic, athlete, data)));
    }

    private void apply(String clinic, String athlete, Adjustment adjustment) {
        plans.execute(clinic, athlete, (plan, policy) -> new ApplyAdjustment(adjustment, policy, Instant.now()), null, null);
    }

    private static Bundle bundleOf(String clinic, String athlete) {
        String json = given().auth().oauth2(Tokens.issue(clinic, "clinician"))
                .get("/api/v1/athletes/" + athlete + "/fhir")
                .then().statusCode(200).extract().asString();
        return FHIR.newJsonParser().parseResource(Bundle.class, json);
    }

    private static <T extends Resource> List<T> all(Bundle bundle, Class<T> type) {
        return bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource).filter(type::isInstance)
                .map(type::cast).toList();
    }

    private static <T extends Resource> T only(Bundle bundle, Class<T> type) {
        List<T> all = all(bundle, type);
        assertThat(all).as(type.getSimpleName()).hasSize(1);
        return all.get(0);
    }

    private static String fullUrl(Bundle bundle, Resource resource) {
        return bundle.getEntry().stream().filter(e -> e.getResource() == resource).findFirst().orElseThrow().getFullUrl();
    }
}
