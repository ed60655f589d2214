package io.strideback.plan.messaging;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.strideback.events.ActivityEvents.AthleteEnrolled;
import io.strideback.events.ActivityEvents.SymptomReported;
import io.strideback.events.EventCodec;
import io.strideback.events.EventEnvelope;
import io.strideback.events.EventType;
import io.strideback.events.FindingEvents.AdjustmentProposed;
import io.strideback.events.Topic;
import io.strideback.events.vocabulary.AdjustmentType;
import io.strideback.events.vocabulary.Diagnosis;
import io.strideback.events.vocabulary.PainLocation;
import io.strideback.events.vocabulary.PatternKind;
import io.strideback.events.vocabulary.Side;
import io.strideback.events.vocabulary.SymptomContext;
import io.strideback.support.messaging.DeadLetterBounds;
import io.strideback.testing.KafkaResource;
import io.strideback.testing.LocalKeysResource;
import io.strideback.testing.PostgresResource;
import io.strideback.testing.Tokens;
import io.strideback.testing.TopicRecords;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/**
 * plan-service's two channels on a real broker and PostgreSQL (issue 12): an unreadable record and
 * a proposal the database refuses are parked on their DLQs with the reason, and the records after
 * them are applied.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "plan"))
@QuarkusTestResource(LocalKeysResource.class)
class PoisonProofPlanConsumersTest {

    private static final Instant NOW = Instant.now().minus(Duration.ofHours(1));

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void poison_on_either_channel_is_parked_with_its_reason_and_what_follows_is_applied() {
        String clinic = "clinic-" + UUID.randomUUID();
        ProducerRecord<String, byte[]> unreadable = new ProducerRecord<>(Topic.ATHLETE_ACTIVITY.topicName(),
                clinic + "/runner-1", "{not json".getBytes(StandardCharsets.UTF_8));
        String unreadableId = UUID.randomUUID().toString();
        for (var h : Map.of(EventCodec.ID, unreadableId, EventCodec.TYPE, "athlete.enrolled", EventCodec.SOURCE, "/test",
                EventCodec.TIME, NOW.toString(), EventCodec.SUBJECT, "runner-1", EventCodec.CLINIC, clinic).entrySet()) {
            unreadable.headers().add(h.getKey(), h.getValue().getBytes(StandardCharsets.UTF_8));
        }
        EventEnvelope<AthleteEnrolled> enrolment = EventEnvelope.of(EventType.ATHLETE_ENROLLED, "/test", NOW, clinic,
                "runner-1", new AthleteEnrolled("runner-1", clinic, "Runner", Diagnosis.CALF_STRAIN_SOLEUS, Side.LEFT,
                        LocalDate.now().minusDays(20), null, NOW));
        TopicRecords.send(bootstrap, unreadable, EventCodec.toRecord(enrolment));

        EventEnvelope<AdjustmentProposed> refused = proposal(clinic, "a reason with a NUL \u0000 in it");
        EventEnvelope<AdjustmentProposed> fine = proposal(clinic, "Red flag: refer");
        TopicRecords.send(bootstrap, EventCodec.toRecord(refused), EventCodec.toRecord(fine));

        ConsumerRecord<String, byte[]> parkedActivity = TopicRecords.read(bootstrap,
                Topic.ATHLETE_ACTIVITY.deadLetterTopicName(),
                r -> unreadableId.equals(EventCodec.header(r.headers(), EventCodec.ID)), found -> !found.isEmpty(),
                Duration.ofSeconds(90)).get(0);
        assertThat(EventCodec.header(parkedActivity.headers(), Topic.DLQ_REASON_HEADER)).contains("not valid JSON");
        ConsumerRecord<String, byte[]> parkedProposal = TopicRecords.read(bootstrap,
                Topic.PLAN_ADJUSTMENTS.deadLetterTopicName(),
                r -> refused.id().equals(EventCodec.header(r.headers(), EventCodec.ID)), found -> !found.isEmpty(),
                Duration.ofSeconds(90)).get(0);
        assertThat(EventCodec.header(parkedProposal.headers(), Topic.DLQ_REASON_HEADER)).contains("SQLState 22P05");

        await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                given().auth().oauth2(Tokens.issue(clinic, "clinician")).get("/api/v1/athletes/runner-1/plan").then()
                        .statusCode(200)
                        .body("adjustments.adjustmentId", hasItem(fine.data().adjustmentId()))
                        .body("flags.urgentReferral", equalTo(true)));
        given().auth().oauth2(Tokens.issue(clinic, "ops")).get("/api/v1/ops/status").then().statusCode(200)
                .body("consumers.name", hasItem("adjustments"))
                .body("consumers.find { it.name == 'adjustments' }.groupId", equalTo("plan-service-adjustments"))
                .body("consumers.find { it.name == 'activity' }.groupId", equalTo("plan-service-activity-and-record"));
    }

    /**
     * Round 15: a 5 MB record reaches the topic compressed, but the DLQ producer's limit (1 MiB) refused it, the park
     * was retried for ever and the channel applied nothing after it. Parked without its value, the channel goes on.
     */
    @Test
    void a_record_too_large_for_the_dlq_is_parked_without_its_value_and_what_follows_is_applied() {
        String clinic = "clinic-" + UUID.randomUUID();
        byte[] huge = ("{\"athleteId\": \"runner-big\", \"note\": \"" + "x".repeat(5_000_000) + "\u0000\"}")
                .getBytes(StandardCharsets.UTF_8);
        ProducerRecord<String, byte[]> oversized = new ProducerRecord<>(Topic.ATHLETE_ACTIVITY.topicName(),
                clinic + "/runner-big", huge);
        String oversizedId = UUID.randomUUID().toString();
        for (var h : Map.of(EventCodec.ID, oversizedId, EventCodec.TYPE, "athlete.enrolled", EventCodec.SOURCE, "/test",
                EventCodec.TIME, NOW.toString(), EventCodec.SUBJECT, "runner-big", EventCodec.CLINIC, clinic).entrySet()) {
            oversized.headers().add(h.getKey(), h.getValue().getBytes(StandardCharsets.UTF_8));
        }
        String next = TopicRecords.athleteOnTheSamePartitions(bootstrap, clinic, "runner-big", "runner-next-",
                Topic.ATHLETE_ACTIVITY.topicName());
        TopicRecords.sendCompressed(bootstrap, oversized);
        TopicRecords.send(bootstrap, EventCodec.toRecord(EventEnvelope.of(EventType.ATHLETE_ENROLLED, "/test", NOW, clinic,
                next, new AthleteEnrolled(next, clinic, "Runner", Diagnosis.CALF_STRAIN_SOLEUS, Side.LEFT,
                        LocalDate.now().minusDays(20), null, NOW))));

        ConsumerRecord<String, byte[]> parked = TopicRecords.read(bootstrap, Topic.ATHLETE_ACTIVITY.deadLetterTopicName(),
                r -> oversizedId.equals(EventCodec.header(r.headers(), EventCodec.ID)), found -> !found.isEmpty(),
                Duration.ofSeconds(90)).get(0);
        assertThat(EventCodec.header(parked.headers(), Topic.DLQ_REASON_HEADER)).contains("not valid JSON");
        assertThat(parked.value()).isNull();
        assertThat(EventCodec.header(parked.headers(), DeadLetterBounds.VALUE_OMITTED_HEADER))
                .startsWith(huge.length + " bytes").contains(Topic.ATHLETE_ACTIVITY.topicName() + "-");
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                given().auth().oauth2(Tokens.issue(clinic, "clinician")).get("/api/v1/athletes/" + next + "/plan").then()
                        .statusCode(200));
    }

    /**
     * Round 15, from outside: an event under a key other than its athlete's, or of a type of another topic, was applied
     * (or passed over) here while the load monitor parked it, so the two disagreed on the athlete's events. Both are
     * parked with the reason; the next record is applied.
     */
    @Test
    void an_event_under_another_key_or_of_another_topic_is_parked_and_the_next_is_applied() {
        String clinic = "clinic-" + UUID.randomUUID();
        EventEnvelope<AthleteEnrolled> misrouted = enrolment(clinic, "runner-misrouted");
        ProducerRecord<String, byte[]> underAnotherKey = EventCodec.toRecord(misrouted);
        underAnotherKey = new ProducerRecord<>(underAnotherKey.topic(), null, "another-clinic/runner-misrouted",
                underAnotherKey.value(), underAnotherKey.headers());
        EventEnvelope<AthleteEnrolled> mistyped = enrolment(clinic, "runner-mistyped");
        ProducerRecord<String, byte[]> otherTopicsType = EventCodec.toRecord(mistyped);
        otherTopicsType.headers().remove(EventCodec.TYPE);
        otherTopicsType.headers().add(EventCodec.TYPE, "plan.created".getBytes(StandardCharsets.UTF_8));
        EventEnvelope<AthleteEnrolled> fine = enrolment(clinic, "runner-fine");
        TopicRecords.send(bootstrap, underAnotherKey, otherTopicsType, EventCodec.toRecord(fine));

        List<ConsumerRecord<String, byte[]>> parked = TopicRecords.read(bootstrap,
                Topic.ATHLETE_ACTIVITY.deadLetterTopicName(),
                r -> List.of(misrouted.id(), mistyped.id()).contains(EventCodec.header(r.headers(), EventCodec.ID)),
                found -> found.size() == 2, Duration.ofSeconds(90));
        assertThat(parked).extracting(r -> EventCodec.header(r.headers(), Topic.DLQ_REASON_HEADER)).containsExactlyInAnyOrder(
                "athlete.enrolled " + misrouted.id() + " has key 'another-clinic/runner-misrouted', not its athlete's '"
                        + clinic + "/runner-misrouted'",
                "plan.created " + mistyped.id() + " is not an event of strideback.athlete-activity.v1");
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                given().auth().oauth2(Tokens.issue(clinic, "clinician")).get("/api/v1/athletes/runner-fine/plan").then()
                        .statusCode(200));
        given().auth().oauth2(Tokens.issue(clinic, "clinician")).get("/api/v1/athletes/runner-misrouted/plan").then()
                .statusCode(404);
    }

    /**
     * Round 15, from outside: a proposal without a type, for an athlete not enrolled yet, was kept to wait for the plan;
     * the enrolment then failed on it ("An adjustment needs an id and a type"), was only logged, and no plan was ever
     * made. The proposal is parked with its reason and the enrolment makes the plan.
     */
    @Test
    void a_proposal_without_a_type_is_parked_and_does_not_stop_the_athletes_enrolment() {
        String clinic = "clinic-" + UUID.randomUUID();
        String id = UUID.randomUUID().toString();
        AdjustmentProposed untyped = new AdjustmentProposed(id, "runner-1", clinic, null, PatternKind.RED_FLAG,
                "RED_FLAG_REPORTED", Map.of(), List.of(), "no type", NOW);
        EventEnvelope<AdjustmentProposed> proposal = new EventEnvelope<>(id, EventType.PLAN_ADJUSTMENT_PROPOSED, "/test",
                NOW, "runner-1", clinic, EventType.CURRENT_SCHEMA_VERSION, untyped);
        TopicRecords.send(bootstrap, EventCodec.toRecord(proposal));
        ConsumerRecord<String, byte[]> parked = TopicRecords.read(bootstrap, Topic.PLAN_ADJUSTMENTS.deadLetterTopicName(),
                r -> id.equals(EventCodec.header(r.headers(), EventCodec.ID)), found -> !found.isEmpty(),
                Duration.ofSeconds(90)).get(0);
        assertThat(EventCodec.header(parked.headers(), Topic.DLQ_REASON_HEADER))
                .startsWith("plan.adjustment.proposed " + id + " refused: ").endsWith("no adjustmentId or no type");

        TopicRecords.send(bootstrap, EventCodec.toRecord(enrolment(clinic, "runner-1")));

        await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                given().auth().oauth2(Tokens.issue(clinic, "clinician")).get("/api/v1/athletes/runner-1/plan").then()
                        .statusCode(200));
    }

    /**
     * Round 17, rogue writers: a record under a ce_id already taken with another body was deduplicated as a retry and
     * dropped without a trace. On either channel and in the clinical record it is parked naming the id and the first
     * stands; the same bytes again (a redelivery) stay a quiet duplicate.
     */
    @Test
    void a_taken_id_with_another_body_is_parked_on_either_channel_and_a_redelivery_stays_quiet() {
        String clinic = "clinic-" + UUID.randomUUID();
        EventEnvelope<AthleteEnrolled> enrolment = enrolment(clinic, "runner-1");
        EventEnvelope<AthleteEnrolled> otherEnrolment = new EventEnvelope<>(enrolment.id(), EventType.ATHLETE_ENROLLED,
                "/test", NOW, "runner-1", clinic, EventType.CURRENT_SCHEMA_VERSION, new AthleteEnrolled("runner-1",
                clinic, "Runner", Diagnosis.NEURAL_TENSION, Side.RIGHT, LocalDate.now().minusDays(20), null, NOW));
        EventEnvelope<SymptomReported> symptom = symptom(clinic, "runner-1", 3, null);
        EventEnvelope<SymptomReported> otherSymptom = new EventEnvelope<>(symptom.id(), EventType.SYMPTOM_REPORTED,
                "/test", NOW, "runner-1", clinic, EventType.CURRENT_SCHEMA_VERSION, symptom(clinic, "runner-1", 9, null)
                .data());
        TopicRecords.send(bootstrap, EventCodec.toRecord(enrolment), EventCodec.toRecord(enrolment),
                EventCodec.toRecord(symptom), EventCodec.toRecord(symptom), EventCodec.toRecord(otherEnrolment),
                EventCodec.toRecord(otherSymptom));
        EventEnvelope<AdjustmentProposed> proposal = proposal(clinic, "Red flag: refer");
        EventEnvelope<AdjustmentProposed> otherProposal = new EventEnvelope<>(proposal.id(),
                EventType.PLAN_ADJUSTMENT_PROPOSED, "/test", NOW, "runner-1", clinic, EventType.CURRENT_SCHEMA_VERSION,
                proposal(clinic, "Another reason").data());
        TopicRecords.send(bootstrap, EventCodec.toRecord(proposal), EventCodec.toRecord(proposal),
                EventCodec.toRecord(otherProposal));

        List<ConsumerRecord<String, byte[]>> parkedActivity = TopicRecords.read(bootstrap,
                Topic.ATHLETE_ACTIVITY.deadLetterTopicName(),
                r -> List.of(enrolment.id(), symptom.id()).contains(EventCodec.header(r.headers(), EventCodec.ID)),
                found -> found.size() >= 2, Duration.ofSeconds(90));
        assertThat(parkedActivity).extracting(r -> EventCodec.header(r.headers(), Topic.DLQ_REASON_HEADER))
                .satisfiesExactlyInAnyOrder(
                        reason -> assertThat(reason).startsWith("athlete.enrolled " + enrolment.id() + " refused: ")
                                .contains("ce_id '" + enrolment.id() + "' reused with another body"),
                        reason -> assertThat(reason).startsWith("symptom.reported " + symptom.id() + " refused: ")
                                .contains("ce_id '" + symptom.id() + "' reused with another body"));
        assertThat(parkedActivity).allSatisfy(r -> assertThat(r.value()).isNotNull());
        ConsumerRecord<String, byte[]> parkedProposal = TopicRecords.read(bootstrap,
                Topic.PLAN_ADJUSTMENTS.deadLetterTopicName(),
                r -> proposal.id().equals(EventCodec.header(r.headers(), EventCodec.ID)), found -> !found.isEmpty(),
                Duration.ofSeconds(90)).get(0);
        assertThat(EventCodec.header(parkedProposal.headers(), Topic.DLQ_REASON_HEADER))
                .contains("ce_id '" + proposal.id() + "' reused with another body");
        given().auth().oauth2(Tokens.issue(clinic, "clinician")).get("/api/v1/athletes/runner-1/plan").then()
                .statusCode(200).body("diagnosis", equalTo("CALF_STRAIN_SOLEUS"))
                .body("adjustments.find { it.adjustmentId == '" + proposal.data().adjustmentId() + "' }.reason",
                        containsString("red flag: refer"));
    }

    /**
     * Round 17, rogue writers: an enrolment whose data names another athlete than its headers and key was applied to
     * the athlete of its data; a lone surrogate in a note was stored as '?'. Both are parked with the reason.
     */
    @Test
    void data_naming_another_athlete_or_holding_a_lone_surrogate_is_parked_and_nothing_of_it_stored() {
        String clinic = "clinic-" + UUID.randomUUID();
        EventEnvelope<AthleteEnrolled> foreign = new EventEnvelope<>(UUID.randomUUID().toString(),
                EventType.ATHLETE_ENROLLED, "/test", NOW, "runner-1", clinic, EventType.CURRENT_SCHEMA_VERSION,
                enrolment(clinic, "runner-other").data());
        ProducerRecord<String, byte[]> surrogateRecord = EventCodec.toRecord(symptom(clinic, "runner-1", 4, "x"));
        surrogateRecord = new ProducerRecord<>(surrogateRecord.topic(), null, surrogateRecord.key(),
                new String(surrogateRecord.value(), StandardCharsets.UTF_8)
                        .replace("\"note\":\"x\"", "\"note\":\"before \\ud800 after\"")
                        .getBytes(StandardCharsets.UTF_8), surrogateRecord.headers());
        String surrogateId = EventCodec.header(surrogateRecord.headers(), EventCodec.ID);
        TopicRecords.send(bootstrap, EventCodec.toRecord(foreign), surrogateRecord,
                EventCodec.toRecord(enrolment(clinic, "runner-1")));

        List<ConsumerRecord<String, byte[]>> parked = TopicRecords.read(bootstrap,
                Topic.ATHLETE_ACTIVITY.deadLetterTopicName(),
                r -> List.of(foreign.id(), surrogateId).contains(EventCodec.header(r.headers(), EventCodec.ID)),
                found -> found.size() >= 2, Duration.ofSeconds(90));
        assertThat(parked).extracting(r -> EventCodec.header(r.headers(), Topic.DLQ_REASON_HEADER))
                .containsExactlyInAnyOrder(
                        "athlete.enrolled " + foreign.id() + " names athlete 'runner-other' in its data, not its"
                                + " ce_subject 'runner-1'",
                        "data of symptom.reported holds an unpaired UTF-16 surrogate in note");
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                given().auth().oauth2(Tokens.issue(clinic, "clinician")).get("/api/v1/athletes/runner-1/plan").then()
                        .statusCode(200));
        given().auth().oauth2(Tokens.issue(clinic, "clinician")).get("/api/v1/athletes/runner-other/plan").then()
                .statusCode(404);
    }

    private static EventEnvelope<SymptomReported> symptom(String clinic, String athlete, int pain, String note) {
        return EventEnvelope.of(EventType.SYMPTOM_REPORTED, "/test", NOW, clinic, athlete, new SymptomReported(athlete,
                clinic, NOW, pain, Side.LEFT, PainLocation.MID_CALF, List.of(), SymptomContext.AT_REST, List.of(),
                note));
    }

    private static EventEnvelope<AthleteEnrolled> enrolment(String clinic, String athlete) {
        return EventEnvelope.of(EventType.ATHLETE_ENROLLED, "/test", NOW, clinic, athlete, new AthleteEnrolled(athlete,
                clinic, "Runner", Diagnosis.CALF_STRAIN_SOLEUS, Side.LEFT, LocalDate.now().minusDays(20), null, NOW));
    }

    private static EventEnvelope<AdjustmentProposed> proposal(String clinic, String reason) {
        String id = UUID.randomUUID().toString();
        AdjustmentProposed p = new AdjustmentProposed(id, "runner-1", clinic, AdjustmentType.URGENT_REFERRAL,
                PatternKind.RED_FLAG, "RED_FLAG_REPORTED", Map.of(), List.of(), reason, NOW);
        return new EventEnvelope<>(id, EventType.PLAN_ADJUSTMENT_PROPOSED, "/test", NOW, "runner-1", clinic,
                EventType.CURRENT_SCHEMA_VERSION, p);
    }
}
