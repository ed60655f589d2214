package io.strideback.intake.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.strideback.events.ActivityEvents.*;
import io.strideback.events.EventCodec;
import io.strideback.events.EventType;
import io.strideback.events.vocabulary.*;
import io.strideback.intake.domain.IntakeRules;
import io.strideback.intake.domain.OstrcWeeklyCheck;
import io.strideback.support.rest.TextRules;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * REST bodies (CONTRACT.md intake section) to the event data they become. Each method reads every
 * field, collects every problem in the {@link JsonBody}, and returns null when there was one.
 */
final class ActivityMapping {

    private ActivityMapping() {
    }

    static AthleteEnrolled enrolment(JsonBody b, String clinicId, String generatedId, Instant now) {
        String athleteId = b.string("athleteId", false);
        if (athleteId != null && !athleteId.matches("[A-Za-z0-9._:-]{1,64}")) {
            b.reject("athleteId", "must be 1-64 letters, digits or . _ : -");
        } else if (".".equals(athleteId) || "..".equals(athleteId)) {
            // A dot segment is removed from every URL (RFC 3986 5.2.4): no path could name this athlete.
            b.reject("athleteId", "must not be \".\" or \"..\": no URL can name such an athlete");
        }
        String displayName = b.name("displayName", true);
        Diagnosis diagnosis = b.enumValue("diagnosis", Diagnosis.class, true);
        Side side = b.enumValue("side", Side.class, true);
        LocalDate injuryDate = b.date("injuryDate", true);
        if (injuryDate != null) {
            IntakeRules.injuryDateProblem(injuryDate, now).ifPresent(p -> b.reject("injuryDate", p));
        }
        Double symptomFreeRunKm = null;
        if (b.has("symptomFreeRunKm")) {
            symptomFreeRunKm = b.number("symptomFreeRunKm", false, -0.000001, IntakeRules.MAX_RUN_KM);
        }
        // CONTRACT v2: an optional IANA zone name; the rules' "day" is the athlete's (DOMAIN.md rules v2).
        String timeZone = b.string("timeZone", false);
        if (timeZone != null && !java.time.ZoneId.getAvailableZoneIds().contains(timeZone)) {
            b.reject("timeZone", "must be an IANA time zone name, e.g. Europe/London");
        }
        if (!b.errors().isEmpty()) {
            return null;
        }
        return new AthleteEnrolled(athleteId != null ? athleteId : generatedId, clinicId, displayName, diagnosis, side,
                injuryDate, symptomFreeRunKm, now, timeZone);
    }

    static SessionLogged session(JsonBody b, String athleteId, String clinicId, LocalDate injuryDate, Instant now,
                                 String generatedSessionId) {
        String sessionId = b.id("sessionId", false);
        SessionType type = b.enumValue("type", SessionType.class, true);
        Instant startedAt = b.instant("startedAt", true);
        eventTime(b, "startedAt", startedAt, injuryDate, now);
        Double durationMin = b.number("durationMin", true, 0, IntakeRules.MAX_DURATION_MIN - 0.000001);
        Integer rpe = b.integer("rpe", false, 0, IntakeRules.MAX_RPE);
        Integer avgHeartRate = b.integer("avgHeartRateBpm", false, IntakeRules.MIN_HEART_RATE_BPM,
                IntakeRules.MAX_HEART_RATE_BPM);

        Run run = null;
        JsonBody runBody = b.object("run", type == SessionType.RUN);
        if (runBody != null) {
            Double km = runBody.number("distanceKm", false, 0, IntakeRules.MAX_RUN_KM);
            if (!runBody.has("distanceKm")) {
                // A run is logged with its distance (CONTRACT's run.distanceKm; the rules need it: symptom-free
                // distance, spikes, caps), so a run without one is refused, saying why, on every path (a post,
                // a batch item, a FIT session whose watch wrote 0 m), and never stored without it.
                runBody.reject("distanceKm", "is required: a run is logged with its distance; if the watch recorded "
                        + "no distance for this run (a treadmill run without a foot pod?), log it by hand with the "
                        + "distance run");
            }
            RunIntensity intensity = runBody.enumValue("intensity", RunIntensity.class, true);
            Integer cadence = runBody.integer("cadenceSpm", false, IntakeRules.MIN_CADENCE_SPM, IntakeRules.MAX_CADENCE_SPM);
            if (km != null && intensity != null) {
                run = new Run(km, intensity, cadence);
            }
        }

        Strength strength = null;
        JsonBody strengthBody = b.object("strength", type == SessionType.STRENGTH);
        if (strengthBody != null) {
            List<Exercise> exercises = new ArrayList<>();
            strengthBody.array("exercises", true, e -> {
                String name = e.name("name", true);
                Integer sets = e.integer("sets", false, 1, 100);
                Integer reps = e.integer("reps", false, 0, 1000);
                Double loadKg = e.has("loadKg") ? e.number("loadKg", false, -0.000001, 1000) : null;
                Integer exRpe = e.integer("rpe", false, 0, IntakeRules.MAX_RPE);
                exercises.add(new Exercise(name, sets, reps, loadKg, exRpe));
            });
            strength = new Strength(exercises);
        }

        Source source = source(b);
        if (!b.errors().isEmpty()) {
            return null;
        }
        return new SessionLogged(athleteId, clinicId, sessionId != null ? sessionId : generatedSessionId, type,
                startedAt, durationMin, rpe, run, strength, source, avgHeartRate);
    }

