package io.strideback.plan.fhir;

import io.strideback.events.ActivityEvents.AssessmentRecorded;
import io.strideback.events.ActivityEvents.AthleteEnrolled;
import io.strideback.events.ActivityEvents.Exercise;
import io.strideback.events.ActivityEvents.OstrcO2;
import io.strideback.events.ActivityEvents.SessionLogged;
import io.strideback.events.ActivityEvents.SymptomReported;
import io.strideback.events.EventType;
import io.strideback.events.vocabulary.AdjustmentStatus;
import io.strideback.events.vocabulary.AdjustmentType;
import io.strideback.plan.domain.PlanAdjustment;
import io.strideback.plan.domain.PlanEvent;
import io.strideback.plan.domain.PrescribedExercise;
import io.strideback.plan.domain.ReferralCleared;
import io.strideback.plan.domain.RehabPlan;
import io.strideback.plan.domain.RunConstraints;
import io.strideback.plan.fhir.ClinicalRecordStore.ClinicalRecord;
import io.strideback.plan.fhir.ClinicalRecordStore.Entry;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Type;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * An athlete's record as a FHIR R4 {@code Bundle} (issue 17, CONTRACT v2 {@code GET /api/v1/athletes/{id}/fhir}):
 * the Patient (no more than the clinic holds: its athlete id and the display name), the Condition, an Observation
 * per symptom report (LOINC 72514-3) and per session (the US Physical Activity IG's LOINC codes where they fit),
 * the clinic's calf tests, each OSTRC-O2 weekly check as a QuestionnaireResponse, the CarePlan and a
 * ServiceRequest per urgent referral. What LOINC has no code for is coded in Strideback's own code systems
 * under {@value #CODES}, whose codes are the contract's enum values.
 *
 * <p>Entries are named {@code urn:uuid:} ids derived from the clinic, the athlete and the source (event id,
 * adjustment id), so the same record exports the same ids and an EHR can update rather than duplicate.
 */
public final class FhirRecordExport {

    public static final String CODES = "https://strideback.io/fhir/CodeSystem/";
    public static final String OSTRC_O2_QUESTIONNAIRE = "https://strideback.io/fhir/Questionnaire/ostrc-o2-calf";
    static final String LOINC = "http://loinc.org";
    static final String UCUM = "http://unitsofmeasure.org";
    static final String OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category";

    private final String clinicId;
    private final String athleteId;
    private final Bundle bundle = new Bundle();
    private Reference patient;
    private Reference condition;

    private FhirRecordExport(String clinicId, String athleteId) {
        this.clinicId = clinicId;
        this.athleteId = athleteId;
    }

    /**
     * The bundle of one athlete. {@code plan} and its {@code history} may be absent (no plan yet), and so may the
     * {@code record} (nothing recorded yet); one of the two is there.
     */
    public static Bundle of(String clinicId, String athleteId, RehabPlan plan, List<PlanEvent> history,
                            ClinicalRecord record, Instant now) {
        FhirRecordExport export = new FhirRecordExport(clinicId, athleteId);
        export.bundle.setId(export.uuid("bundle", now.toString()));
        export.bundle.setType(Bundle.BundleType.COLLECTION);
        export.bundle.setTimestamp(Date.from(now));
        AthleteEnrolled enrolment = record == null ? null : record.athlete();
        export.patient(enrolment);
        export.condition(enrolment, plan);
        if (record != null) {
            for (Entry e : record.entries()) {
                if (e.data() instanceof SymptomReported s) {
                    export.symptom(e.eventId(), s);
                } else if (e.data() instanceof SessionLogged s) {
                    export.session(e.eventId(), s);
                } else if (e.data() instanceof AssessmentRecorded a) {
                    export.assessment(e.eventId(), a);
                }
            }
        }
        if (plan != null && plan.exists()) {
            export.carePlan(plan);
            export.referrals(plan, history == null ? List.of() : history);
        }
        return export.bundle;
    }

    // ---------------------------------------------------------------- Patient and Condition

    private void patient(AthleteEnrolled enrolment) {
        Patient p = new Patient();
        p.addIdentifier().setUse(Identifier.IdentifierUse.USUAL).setSystem(athleteIdSystem(clinicId)).setValue(athleteId);
        if (enrolment != null && enrolment.displayName() != null) {
            p.addName().setUse(HumanName.NameUse.USUAL).setText(enrolment.displayName());
        }
        p.setActive(true);
        patient = add(p, "patient", athleteId);
    }

    /** The identifier system of a clinic's athlete ids: an athlete id is unique within its clinic only. */
    public static String athleteIdSystem(String clinicId) {
        return "https://strideback.io/fhir/clinics/" + URLEncoder.encode(clinicId, StandardCharsets.UTF_8) + "/athletes";
    }

    private void condition(AthleteEnrolled enrolment, RehabPlan plan) {
        String diagnosis = enrolment != null ? enrolment.diagnosis().name()
                : plan != null && plan.diagnosis() != null ? plan.diagnosis().name() : null;
        String side = enrolment != null ? enrolment.side().name()
                : plan != null && plan.side() != null ? plan.side().name() : null;
        if (diagnosis == null) {
            return;
        }
        Condition c = new Condition();
        c.setClinicalStatus(concept("http://terminology.hl7.org/CodeSystem/condition-clinical", "active", "Active"));
        c.setVerificationStatus(concept("http://terminology.hl7.org/CodeSystem/condition-ver-status", "confirmed",
                "Confirmed"));
        c.addCategory(concept("http://terminology.hl7.org/CodeSystem/condition-category", "encounter-diagnosis",
                "Encounter Diagnosis"));
        c.setCode(concept(CODES + "diagnosis", diagnosis, words(diagnosis)));
        if (side != null) {
            c.addBodySite(new CodeableConcept().setText(words(side) + " calf"));
        }
        c.setSubject(patient);
        java.time.LocalDate onset = enrolment != null ? enrolment.injuryDate() : plan.injuryDate();
        if (onset != null) {
            c.setOnset(new DateTimeType(onset.toString()));
        }
        if (enrolment != null && enrolment.enrolledAt() != null) {
            c.setRecordedDateElement(dateTime(enrolment.enrolledAt()));
        }
        condition = add(c, "condition", athleteId);
    }

    // ---------------------------------------------------------------- Observations

    /** A symptom report: pain severity 0-10 (LOINC 72514-3), its context, character and red flags as components. */
    private void symptom(String eventId, SymptomReported s) {
        Observation o = observation("survey", "Survey");
        o.setCode(concept(LOINC, "72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported"));
        o.setEffective(dateTime(s.observedAt()));
        o.setValue(new IntegerType(s.pain()));
        String where = (s.side() == null ? "" : words(s.side().name()) + " ")
                + (s.location() == null ? "calf" : words(s.location().name()).toLowerCase(Locale.ROOT));
        o.setBodySite(new CodeableConcept().setText(where.isBlank() ? "calf" : where));
        if (s.context() != null) {
            component(o, "context", "Context of onset", concept(CODES + "symptom-context", s.context().name(),
                    words(s.context().name())));
        }
        if (s.character() != null) {
            s.character().forEach(ch -> component(o, "character", "Character of the pain",
                    concept(CODES + "pain-character", ch.name(), words(ch.name()))));
        }
        if (s.redFlags() != null) {
            s.redFlags().forEach(f -> component(o, "red-flag", "Red flag",
                    concept(CODES + "red-flag", f.name(), words(f.name()))));
        }
        if (s.note() != null && !s.note().isBlank()) {
            o.addNote(new Annotation().setText(s.note()));
        }
        add(o, "symptom", eventId);
    }

    /**
     * A session, as the Physical Activity IG's exercise observations code it: LOINC 73985-4 "Exercise activity"
     * with the kind of session as its value over the session's period, and LOINC 55411-3 "Exercise duration" and
     * 55425-3 mean heart rate as components; distance, intensity, cadence and session RPE have no LOINC code of
     * the IG and are Strideback codes.
     */
    private void session(String eventId, SessionLogged s) {
        Observation o = observation("activity", "Activity");
        o.setCode(concept(LOINC, "73985-4", "Exercise activity"));
        o.setValue(concept(CODES + "session-type", s.type().name(), words(s.type().name())));
        Instant end = s.startedAt().plusMillis(Math.round(s.durationMin() * 60_000));
        o.setEffective(new Period().setStartElement(dateTime(s.startedAt())).setEndElement(dateTime(end)));
        o.addComponent().setCode(concept(LOINC, "55411-3", "Exercise duration"))
                .setValue(quantity(s.durationMin(), "min", "min"));
        if (s.run() != null) {
            measure(o, "distance", "Distance run", quantity(s.run().distanceKm(), "km", "km"));
            if (s.run().intensity() != null) {
                measure(o, "intensity", "Run intensity", concept(CODES + "run-intensity", s.run().intensity().name(),
                        words(s.run().intensity().name())));
            }
            if (s.run().cadenceSpm() != null) {
                measure(o, "cadence", "Average cadence", quantity(s.run().cadenceSpm(), "steps/min", "{steps}/min"));
            }
        }
        if (s.rpe() != null) {
            measure(o, "session-rpe", "Session RPE (0-10, Foster 2001)", new IntegerType(s.rpe()));
        }
        if (s.avgHeartRateBpm() != null) {
            o.addComponent().setCode(concept(LOINC, "55425-3", "Heart rate unspecified time mean by Pedometer"))
                    .setValue(quantity(s.avgHeartRateBpm(), "beats/min", "/min"));
        }
        if (s.strength() != null && s.strength().exercises() != null && !s.strength().exercises().isEmpty()) {
            o.addNote(new Annotation().setText(s.strength().exercises().stream().map(FhirRecordExport::exercise)
                    .collect(Collectors.joining("; "))));
        }
        if (s.source() != null && s.source().kind() != null) {
            o.addNote(new Annotation().setText("Logged " + (s.source().kind().name().equals("WEARABLE")
                    ? "from a wearable" + (s.source().provider() == null ? "" : " (" + s.source().provider() + ")")
                    : "by hand")));
        }
        add(o, "session", eventId);
    }

    private static String exercise(Exercise e) {
        StringBuilder b = new StringBuilder(words(e.name()));
        if (e.sets() != null && e.reps() != null) {
            b.append(' ').append(e.sets()).append(" x ").append(e.reps());
        }
        if (e.loadKg() != null) {
            b.append(" at ").append(e.loadKg()).append(" kg");
        }
        if (e.rpe() != null) {
            b.append(", RPE ").append(e.rpe());
        }
        return b.toString();
    }

    private void assessment(String eventId, AssessmentRecorded a) {
        if (a.ostrcO2() != null) {
            ostrcO2(eventId, a);
            return;
        }
        // The clinic's calf tests (the gate measures of DOMAIN.md, Green 2022).
        Observation o = observation("exam", "Exam");
        o.setCode(concept(CODES + "assessment", "CALF_CAPACITY_TESTS", "Calf capacity tests"));
        o.setEffective(dateTime(a.recordedAt()));
        if (a.singleLegCalfRaises() != null) {
            if (a.singleLegCalfRaises().left() != null) {
                measure(o, "single-leg-calf-raises-left", "Single-leg calf raises, left",
                        new IntegerType(a.singleLegCalfRaises().left()));
            }
            if (a.singleLegCalfRaises().right() != null) {
                measure(o, "single-leg-calf-raises-right", "Single-leg calf raises, right",
                        new IntegerType(a.singleLegCalfRaises().right()));
            }
        }
        if (a.painNow() != null) {
            o.addComponent().setCode(concept(LOINC, "72514-3",
                    "Pain severity - 0-10 verbal numeric rating [Score] - Reported")).setValue(new IntegerType(a.painNow()));
        }
        if (a.painFreeWalking() != null) {
            measure(o, "pain-free-walking", "Pain-free walking", new BooleanType(a.painFreeWalking()));
        }
        if (a.painFreeHops() != null) {
            measure(o, "pain-free-hops", "Pain-free hops", new BooleanType(a.painFreeHops()));
        }
        if (a.loadedRaiseStraightKneeBodyweight() != null) {
            measure(o, "loaded-raise-straight-knee", "Heaviest straight-knee calf raise, x bodyweight",
                    quantity(a.loadedRaiseStraightKneeBodyweight(), "x bodyweight", "{bodyweight}"));
        }
        if (a.loadedRaiseBentKneeBodyweight() != null) {
            measure(o, "loaded-raise-bent-knee", "Heaviest bent-knee calf raise, x bodyweight",
                    quantity(a.loadedRaiseBentKneeBodyweight(), "x bodyweight", "{bodyweight}"));
        }
        if (a.note() != null && !a.note().isBlank()) {
            o.addNote(new Annotation().setText(a.note()));
        }
        add(o, "assessment", eventId);
    }

    /** The OSTRC-O2 weekly check (Clarsen et al., BJSM 2013; 2020 update): the answers, the score and the flag. */
    private void ostrcO2(String eventId, AssessmentRecorded a) {
        OstrcO2 q = a.ostrcO2();
        QuestionnaireResponse r = new QuestionnaireResponse();
        r.setQuestionnaire(OSTRC_O2_QUESTIONNAIRE);
        r.setStatus(QuestionnaireResponse.QuestionnaireResponseStatus.COMPLETED);
        r.setSubject(patient);
        r.setAuthoredElement(dateTime(a.recordedAt()));
        answer(r, "participation", "Have you had any difficulties participating in training and competition due to "
                + "calf problems during the past week?", coded("ostrc-o2-participation", q.participation().name()));
        answer(r, "training-modified", "To what extent have you modified your training or competition due to calf "
                + "problems during the past week?", coded("ostrc-o2-extent", q.trainingModified().name()));
        answer(r, "performance-affected", "To what extent have calf problems affected your performance during the "
                + "past week?", coded("ostrc-o2-extent", q.performanceAffected().name()));
        answer(r, "pain", "To what extent have you experienced calf pain related to your sport during the past week?",
                coded("ostrc-o2-pain", q.pain().name()));
        answer(r, "score", "Severity score (0-100)", new IntegerType(q.score()));
        answer(r, "substantial-problem", "Substantial problem (moderate or greater reduction in training or "
                + "performance, or unable to participate)", new BooleanType(q.substantialProblem()));
        add(r, "ostrc-o2", eventId);
    }

    private static void answer(QuestionnaireResponse r, String linkId, String text, Type value) {
        r.addItem().setLinkId(linkId).setText(text).addAnswer().setValue(value);
    }

    private static Coding coded(String system, String code) {
        return new Coding(CODES + system, code, words(code));
    }

    // ---------------------------------------------------------------- CarePlan and referrals

    /** The plan: its phase, the prescribed exercises, the run constraints and every adjustment with its reason. */
    private void carePlan(RehabPlan plan) {
        CarePlan c = new CarePlan();
        c.setStatus(CarePlan.CarePlanStatus.ACTIVE);
        c.setIntent(CarePlan.CarePlanIntent.PLAN);
        c.setTitle("Calf rehabilitation plan");
        String phase = plan.phase() == null ? "unknown" : plan.phase().name();
        c.setDescription("Phase " + phase + (plan.phaseSince() == null ? "" : " since " + plan.phaseSince())
                + ". " + runWords(plan.constraints()));
        c.setSubject(patient);
        if (condition != null) {
            c.addAddresses(condition);
        }
        if (plan.createdAt() != null) {
            c.setCreatedElement(dateTime(plan.createdAt()));
            c.setPeriod(new Period().setStartElement(dateTime(plan.createdAt())));
        }
        c.addNote(new Annotation().setText("Phase: " + phase + " (plan version " + plan.version() + ")"));

        CarePlan.CarePlanActivityDetailComponent run = c.addActivity().getDetail();
        run.setCode(concept(CODES + "plan-activity", "RUNNING", "Running"));
        run.setStatus(plan.constraints().runningPaused() ? CarePlan.CarePlanActivityStatus.ONHOLD
                : CarePlan.CarePlanActivityStatus.INPROGRESS);
        run.setDescription(runWords(plan.constraints()));

        for (PrescribedExercise e : plan.exercises()) {
            CarePlan.CarePlanActivityDetailComponent d = c.addActivity().getDetail();
            d.setCode(new CodeableConcept().setText(words(e.name())));
            d.setStatus(e.suspended() ? CarePlan.CarePlanActivityStatus.ONHOLD : CarePlan.CarePlanActivityStatus.INPROGRESS);
            d.setDescription(e.sets() + " sets of " + e.reps() + (e.load() == null ? "" : ", " + e.load())
                    + (e.frequency() == null ? "" : ", " + e.frequency()) + (e.why() == null ? "" : ". " + e.why()));
        }
        for (PlanAdjustment a : plan.adjustments()) {
            CarePlan.CarePlanActivityComponent activity = c.addActivity();
            CarePlan.CarePlanActivityDetailComponent d = activity.getDetail();
            d.setCode(concept(CODES + "adjustment-type", a.type().name(), words(a.type().name())));
            d.setStatus(activityStatus(a.status()));
            d.setStatusReason(new CodeableConcept().setText(a.status().name()));
            if (a.reason() != null) {
                d.addReasonCode(new CodeableConcept().setText(a.reason()));
                d.setDescription(a.reason());
            }
            if (a.decidedAt() != null) {
                activity.addProgress(new Annotation().setTimeElement(dateTime(a.decidedAt()))
                        .setText(words(a.status().name()) + " (adjustment " + a.adjustmentId() + ")"));
            }
        }
        add(c, "careplan", athleteId);
    }

    private static CarePlan.CarePlanActivityStatus activityStatus(AdjustmentStatus status) {
        return switch (status.name()) {
            case "APPLIED" -> CarePlan.CarePlanActivityStatus.INPROGRESS;
            case "PENDING" -> CarePlan.CarePlanActivityStatus.NOTSTARTED;
            case "REJECTED" -> CarePlan.CarePlanActivityStatus.CANCELLED;
            default -> CarePlan.CarePlanActivityStatus.STOPPED; // WITHDRAWN: the monitor no longer stands behind it
        };
    }

    static String runWords(RunConstraints c) {
        if (c.runningPaused()) {
            return "Running paused" + (c.pausedUntil() == null ? "." : " until " + c.pausedUntil() + ".");
        }
        List<String> parts = new ArrayList<>();
        parts.add(c.maxDistanceKm() == null ? "no distance cap" : "runs of at most " + c.maxDistanceKm() + " km");
        if (c.maxIntensity() != null) {
            parts.add("no faster than " + c.maxIntensity().name());
        }
        if (c.minRestDaysBetweenRuns() > 0) {
            parts.add(c.minRestDaysBetweenRuns() + " rest day(s) between runs");
        }
        if (c.recoveryDayBeforeIntense()) {
            parts.add("a recovery day before intense runs");
        }
        if (c.cadenceTargetSpm() != null) {
            parts.add("cadence target " + c.cadenceTargetSpm() + " steps/min");
        }
        if (c.maxProgressionPercent() != null) {
            parts.add("at most +" + c.maxProgressionPercent() + "% over the longest run of 30 days");
        }
        String s = String.join(", ", parts);
        return Character.toUpperCase(s.charAt(0)) + s.substring(1) + ".";
    }

    /**
     * A ServiceRequest per urgent referral (DOMAIN.md red flags, seed 004): active while the plan's referral is in
     * force, completed once a clinician cleared it (the clearance's reason as a note).
     */
    private void referrals(RehabPlan plan, List<PlanEvent> history) {
        List<PlanAdjustment> referrals = plan.adjustments().stream()
                .filter(a -> a.type() == AdjustmentType.URGENT_REFERRAL && a.status() == AdjustmentStatus.APPLIED)
                .toList();
        List<ReferralCleared> clearances = history.stream().filter(e -> e instanceof ReferralCleared)
                .map(e -> (ReferralCleared) e).toList();
        for (int i = 0; i < referrals.size(); i++) {
            PlanAdjustment a = referrals.get(i);
            boolean last = i == referrals.size() - 1;
            ServiceRequest r = new ServiceRequest();
            boolean inForce = last && plan.flags().urgentReferral();
            r.setStatus(inForce ? ServiceRequest.ServiceRequestStatus.ACTIVE : ServiceRequest.ServiceRequestStatus.COMPLETED);
            r.setIntent(ServiceRequest.ServiceRequestIntent.ORDER);
            r.setPriority(ServiceRequest.ServiceRequestPriority.URGENT);
            r.setCode(concept(CODES + "referral", "URGENT_REFERRAL", "Urgent medical review of the calf"));
            r.setSubject(patient);
            if (a.decidedAt() != null) {
                r.setAuthoredOnElement(dateTime(a.decidedAt()));
            }
            if (a.reason() != null) {
                r.addReasonCode(new CodeableConcept().setText(a.reason()));
            }
            if (condition != null) {
                r.addReasonReference(condition);
            }
            r.addNote(new Annotation().setText("Running and loading are suspended until a clinician clears the referral."));
            if (!inForce && a.decidedAt() != null) {
                clearances.stream().filter(cl -> !cl.occurredAt().isBefore(a.decidedAt())).findFirst()
                        .ifPresent(cl -> r.addNote(new Annotation().setTimeElement(dateTime(cl.occurredAt()))
                                .setText(cl.reason() == null ? "Cleared." : "Cleared: " + cl.reason())));
            }
            add(r, "referral", a.adjustmentId());
        }
    }

    // ---------------------------------------------------------------- helpers

    private Observation observation(String category, String display) {
        Observation o = new Observation();
        o.setStatus(Observation.ObservationStatus.FINAL);
        o.addCategory(concept(OBSERVATION_CATEGORY, category, display));
        o.setSubject(patient);
        return o;
    }

    private static void component(Observation o, String code, String display, Type value) {
        o.addComponent().setCode(concept(CODES + "symptom-observation", code, display)).setValue(value);
    }

    private static void measure(Observation o, String code, String display, Type value) {
        o.addComponent().setCode(concept(CODES + "measure", code, display)).setValue(value);
    }

    private static Quantity quantity(double value, String unit, String ucum) {
        return new Quantity().setValue(value).setUnit(unit).setSystem(UCUM).setCode(ucum);
    }

    private static CodeableConcept concept(String system, String code, String display) {
        return new CodeableConcept().addCoding(new Coding(system, code, display)).setText(display);
    }

    private static DateTimeType dateTime(Instant at) {
        return new DateTimeType(at.toString());
    }

    private Reference add(Resource resource, String kind, String sourceId) {
        String id = uuid(kind, sourceId);
        resource.setId(id);
        String fullUrl = "urn:uuid:" + id;
        bundle.addEntry().setFullUrl(fullUrl).setResource(resource);
        return new Reference(fullUrl);
    }

    /** A stable id: the same clinic, athlete and source give the same id on every export. */
    private String uuid(String kind, String sourceId) {
        return UUID.nameUUIDFromBytes(String.join("\u0000", "strideback", clinicId, athleteId, kind, sourceId)
                .getBytes(StandardCharsets.UTF_8)).toString();
    }

    static String words(String code) {
        String s = code.replace('_', ' ').toLowerCase(Locale.ROOT);
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** The event types the record exports (the rest of the activity topic is not clinical data). */
    static boolean exported(EventType type) {
        return type == EventType.SYMPTOM_REPORTED || type == EventType.SESSION_LOGGED
                || type == EventType.ASSESSMENT_RECORDED;
    }
}
