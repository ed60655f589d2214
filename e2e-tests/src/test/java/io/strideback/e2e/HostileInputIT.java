package io.strideback.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.strideback.events.ActivityEvents.SessionLogged;
import io.strideback.events.ActivityEvents.Run;
import io.strideback.events.ActivityEvents.SymptomReported;
import io.strideback.events.EventCodec;
import io.strideback.events.EventEnvelope;
import io.strideback.events.EventType;
import io.strideback.events.Topic;
import io.strideback.events.vocabulary.PainLocation;
import io.strideback.events.vocabulary.RunIntensity;
import io.strideback.events.vocabulary.SessionType;
import io.strideback.events.vocabulary.Side;
import io.strideback.events.vocabulary.SymptomContext;
import io.strideback.tools.ApiClient;
import io.strideback.tools.ApiClient.Answer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 12: hostile input, sent from outside to the packaged services. Each test sends one class of
 * bad input, checks what it got, and then proves the platform still works for everybody else: a red
 * flag of another clinic reaches its plan ({@link #anotherClinicsRedFlagStillReachesItsPlan}), and
 * whatever was accepted (202) is in the load monitor's timeline, never dropped.
 */
class HostileInputIT {

    private static final String SYMPTOMS = "/api/v1/athletes/%s/symptoms";
    private static final String SESSIONS = "/api/v1/athletes/%s/sessions";

    private final Stack stack = Stack.get();

    // --- refused at the door: 400 problem+json naming the field, nothing published ---

    @Test
    void a_nul_character_in_a_note_is_refused() {
        Runner r = enrol();
        assertRefused(r.client.postIntake(SYMPTOMS.formatted(r.id), symptomJson(r, "\"note\":\"a\\u0000b\"")), "note");
        anotherClinicsRedFlagStillReachesItsPlan();
    }

    @Test
    void a_control_character_in_a_name_is_refused() {
        ApiClient clinician = stack.client("clinic-" + UUID.randomUUID(), "clinician");
        assertRefused(clinician.postIntake("/api/v1/athletes", """
                {"displayName":"Sam\\u0007","diagnosis":"CALF_STRAIN_SOLEUS","side":"LEFT","injuryDate":"2026-10-01"}"""),
                "displayName");
    }

    @Test
    void an_unpaired_surrogate_is_refused() {
        Runner r = enrol();
        assertRefused(r.client.postIntake(SYMPTOMS.formatted(r.id), symptomJson(r, "\"note\":\"x\\ud800y\"")), "note");
        anotherClinicsRedFlagStillReachesItsPlan();
    }

    @Test
    void over_long_fields_are_refused() {
        Runner r = enrol();
        assertRefused(r.client.postIntake(SYMPTOMS.formatted(r.id), symptomJson(r, "\"note\":\"" + "n".repeat(2001) + "\"")),
                "note");
        assertRefused(r.client.postIntake(SESSIONS.formatted(r.id), runJson(Instant.now().minusSeconds(3600),
                "\"sessionId\":\"" + "s".repeat(201) + "\"")), "sessionId");
        ApiClient clinician = stack.client("clinic-" + UUID.randomUUID(), "clinician");
        assertRefused(clinician.postIntake("/api/v1/athletes", Map.of("displayName", "n".repeat(201),
                "diagnosis", "CALF_STRAIN_SOLEUS", "side", "LEFT", "injuryDate", "2026-10-01")), "displayName");
    }

    @Test
    void ancient_and_future_instants_and_dates_are_refused() {
        Runner r = enrol();
        for (String when : List.of("0001-01-01T00:00:00Z", "0000-06-01T00:00:00Z", "1899-12-31T23:59:59Z",
                Instant.now().plus(Duration.ofDays(2)).toString())) {
            Answer answer = r.client.postIntake(SESSIONS.formatted(r.id), runJson(Instant.parse(when), null));
            assertRefused(answer, "startedAt");
        }
        ApiClient clinician = stack.client("clinic-" + UUID.randomUUID(), "clinician");
        for (String injuryDate : List.of("0001-01-01", LocalDate.now().plusDays(3).toString())) {
            assertRefused(clinician.postIntake("/api/v1/athletes", Map.of("displayName", "Sam",
                    "diagnosis", "CALF_STRAIN_SOLEUS", "side", "LEFT", "injuryDate", injuryDate)), "injuryDate");
        }
        anotherClinicsRedFlagStillReachesItsPlan();
    }

    @Test
    void a_body_over_one_mebibyte_is_413_with_a_problem_on_every_service() {
        Runner r = enrol();
        String huge = "{\"reason\":\"" + "x".repeat(1_200_000) + "\"}";
        List<Answer> answers = List.of(
                r.client.postIntake(SYMPTOMS.formatted(r.id), huge),
                r.client.postPlan("/api/v1/athletes/" + r.id + "/plan/phase", huge),
                r.client.send("PUT", stack.url("load-monitor-service") + "/api/v1/clinic/rules", huge, null));
        assertThat(answers).allSatisfy(a -> {
            assertThat(a.status()).isEqualTo(413);
            assertThat(a.body().path("status").asInt()).isEqualTo(413);
            assertThat(a.body().path("title").asText()).isNotBlank();
        });
        // A 2 MB reason used to be accepted and then blocked plan-service's outbox relay for ever.
        Answer longReason = r.client.postPlan("/api/v1/athletes/" + r.id + "/plan/phase",
                Map.of("phase", "RESTORE_CAPACITY", "reason", "r".repeat(5_000)));
        assertThat(longReason.status()).isEqualTo(400);
        anotherClinicsRedFlagStillReachesItsPlan();
    }

    @Test
    void absurd_clinic_settings_are_refused_and_never_stored() {
        ApiClient clinic = stack.client("clinic-" + UUID.randomUUID(), "clinic-admin");
        String rules = stack.url("load-monitor-service") + "/api/v1/clinic/rules";
        JsonNode before = clinic.send("GET", rules, null, null).body();
        for (String absurd : List.of("{\"progressionWindow\":\"PT2562047788015215H\"}",
                "{\"progressionWindow\":\"PT1M\"}", "{\"progressionPercent\":0}", "{\"progressionPercent\":1000}")) {
            Answer answer = clinic.send("PUT", rules, absurd, null);
            assertThat(answer.status()).as(absurd).isEqualTo(400);
            assertThat(answer.body().path("status").asInt()).isEqualTo(400);
        }
        assertThat(clinic.send("GET", rules, null, null).body()).isEqualTo(before);
        anotherClinicsRedFlagStillReachesItsPlan();
    }

    // --- a wearable key names one event of one kind for one athlete ---

    @Test
    void a_wearable_id_reused_by_another_kind_or_athlete_is_its_own_event_never_dropped() {
        Runner r = enrol();
        Runner other = enrol(r.clinic);
        String source = "\"source\":{\"kind\":\"WEARABLE\",\"provider\":\"garmin\",\"externalId\":\"r1\"}";
        Instant ran = Instant.now().minusSeconds(7200);
        Answer session = r.client.postIntake(SESSIONS.formatted(r.id), runJson(ran, source));
        Answer symptom = r.client.postIntake(SYMPTOMS.formatted(r.id), symptomJson(r, source));
        Answer othersSession = other.client.postIntake(SESSIONS.formatted(other.id), runJson(ran, source));
        assertThat(List.of(session, symptom, othersSession)).allSatisfy(a -> assertThat(a.status()).isEqualTo(202));
        assertThat(List.of(eventId(session), eventId(symptom), eventId(othersSession))).doesNotHaveDuplicates();

        // The same key and kind again: the same body is a retry (same id), another body is refused.
        Answer retry = r.client.postIntake(SESSIONS.formatted(r.id), runJson(ran, source));
        assertThat(retry.status()).isEqualTo(202);
        assertThat(eventId(retry)).isEqualTo(eventId(session));
        Answer changed = r.client.postIntake(SESSIONS.formatted(r.id), runJson(ran.plusSeconds(600), source));
        assertThat(changed.status()).isIn(409, 422);
        assertThat(changed.body().path("status").asInt()).isEqualTo(changed.status());

        // Nothing accepted was dropped: each 202 is in its athlete's timeline.
        awaitInTimeline(r, eventId(session), eventId(symptom));
        awaitInTimeline(other, eventId(othersSession));
    }

    // --- records no door stopped (an old or buggy producer): parked, and the rest flows ---

    @Test
    void a_record_with_a_nul_in_its_note_never_stops_a_consumer_and_is_never_lost_without_a_trace() {
        Runner r = enrol();
        SymptomReported nul = new SymptomReported(r.id, r.clinic, Instant.now().minusSeconds(600), 3, Side.LEFT, PainLocation.MID_CALF,
                List.of(), SymptomContext.AT_REST, List.of(), "a\u0000b");
        EventEnvelope<SymptomReported> poison = EventEnvelope.of(EventType.SYMPTOM_REPORTED, "/a-buggy-producer",
                Instant.now(), r.clinic, r.id, nul);
        Topics.publish(stack.kafkaBootstrap(), poison);

        // The same athlete's next event is still processed, and so is another clinic's red flag.
        Answer next = r.client.postIntake(SYMPTOMS.formatted(r.id), symptomJson(r, "\"note\":\"fine\""));
        assertThat(next.status()).isEqualTo(202);
        anotherClinicsRedFlagStillReachesItsPlan();
        awaitInTimeline(r, eventId(next));

        // The load monitor keeps no note (its Kafka Streams state holds what the rules read), so it takes the
        // report; a reader that cannot store it parks it with its reason. Either way it is never lost silently,
        // and the NUL is never echoed.
        if (!timelineIds(r).contains(poison.id())) {
            var parked = Topics.read(stack.kafkaBootstrap(), Topic.ATHLETE_ACTIVITY.deadLetterTopicName(), r.clinic,
                    recs -> recs.stream().anyMatch(rec -> poison.id().equals(EventCodec.header(rec.headers(), EventCodec.ID))));
            assertThat(parked).filteredOn(rec -> poison.id().equals(EventCodec.header(rec.headers(), EventCodec.ID)))
                    .allSatisfy(rec -> assertThat(EventCodec.header(rec.headers(), Topic.DLQ_REASON_HEADER)).isNotBlank());
        }
        assertThat(r.client.getLoadMonitor("/api/v1/athletes/" + r.id + "/timeline").body().toString())
                .doesNotContain("\\u0000");
    }

    @Test
    void events_at_the_ends_of_time_never_stop_the_pipeline() {
        Runner r = enrol();
        List<EventEnvelope<?>> absurd = new ArrayList<>();
        for (Instant when : List.of(Instant.parse("0000-01-01T00:00:00Z"), Instant.MAX, Instant.MIN)) {
            absurd.add(EventEnvelope.of(EventType.SESSION_LOGGED, "/a-buggy-producer", Instant.now(), r.clinic, r.id,
                    new SessionLogged(r.id, r.clinic, UUID.randomUUID().toString(), SessionType.RUN, when, 30, 4,
                            new Run(5, RunIntensity.EASY, null), null, null)));
        }
        absurd.forEach(e -> Topics.publish(stack.kafkaBootstrap(), e));

        Answer next = r.client.postIntake(SYMPTOMS.formatted(r.id), symptomJson(r, "\"note\":\"after\""));
        assertThat(next.status()).isEqualTo(202);
        anotherClinicsRedFlagStillReachesItsPlan();
        awaitInTimeline(r, eventId(next));
        // Each absurd record was either stored or parked with its reason: none is lost without a trace.
        List<String> stored = timelineIds(r);
        List<String> unstored = absurd.stream().map(EventEnvelope::id).filter(id -> !stored.contains(id)).toList();
        if (!unstored.isEmpty()) {
            Topics.read(stack.kafkaBootstrap(), Topic.ATHLETE_ACTIVITY.deadLetterTopicName(), r.clinic,
                    recs -> recs.stream().map(rec -> EventCodec.header(rec.headers(), EventCodec.ID)).toList()
                            .containsAll(unstored));
        }
    }

    // --- helpers ---

    private record Runner(String clinic, String id, ApiClient client) {
    }

    private Runner enrol() {
        return enrol("clinic-" + UUID.randomUUID());
    }

    private Runner enrol(String clinic) {
        ApiClient clinician = stack.client(clinic, "clinician");
        Answer enrolled = clinician.postIntake("/api/v1/athletes", Map.of("displayName", "Runner",
                "diagnosis", "CALF_STRAIN_SOLEUS", "side", "LEFT", "injuryDate", "2026-10-01"));
        assertThat(enrolled.status()).isEqualTo(201);
        return new Runner(clinic, enrolled.body().path("athleteId").asText(), clinician);
    }

    /** The platform still works for everybody else: a red flag of a fresh clinic reaches its plan. */
    private void anotherClinicsRedFlagStillReachesItsPlan() {
        Runner sentinel = enrol("sentinel-" + UUID.randomUUID());
        await().atMost(Duration.ofSeconds(60)).until(() -> sentinel.client
                .getPlan("/api/v1/athletes/" + sentinel.id + "/plan").status() == 200);
        Answer flag = sentinel.client.postIntake(SYMPTOMS.formatted(sentinel.id), Map.of(
                "observedAt", Instant.now().minusSeconds(60).toString(), "pain", 6, "side", "LEFT",
                "location", "MID_CALF", "context", "AT_REST", "redFlags", List.of("SWELLING")));
        assertThat(flag.status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> sentinel.client
                .getPlan("/api/v1/athletes/" + sentinel.id + "/plan").body().path("flags").path("urgentReferral").asBoolean());
    }

    private static void assertRefused(Answer answer, String field) {
        assertThat(answer.status()).as(answer.body().toString()).isEqualTo(400);
        assertThat(answer.body().path("status").asInt()).isEqualTo(400);
        List<String> fields = new ArrayList<>();
        answer.body().path("errors").forEach(e -> fields.add(e.path("field").asText()));
        assertThat(fields).as(answer.body().toString()).anySatisfy(f -> assertThat(f).endsWith(field));
    }

    private static String symptomJson(Runner r, String extra) {
        return "{\"observedAt\":\"" + Instant.now().minusSeconds(300) + "\",\"pain\":2,\"side\":\"LEFT\","
                + "\"location\":\"MID_CALF\",\"character\":[\"ACHE\"],\"context\":\"AT_REST\",\"redFlags\":[]"
                + (extra == null ? "" : "," + extra) + "}";
    }

    private static String runJson(Instant startedAt, String extra) {
        return "{\"type\":\"RUN\",\"startedAt\":\"" + startedAt + "\",\"durationMin\":30,\"rpe\":4,"
                + "\"run\":{\"distanceKm\":4.0,\"intensity\":\"EASY\"}" + (extra == null ? "" : "," + extra) + "}";
    }

    private static String eventId(Answer answer) {
        return answer.body().path("eventId").asText();
    }

    private List<String> timelineIds(Runner r) {
        Answer timeline = r.client.getLoadMonitor("/api/v1/athletes/" + r.id + "/timeline");
        List<String> ids = new ArrayList<>();
        if (timeline.status() == 200) {
            timeline.body().path("sessions").forEach(s -> ids.add(s.path("eventId").asText()));
            timeline.body().path("symptoms").forEach(s -> ids.add(s.path("eventId").asText()));
        }
        return ids;
    }

    private void awaitInTimeline(Runner r, String... eventIds) {
        await().atMost(Duration.ofSeconds(60)).until(() -> timelineIds(r).containsAll(List.of(eventIds)));
    }
}
