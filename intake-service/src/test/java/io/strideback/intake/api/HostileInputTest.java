package io.strideback.intake.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.strideback.events.EventCodec;
import io.strideback.intake.support.Bodies;
import io.strideback.intake.support.IntakeTest;
import io.strideback.intake.support.Json;
import io.strideback.intake.support.TestClinic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigInteger;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;

import static io.strideback.intake.support.Problems.INVALID_REQUEST;
import static io.strideback.intake.support.Problems.VALIDATION;
import static io.strideback.intake.support.TestClinic.CLINICIAN;
import static io.strideback.intake.support.TestClinic.DEVICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.blankOrNullString;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

/**
 * Issue 12, "validate at the door": input that once passed intake and stalled the load monitor for
 * every clinic (a NUL in a note, a lone surrogate, year 0, year 1) and its relatives: other control
 * characters, over-long names, notes and ids, numbers past a long or a double, instants and injury
 * dates out of any life. Each is refused with 400 problem+json naming the one bad field, and the
 * activity topic shows nothing was published for it (a valid marker event is posted last and read).
 */
@QuarkusTest
class HostileInputTest extends IntakeTest {

    private static final String SESSIONS = "/api/v1/athletes/{athleteId}/sessions";
    private static final String SYMPTOMS = "/api/v1/athletes/{athleteId}/symptoms";
    private static final String ASSESSMENTS = "/api/v1/athletes/{athleteId}/assessments";
    private static final String ATHLETES = "/api/v1/athletes";
    /** Stands in a body for a value only raw JSON text can carry (an escape, a number out of range). */
    private static final String RAW = "@@raw@@";

    @FunctionalInterface
    interface Request {
        Response send(TestClinic clinic, String athleteId);
    }