    static SymptomReported symptom(JsonBody b, String athleteId, String clinicId, LocalDate injuryDate, Instant now) {
        Instant observedAt = b.instant("observedAt", true);
        eventTime(b, "observedAt", observedAt, injuryDate, now);
        Integer pain = b.integer("pain", true, 0, IntakeRules.MAX_PAIN);
        Side side = b.enumValue("side", Side.class, false);
        PainLocation location = b.enumValue("location", PainLocation.class, false);
        List<PainCharacter> character = b.enumList("character", PainCharacter.class, false);
        SymptomContext context = b.enumValue("context", SymptomContext.class, true);
        List<RedFlag> redFlags = b.enumList("redFlags", RedFlag.class, false);
        String note = b.freeText("note", false, TextRules.MAX_FREE_TEXT);
        source(b); // not part of the event, but its id is the event's key: checked like a session's
        if (!b.errors().isEmpty()) {
            return null;
        }
        return new SymptomReported(athleteId, clinicId, observedAt, pain, side, location, character, context, redFlags,
                note);
    }

    static AssessmentRecorded assessment(JsonBody b, String athleteId, String clinicId, LocalDate injuryDate,
                                         Instant now) {
        Instant recordedAt = b.instant("recordedAt", true);
        eventTime(b, "recordedAt", recordedAt, injuryDate, now);
        SideCounts raises = null;
        JsonBody raisesBody = b.object("singleLegCalfRaises", false);
        if (raisesBody != null) {
            raises = new SideCounts(raisesBody.integer("left", false, 0, IntakeRules.MAX_CALF_RAISES),
                    raisesBody.integer("right", false, 0, IntakeRules.MAX_CALF_RAISES));
        }
        Integer painNow = b.integer("painNow", false, 0, IntakeRules.MAX_PAIN);
        Boolean walking = b.bool("painFreeWalking");
        Boolean hops = b.bool("painFreeHops");
        source(b);
        Double straight = b.has("loadedRaiseStraightKneeBodyweight")
                ? b.number("loadedRaiseStraightKneeBodyweight", false, -0.000001, 10) : null;
        Double bent = b.has("loadedRaiseBentKneeBodyweight")
                ? b.number("loadedRaiseBentKneeBodyweight", false, -0.000001, 10) : null;
        String note = b.freeText("note", false, TextRules.MAX_FREE_TEXT);
        AssessmentKind kind = b.enumValue("kind", AssessmentKind.class, false);
        OstrcO2 ostrc = ostrcO2(b, kind == AssessmentKind.OSTRC_O2);
        if (kind == AssessmentKind.OSTRC_O2) {
            // The weekly questionnaire is the athlete's; the gate measures are the clinic's tests (DOMAIN.md "Gates").
            for (String measure : List.of("singleLegCalfRaises", "painNow", "painFreeWalking", "painFreeHops",
                    "loadedRaiseStraightKneeBodyweight", "loadedRaiseBentKneeBodyweight")) {
                if (b.has(measure)) {
                    b.reject(measure, "belongs to a CLINICAL_TESTS assessment, not to an OSTRC_O2 weekly check");
                }
            }
        } else if (b.has("answers")) {
            b.reject("answers", "are the OSTRC-O2 questionnaire's: give \"kind\": \"OSTRC_O2\" with them");
        }
        if (!b.errors().isEmpty()) {
            return null;
        }
        return new AssessmentRecorded(athleteId, clinicId, recordedAt, raises, painNow, walking, hops, straight, bent,
                note, kind, ostrc);
    }

    /** The OSTRC-O2 answers of a weekly check, scored (issue 17; OstrcWeeklyCheck cites the papers). */
    private static OstrcO2 ostrcO2(JsonBody b, boolean isWeeklyCheck) {
        if (!isWeeklyCheck) {
            return null;
        }
        JsonBody answers = b.object("answers", true);
        if (answers == null) {
            return null;
        }
        int before = b.errors().size();
        OstrcWeeklyCheck.Answers given = new OstrcWeeklyCheck.Answers(
                answers.enumValue("participation", OstrcParticipation.class, false),
                answers.enumValue("trainingModified", OstrcExtent.class, false),
                answers.enumValue("performanceAffected", OstrcExtent.class, false),
                answers.enumValue("pain", OstrcPain.class, false));
        if (b.errors().size() > before) {
            return null;
        }
        List<OstrcWeeklyCheck.AnswerProblem> problems = OstrcWeeklyCheck.problems(given);
        problems.forEach(p -> answers.reject(p.question(), p.message()));
        if (!problems.isEmpty()) {
            return null;
        }
        OstrcWeeklyCheck.Scored scored = OstrcWeeklyCheck.score(given);
        OstrcWeeklyCheck.Answers a = scored.answers();
        return new OstrcO2(a.participation(), a.trainingModified(), a.performanceAffected(), a.pain(), scored.score(),
                scored.substantialProblem());
    }

    /** {@code source.provider} + {@code source.externalId}: a wearable's own id for the activity. */
    static Source source(JsonBody b) {
        JsonBody s = b.object("source", false);
        if (s == null) {
            return null;
        }
        SourceKind kind = s.enumValue("kind", SourceKind.class, false);
        String provider = s.id("provider", false);
        String externalId = s.id("externalId", false);
        return new Source(kind, provider, externalId);
    }

    /**
     * The idempotency key a wearable's own id gives an event: {@code source.provider} +
     * {@code source.externalId} identify one event of one kind for one athlete (issue 12), so the
     * key holds all four (the clinic scopes every key already). Null when the body names no usable
     * source id; a bad one is then refused by {@link #source}'s checks like any other field.
     */
    static String sourceKey(JsonNode body, EventType type, String athleteId) {
        String[] id = sourceId(body);
        if (id == null || athleteId == null) {
            return null;
        }
        try {
            // A JSON array: unambiguous whatever the parts contain.
            return "source:" + EventCodec.JSON.writeValueAsString(List.of(type.ceType(), athleteId, id[0], id[1]));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The key the same source id had before keys were scoped by athlete and kind: a wearable's
     * retry of an event accepted then is recognised by it (with its stored request hash, which
     * names the kind and the athlete) until such keys expire.
     */
    static String legacySourceKey(JsonNode body) {
        String[] id = sourceId(body);
        return id == null ? null : "source:" + id[0] + ":" + id[1];
    }

    private static String[] sourceId(JsonNode body) {
        JsonNode source = body == null ? null : body.get("source");
        if (source == null || !source.isObject()) {
            return null;
        }
        JsonNode provider = source.get("provider");
        JsonNode externalId = source.get("externalId");
        // A blank source id (white space or invisible characters alone, TextRules.isBlank) keys nothing, as it is
        // kept as no id (JsonBody.id): a watch sending "\u200B" as a placeholder for every activity had each one after
        // the first refused 422 as a reused source id (round 21), as "" never was.
        if (provider == null || externalId == null || !provider.isTextual() || !externalId.isTextual()
                || TextRules.isBlank(provider.asText()) || TextRules.isBlank(externalId.asText())
                || TextRules.lineProblem(provider.asText(), TextRules.MAX_NAME).isPresent()
                || TextRules.lineProblem(externalId.asText(), TextRules.MAX_ID).isPresent()) {
            return null;
        }
        return new String[]{provider.asText(), externalId.asText()};
    }

    private static void eventTime(JsonBody b, String field, Instant time, LocalDate injuryDate, Instant now) {
        if (time != null) {
            IntakeRules.eventTimeProblem(time, injuryDate, now).ifPresent(p -> b.reject(field, p));
        }
    }
}