    record Hostile(String name, Request request, String field) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Hostile> hostileInputs() {
        String nextWeek = LocalDate.now(ZoneOffset.UTC).plusDays(7).toString();
        return Stream.of(
                // NUL: PostgreSQL's jsonb refuses it downstream.
                post("a NUL in a symptom's note", SYMPTOMS, Json.with(Bodies.symptom(), "note", "a\u0000b"), "note"),
                post("a NUL in an assessment's note", ASSESSMENTS, Json.with(Bodies.assessment(), "note", "\u0000"),
                        "note"),
                post("a NUL in a display name", ATHLETES, Json.with(Bodies.enrolment(), "displayName", "Sam\u0000"),
                        "displayName"),
                post("a NUL in an exercise name", SESSIONS,
                        Json.with(Bodies.strength(), "strength.exercises", List.of(java.util.Map.of(
                                "name", "CALF_RAISE\u0000", "sets", 3, "reps", 12))), "strength.exercises[0].name"),
                post("a NUL in source.provider", SESSIONS, wearable("gar\u0000min", "r1"), "source.provider"),
                post("a NUL in source.externalId", SESSIONS, wearable("garmin", "r\u00001"),
                        "source.externalId"),
                post("a NUL in the session id", SESSIONS, Json.with(Bodies.run(), "sessionId", "s\u0000"), "sessionId"),

                // Other control characters: none in names and ids, only tab and line breaks in free text.
                post("an escape sequence in a session id", SESSIONS,
                        Json.with(Bodies.run(), "sessionId", "\u001b[31mred"), "sessionId"),
                post("a tab in a display name", ATHLETES, Json.with(Bodies.enrolment(), "displayName", "Sam\tB"),
                        "displayName"),
                post("a newline in an exercise name", SESSIONS,
                        Json.with(Bodies.strength(), "strength.exercises", List.of(java.util.Map.of(
                                "name", "CALF\nRAISE"))), "strength.exercises[0].name"),
                post("a bell in a note", SYMPTOMS, Json.with(Bodies.symptom(), "note", "ding\u0007"), "note"),
                post("a DEL in source.externalId of a symptom", SYMPTOMS, Json.with(Bodies.symptom(), "source",
                        java.util.Map.of("provider", "garmin", "externalId", "r\u007f")), "source.externalId"),

                // Round 20: bidirectional overrides and isolates ("Trojan Source") make what a clinician reads differ
                // from what was sent; and a name of white space alone is no name.
                post("a right-to-left override in a display name", ATHLETES,
                        Json.with(Bodies.enrolment(), "displayName", "Sam \u202Enaed"), "displayName"),
                post("a first-strong isolate in a note", SYMPTOMS, Json.with(Bodies.symptom(), "note", "ok \u2068x\u2069"),
                        "note"),
                post("a left-to-right embedding in an exercise name", SESSIONS,
                        Json.with(Bodies.strength(), "strength.exercises", List.of(java.util.Map.of(
                                "name", "\u202ACALF_RAISE", "sets", 3, "reps", 12))), "strength.exercises[0].name"),
                post("a display name of spaces alone", ATHLETES, Json.with(Bodies.enrolment(), "displayName", "   "),
                        "displayName"),
                post("a display name of a no-break space alone", ATHLETES,
                        Json.with(Bodies.enrolment(), "displayName", "\u00A0\u202F"), "displayName"),
                post("an exercise name of white space alone", SESSIONS,
                        Json.with(Bodies.strength(), "strength.exercises", List.of(java.util.Map.of(
                                "name", " \u2003 ", "sets", 3, "reps", 12))), "strength.exercises[0].name"),
                // Round 21: invisible characters alone (zero-width, Hangul fillers, a braille blank) look as blank.
                post("a display name of zero-width characters alone", ATHLETES,
                        Json.with(Bodies.enrolment(), "displayName", "\u200B\u2060 \uFEFF"), "displayName"),
                post("an exercise name of Hangul fillers alone", SESSIONS,
                        Json.with(Bodies.strength(), "strength.exercises", List.of(java.util.Map.of(
                                "name", "\u3164\u115F\u2800", "sets", 3, "reps", 12))), "strength.exercises[0].name"),

                // Unpaired UTF-16 surrogates: valid JSON escapes with no UTF-8 form.
                post("a lone high surrogate in a note", SYMPTOMS, raw(Bodies.symptom(), "note", "\"a\\ud800b\""), "note"),
                post("a lone low surrogate in a display name", ATHLETES,
                        raw(Bodies.enrolment(), "displayName", "\"\\udc00Sam\""), "displayName"),
                post("a lone surrogate in source.externalId", SESSIONS,
                        raw(Bodies.wearableRun("garmin", "x"), "source.externalId", "\"r\\ud83d\""), "source.externalId"),

                // Lengths: names and ids 200, notes 2,000.
                post("a display name of 201 characters", ATHLETES,
                        Json.with(Bodies.enrolment(), "displayName", "n".repeat(201)), "displayName"),
                post("a note of 2,001 characters", SYMPTOMS, Json.with(Bodies.symptom(), "note", "n".repeat(2001)),
                        "note"),
                post("an exercise name of 201 characters", SESSIONS,
                        Json.with(Bodies.strength(), "strength.exercises", List.of(java.util.Map.of(
                                "name", "N".repeat(201)))), "strength.exercises[0].name"),
                post("a session id of 201 characters", SESSIONS, Json.with(Bodies.run(), "sessionId", "s".repeat(201)),
                        "sessionId"),
                post("an external id of 201 characters", SESSIONS, wearable("garmin", "r".repeat(201)),
                        "source.externalId"),
                new Hostile("an Idempotency-Key of 201 characters", (c, a) -> c.as(DEVICE)
                        .header("Idempotency-Key", "k".repeat(201)).body(Bodies.symptom().toString()).post(SYMPTOMS, a),
                        "Idempotency-Key"),
                new Hostile("an enrolment's Idempotency-Key of 201 characters", (c, a) -> c.as(CLINICIAN)
                        .header("Idempotency-Key", "k".repeat(201)).body(Bodies.enrolment().toString()).post(ATHLETES),
                        "Idempotency-Key"),
                new Hostile("a NUL in the athlete id of the path", (c, a) -> c.as(DEVICE)
                        .body(Bodies.symptom().toString()).post(SYMPTOMS, a + "\u0000"), "athleteId"),
                new Hostile("an athlete id of 201 characters in the path", (c, a) -> c.as(DEVICE)
                        .body(Bodies.symptom().toString()).post(SYMPTOMS, "a".repeat(201)), "athleteId"),

                // Review r15: a dot segment is removed from every URL (RFC 3986 5.2.4), so an athlete
                // enrolled as ".." could never be posted for, read, or erased.
                post("an enrolment's athlete id \"..\"", ATHLETES, Json.with(Bodies.enrolment(), "athleteId", ".."),
                        "athleteId"),
                post("an enrolment's athlete id \".\"", ATHLETES, Json.with(Bodies.enrolment(), "athleteId", "."),
                        "athleteId"),

                // Numbers past what a long or a double holds.
                post("pain 2^64 + 6 (a long would wrap it to 6)", SYMPTOMS,
                        Json.with(Bodies.symptom(), "pain", new BigInteger("18446744073709551622")), "pain"),
                post("a distance of 1e400 (infinite as a double)", SESSIONS,
                        raw(Bodies.run(), "run.distanceKm", "1e400"), "run.distanceKm"),
                post("a duration of -1e400", SESSIONS, raw(Bodies.run(), "durationMin", "-1e400"), "durationMin"),

                // Instants and dates out of any athlete's life.
                post("a symptom observed in year 1", SYMPTOMS,
                        Json.with(Bodies.symptom(), "observedAt", "0001-06-01T08:00:00Z"), "observedAt"),
                post("a run started in year 0", SESSIONS, Json.with(Bodies.run(), "startedAt", "0000-01-01T00:00:00Z"),
                        "startedAt"),
                post("a run started in 1899", SESSIONS, Json.with(Bodies.run(), "startedAt", "1899-12-31T23:59:59Z"),
                        "startedAt"),
                // Round 20: java.time's offset with seconds (neither ISO 8601 nor RFC 3339) moved the report silently.
                post("a symptom observed at an offset with seconds", SYMPTOMS,
                        Json.with(Bodies.symptom(), "observedAt", "2026-04-03T07:30:00+01:00:30"), "observedAt"),
                post("a run started at a sixtieth second that is no leap second", SESSIONS,
                        Json.with(Bodies.run(), "startedAt", "2026-04-03T07:30:60Z"), "startedAt"),
                post("an assessment recorded in the year 10000", ASSESSMENTS,
                        Json.with(Bodies.assessment(), "recordedAt", "+10000-01-01T00:00:00Z"), "recordedAt"),
                post("an injury in year 1", ATHLETES, Json.with(Bodies.enrolment(), "injuryDate", "0001-01-01"),
                        "injuryDate"),
                post("an injury in 1899", ATHLETES, Json.with(Bodies.enrolment(), "injuryDate", "1899-12-31"),
                        "injuryDate"),
                post("an injury next week", ATHLETES, Json.with(Bodies.enrolment(), "injuryDate", nextWeek),
                        "injuryDate"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileInputs")
    void is_refused_with_400_naming_the_field_and_nothing_is_published(Hostile hostile) {
        TestClinic clinic = new TestClinic();
        String athleteId = clinic.enrolAthlete();

        isProblem(hostile.request().send(clinic, athleteId).then(), 400, VALIDATION, INVALID_REQUEST)
                .body("errors.field", contains(hostile.field()))
                .body("errors.message", not(hasItem(blankOrNullString())));

        topic().assertHoldsOnly(clinic.id(), clinic.reportSymptom(athleteId), "athlete.enrolled");
    }

    @Test
    void a_key_given_twice_or_content_after_the_body_is_400_and_nothing_is_published() {
        TestClinic clinic = new TestClinic();
        String athleteId = clinic.enrolAthlete();
        String run = Bodies.run().toString();
        // Which "type" counts? Jackson kept the last: a WALK carrying the run's distance was stored.
        String typeTwice = run.replaceFirst("\\{", "{\"type\":\"WALK\",");
        String trailing = run + " {\"type\":\"WALK\"}";

        for (String body : List.of(typeTwice, trailing)) {
            clinic.as(DEVICE).body(body).post(SESSIONS, athleteId).then().statusCode(400)
                    .contentType(org.hamcrest.Matchers.startsWith("application/problem+json"));
        }

        topic().assertHoldsOnly(clinic.id(), clinic.reportSymptom(athleteId), "athlete.enrolled");
    }

    /** Round 19: JAX-RS took the first value of a repeated query parameter and dropped the other silently. */
    @Test
    void a_query_parameter_given_twice_is_400_naming_it_and_nothing_is_published() {
        TestClinic clinic = new TestClinic();
        String athleteId = clinic.enrolAthlete();

        clinic.as(DEVICE).queryParam("dryRun", "false", "true").body(Bodies.run().toString()).post(SESSIONS, athleteId)
                .then().statusCode(400).contentType(org.hamcrest.Matchers.startsWith("application/problem+json"))
                .body("errors.field", org.hamcrest.Matchers.contains("dryRun"))
                .body("errors[0].message", org.hamcrest.Matchers.containsString("2 times"));

        topic().assertHoldsOnly(clinic.id(), clinic.reportSymptom(athleteId), "athlete.enrolled");
    }

    @Test
    void a_body_in_a_content_coding_is_415_with_a_problem_and_nothing_is_published() throws Exception {
        TestClinic clinic = new TestClinic();
        String athleteId = clinic.enrolAthlete();
        var zipped = new java.io.ByteArrayOutputStream();
        try (var gzip = new java.util.zip.GZIPOutputStream(zipped)) {
            gzip.write(Bodies.run().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        // RFC 7694: before review r9 this was a bare 400, as if the client had sent bad JSON.
        for (String coding : List.of("gzip", "br", "identity, gzip")) {
            clinic.as(DEVICE).header("Content-Encoding", coding).body(zipped.toByteArray()).post(SESSIONS, athleteId)
                    .then().statusCode(415)
                    .contentType(org.hamcrest.Matchers.startsWith("application/problem+json"))
                    .header("Accept-Encoding", "identity")
                    .body("status", org.hamcrest.Matchers.equalTo(415))
                    .body("detail", org.hamcrest.Matchers.containsString("Content-Encoding"));
        }
        clinic.as(DEVICE).header("Content-Encoding", "identity").body(Bodies.run().toString()).post(SESSIONS, athleteId)
                .then().statusCode(202);

        topic().assertHoldsOnly(clinic.id(), clinic.reportSymptom(athleteId), "athlete.enrolled", "session.logged");
    }

    @Test
    void raw_control_bytes_and_deep_nesting_are_400_saying_what_and_where() {
        TestClinic clinic = new TestClinic();
        String athleteId = clinic.enrolAthlete();
        // Review r9: both were a bare "HTTP 400 Bad Request", naming nothing.
        String rawNul = Bodies.symptom().put("note", "@@").toString().replace("@@", "a\u0000b");
        String rawEscape = Bodies.symptom().put("note", "@@").toString().replace("@@", "\u001b[2J");
        for (String body : List.of(rawNul, rawEscape)) {
            isProblem(clinic.as(DEVICE).body(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)).post(SYMPTOMS, athleteId)
                    .then(), 400, "about:blank", "Malformed JSON")
                    .body("detail", org.hamcrest.Matchers.containsString("CTRL-CHAR"))
                    .body("detail", org.hamcrest.Matchers.containsString("line 1"))
                    .body("errors.field", contains("note"));
        }
        String deep = "{\"note\": " + "[".repeat(5_000) + "]".repeat(5_000) + "}";
        isProblem(clinic.as(DEVICE).body(deep).post(SYMPTOMS, athleteId).then(), 400, "about:blank", "Malformed JSON")
                .body("detail", org.hamcrest.Matchers.containsString("nested too deeply"))
                .body("errors.field", contains("body"));

        topic().assertHoldsOnly(clinic.id(), clinic.reportSymptom(athleteId), "athlete.enrolled");
    }

    @Test
    void bytes_that_are_not_well_formed_utf8_are_400_and_nothing_is_published() throws Exception {
        TestClinic clinic = new TestClinic();
        String athleteId = clinic.enrolAthlete();
        String body = Bodies.symptom().put("note", "@@").toString();
        int at = body.indexOf("@@");
        byte[] head = body.substring(0, at).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] tail = body.substring(at + 2).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        // Review r9: Jackson read the overlong C0 AF as "/", and a body in UTF-16 as JSON.
        for (byte[] middle : List.of(new byte[] {(byte) 0xC0, (byte) 0xAF}, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80})) {
            byte[] bytes = java.nio.ByteBuffer.allocate(head.length + middle.length + tail.length).put(head).put(middle).put(tail).array();
            isProblem(clinic.as(DEVICE).body(bytes).post(SYMPTOMS, athleteId).then(), 400, "about:blank", "Malformed JSON")
                    .body("detail", org.hamcrest.Matchers.containsString("not UTF-8"))
                    .body("errors.field", contains("body"));
        }
        isProblem(clinic.as(DEVICE).body(body.replace("@@", "utf-16").getBytes(java.nio.charset.StandardCharsets.UTF_16))
                .post(SYMPTOMS, athleteId).then(), 400, "about:blank", "Malformed JSON")
                .body("detail", org.hamcrest.Matchers.containsString("not UTF-8"));

        topic().assertHoldsOnly(clinic.id(), clinic.reportSymptom(athleteId), "athlete.enrolled");
    }

    @Test
    void tabs_and_line_breaks_are_free_text_and_reach_the_topic_as_written() throws Exception {
        TestClinic clinic = new TestClinic();
        String athleteId = clinic.enrolAthlete();
        String note = "after km 4:\r\n\tpulling, then a cramp \uD83C\uDFC3";

        String eventId = clinic.as(DEVICE).body(Json.with(Bodies.symptom(), "note", note).toString())
                .post(SYMPTOMS, athleteId).then().statusCode(202).extract().path("eventId");

        byte[] data = topic().awaitRecord(clinic.id(), eventId).value();
        assertThat(opened(clinic.id(), athleteId, EventCodec.JSON.readTree(data).path("note").asText())).isEqualTo(note);
    }

    /**
     * Round 20: a display name and a note were kept as typed, outer spaces and all (" Sam " on the clinician's list;
     * a note of spaces alone a note). Kept without outer white space, and a note of white space alone is no note.
     */
    @Test
    void names_and_notes_are_kept_without_outer_white_space() throws Exception {
        TestClinic clinic = new TestClinic();
        String athleteId = clinic.as(CLINICIAN).body(Json.with(Bodies.enrolment(), "displayName", "  Sam Runner\u3000 ")
                .toString()).post(ATHLETES).then().statusCode(201).extract().path("athleteId");
        String enrolled = java.util.UUID.nameUUIDFromBytes(("enrolled|" + clinic.id() + "|" + athleteId)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
        String sealedName = EventCodec.JSON.readTree(topic().awaitRecord(clinic.id(), enrolled).value())
                .path("displayName").asText();
        assertThat(opened(clinic.id(), athleteId, sealedName)).isEqualTo("Sam Runner");

        String noted = clinic.as(DEVICE).body(Json.with(Bodies.symptom(), "note", "\n  pulling at km 4\t\n").toString())
                .post(SYMPTOMS, athleteId).then().statusCode(202).extract().path("eventId");
        String sealedNote = EventCodec.JSON.readTree(topic().awaitRecord(clinic.id(), noted).value()).path("note").asText();
        assertThat(opened(clinic.id(), athleteId, sealedNote)).isEqualTo("pulling at km 4");

        String blank = clinic.as(DEVICE).body(Json.with(Bodies.symptom(), "note", " \t ").toString())
                .post(SYMPTOMS, athleteId).then().statusCode(202).extract().path("eventId");
        assertThat(EventCodec.JSON.readTree(topic().awaitRecord(clinic.id(), blank).value()).path("note").isMissingNode()
                || EventCodec.JSON.readTree(topic().awaitRecord(clinic.id(), blank).value()).path("note").isNull())
                .as("a note of white space alone is no note").isTrue();
    }

    /** Round 21: a note of invisible characters alone looked blank and was kept as a note; it is no note, as spaces are. */
    @Test
    void a_note_of_invisible_characters_alone_is_no_note() throws Exception {
        TestClinic clinic = new TestClinic();
        String athleteId = clinic.enrolAthlete();

        String eventId = clinic.as(DEVICE).body(Json.with(Bodies.symptom(), "note", " \u200B\u200C\u3164\uFEFF ").toString())
                .post(SYMPTOMS, athleteId).then().statusCode(202).extract().path("eventId");

        var note = EventCodec.JSON.readTree(topic().awaitRecord(clinic.id(), eventId).value()).path("note");
        assertThat(note.isMissingNode() || note.isNull()).as("a note of invisible characters alone is no note: %s", note)
                .isTrue();
    }

    /**
     * Round 21: a session id a client chose that is blank (empty, white space or invisible characters alone) is no id:
     * the session is accepted and named by intake, as one sent without an id; the wearable's blank provider and id are
     * none. Kept as sent, the session was stored under an id no clinician can read or type back.
     */
    @Test
    void a_blank_chosen_session_id_or_source_id_is_none() throws Exception {
        TestClinic clinic = new TestClinic();
        String athleteId = clinic.enrolAthlete();
        for (String blank : List.of("", " ", "\u200B", "\u2060\u3164")) {
            String eventId = clinic.as(DEVICE).body(Json.with(Json.with(Bodies.run(), "sessionId", blank), "source",
                            java.util.Map.of("kind", "MANUAL", "provider", blank, "externalId", blank)).toString())
                    .post(SESSIONS, athleteId).then().statusCode(202).extract().path("eventId");

            var event = EventCodec.JSON.readTree(topic().awaitRecord(clinic.id(), eventId).value());
            assertThat(event.path("sessionId").asText()).as("the session's id for a chosen id %s", blank.codePoints()
                    .mapToObj(c -> String.format("U+%04X", c)).toList()).isNotEqualTo(blank).isNotBlank();
            assertThat(io.strideback.support.rest.TextRules.isBlank(event.path("sessionId").asText())).isFalse();
            for (String field : List.of("provider", "externalId")) {
                com.fasterxml.jackson.databind.JsonNode value = event.path("source").path(field);
                assertThat(value.isMissingNode() || value.isNull()).as("source.%s for %s: %s", field, blank, value).isTrue();
            }
        }
    }

    /**
     * Round 21: a watch sending an invisible placeholder as every activity's source id ("\u200B") had each activity after
     * the first refused 422 as a reused source id, while the event kept no id; a blank source id keys nothing, as "".
     */
    @Test
    void activities_with_the_same_blank_source_id_are_each_accepted() {
        TestClinic clinic = new TestClinic();
        String athleteId = clinic.enrolAthlete();
        java.util.Set<String> eventIds = new java.util.HashSet<>();
        for (int distance = 5; distance <= 7; distance++) {
            eventIds.add(clinic.as(DEVICE).body(Json.with(wearable("garmin", "\u200B"), "run.distanceKm", distance)
                    .toString()).post(SESSIONS, athleteId).then().statusCode(202).extract().path("eventId"));
        }
        assertThat(eventIds).as("three different runs, three events").hasSize(3);
    }

    /**
     * Round 20: RFC 3339 allows a leap second and a watch logging UTC writes one; {@code OffsetDateTime.parse} refused
     * it (400). It is taken as the second before it (Java's time-scale has no 61st second), on every offset.
     */
    @Test
    void a_leap_second_is_taken_as_the_second_before_it() throws Exception {
        TestClinic clinic = new TestClinic();
        // Injured in 2016: a report more than a year before the injury is refused for that reason.
        String athleteId = clinic.as(CLINICIAN).body(Json.with(Bodies.enrolment(), "injuryDate", "2016-12-01").toString())
                .post(ATHLETES).then().statusCode(201).extract().path("athleteId");
        for (String observedAt : List.of("2016-12-31T23:59:60Z", "2017-01-01T00:59:60.5+01:00")) {
            String eventId = clinic.as(DEVICE).body(Json.with(Bodies.symptom(), "observedAt", observedAt).toString())
                    .post(SYMPTOMS, athleteId).then().statusCode(202).extract().path("eventId");

            var record = topic().awaitRecord(clinic.id(), eventId);
            assertThat(java.time.Instant.parse(EventCodec.JSON.readTree(record.value()).path("observedAt").asText()))
                    .as(observedAt).isBetween(java.time.Instant.parse("2016-12-31T23:59:59Z"),
                            java.time.Instant.parse("2016-12-31T23:59:59.5Z"));
        }
    }

    @Test
    void a_hostile_item_of_a_batch_is_refused_alone_and_its_neighbours_are_taken() {
        TestClinic clinic = new TestClinic();
        String athleteId = clinic.enrolAthlete();
        ObjectNode batch = Json.MAPPER.createObjectNode();
        ArrayNode items = batch.putArray("items");
        items.add(Json.item(athleteId, "symptom", Bodies.symptom()));
        items.add(Json.item(athleteId, "symptom", Json.with(Bodies.symptom(), "note", "a\u0000b")));
        items.add(Json.item(athleteId + "\u0000", "session", Bodies.run()));
        items.add(Json.item(athleteId, "session", Json.with(Bodies.run(), "startedAt", "0000-01-01T00:00:00Z")));
        items.add(Json.item(athleteId, "session", Bodies.run()));

        var answer = clinic.as(DEVICE).body(batch.toString()).post("/api/v1/events/batch").then().statusCode(200)
                .body("results.status", contains(202, 400, 400, 400, 202))
                .body("results[1].problem.errors.field", contains("note"))
                .body("results[2].problem.errors.field", contains("items[2].athleteId"))
                .body("results[3].problem.errors.field", contains("startedAt"));

        List<String> ids = answer.extract().path("results.eventId");
        topic().assertHoldsOnly(clinic.id(), clinic.reportSymptom(athleteId), "athlete.enrolled",
                "symptom.reported", "session.logged");
        assertThat(topic().recordsWithId(clinic.id(), ids.get(0))).hasSize(1);
        assertThat(topic().recordsWithId(clinic.id(), ids.get(4))).hasSize(1);
    }

    private static Hostile post(String name, String path, Object body, String field) {
        String json = body.toString();
        Request request = path.equals(ATHLETES)
                ? (c, a) -> c.as(CLINICIAN).body(json).post(path)
                : (c, a) -> c.as(DEVICE).body(json).post(path, a);
        return new Hostile(name, request, field);
    }

    /** A wearable's run; built as a tree, so any character reaches the wire as a JSON escape. */
    private static ObjectNode wearable(String provider, String externalId) {
        return Json.with(Bodies.run(), "source", java.util.Map.of("kind", "WEARABLE", "provider", provider,
                "externalId", externalId));
    }

    /** {@code body} with the field at {@code path} holding the raw JSON text {@code json}. */
    private static String raw(ObjectNode body, String path, String json) {
        return Json.with(body, path, RAW).toString().replace("\"" + RAW + "\"", json);
    }
}
