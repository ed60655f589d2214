package io.strideback.intake.security;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.strideback.events.ActivityEvents.SymptomReported;
import io.strideback.events.EventCodec;
import io.strideback.events.EventEnvelope;
import io.strideback.events.EventType;
import io.strideback.events.SecurityEvents.RevokedBy;
import io.strideback.events.SecurityEvents.TokenRevoked;
import io.strideback.events.Topic;
import io.strideback.events.vocabulary.PainLocation;
import io.strideback.events.vocabulary.Side;
import io.strideback.events.vocabulary.SymptomContext;
import io.strideback.intake.support.Bodies;
import io.strideback.intake.support.IntakeTest;
import io.strideback.intake.support.TestClinic;
import io.strideback.support.messaging.DeadLetterBounds;
import io.strideback.testing.LocalKeys;
import io.strideback.testing.Tokens;
import io.strideback.testing.TopicRecords;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static io.strideback.intake.support.TestClinic.CLINICIAN;
import static io.strideback.intake.support.TestClinic.OPS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Round 19, from outside: a record on the token revocation topic that no service can read was logged and skipped,
 * and one of another type or naming nothing to revoke was ignored without a trace. Each is now parked on
 * {@code strideback.token-revocations.v1.dlq} with its reason, once (by intake, the topic's writer), and the
 * revocations after it still take effect.
 */
@QuarkusTest
class RevocationPoisonTest extends IntakeTest {

    private static final String TOPIC = Topic.TOKEN_REVOCATIONS.topicName();

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void poison_on_the_revocation_topic_is_parked_once_with_its_reason_and_later_revocations_still_apply() {
        String marker = "poison-" + UUID.randomUUID() + "-";
        EventEnvelope<TokenRevoked> good = EventEnvelope.of(EventType.TOKEN_REVOKED, "intake-service", Instant.now(),
                "clinic-x", "jti/" + marker, new TokenRevoked(RevokedBy.TOKEN_ID, marker, Instant.now(), "ops", null));
        ProducerRecord<String, byte[]> goodRecord = EventCodec.toRecord(good);
        EventEnvelope<SymptomReported> symptom = EventEnvelope.of(EventType.SYMPTOM_REPORTED, "intake-service",
                Instant.now(), "clinic-x", "ath-1", new SymptomReported("ath-1", "clinic-x", Instant.now(), 3, Side.LEFT,
                        PainLocation.MID_CALF, List.of(), SymptomContext.AT_REST, List.of(), null));
        TopicRecords.send(bootstrap,
                poison(marker + "not-json", "not json at all".getBytes(StandardCharsets.UTF_8), goodRecord),
                poison(marker + "nul", "{\"kind\": \"TOKEN_ID\", \"value\": \"a\u0000".getBytes(StandardCharsets.UTF_8),
                        goodRecord),
                poison(marker + "no-value", "{\"kind\": \"SUBJECT\", \"revokedAt\": \"2026-12-01T10:00:00Z\"}"
                        .getBytes(StandardCharsets.UTF_8), goodRecord),
                poison(marker + "other-type", EventCodec.toRecord(symptom).value(), EventCodec.toRecord(symptom)),
                new ProducerRecord<>(TOPIC, 0, marker + "no-headers", EventCodec.writeData(good.data())));
        byte[] huge = ("{\"kind\": \"TOKEN_ID\", \"value\": \"" + "x".repeat(3_000_000) + "\u0000\"}")
                .getBytes(StandardCharsets.UTF_8);
        TopicRecords.sendCompressed(bootstrap, poison(marker + "huge", huge, goodRecord));

        // A revocation after the poison still takes effect: the reader went past it.
        TestClinic clinic = new TestClinic();
        String stolen = Tokens.issue(LocalKeys.loadOrCreate(LocalKeys.defaultDir()).getPrivate(),
                "physio-" + UUID.randomUUID(), clinic.id(), List.of(CLINICIAN), Instant.now(),
                Instant.now().plus(Duration.ofHours(1)));
        clinic.as(OPS).body("{\"tokenId\":\"" + Tokens.claim(stolen, "jti") + "\"}").post("/api/v1/ops/revocations")
                .then().statusCode(202);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().auth().oauth2(stolen)
                .contentType(ContentType.JSON).body(Bodies.symptom().toString())
                .post("/api/v1/athletes/nobody/symptoms").then().statusCode(401));

        List<ConsumerRecord<String, byte[]>> parked = TopicRecords.read(bootstrap,
                Topic.TOKEN_REVOCATIONS.deadLetterTopicName(), r -> r.key() != null && r.key().startsWith(marker),
                found -> found.size() >= 6, Duration.ofSeconds(60));
        Map<String, String> reasons = new TreeMap<>();
        parked.forEach(r -> reasons.put(r.key().substring(marker.length()),
                EventCodec.header(r.headers(), Topic.DLQ_REASON_HEADER)));
        assertThat(reasons).containsOnlyKeys("not-json", "nul", "no-value", "other-type", "no-headers", "huge");
        assertThat(reasons.get("no-value")).contains("names nothing to revoke: no value");
        assertThat(reasons.get("other-type")).contains("is not a token revocation");
        assertThat(parked).hasSize(6).allSatisfy(r ->
                assertThat(EventCodec.header(r.headers(), DeadLetterBounds.SOURCE_TOPIC_HEADER)).isEqualTo(TOPIC));
        assertThat(parked).filteredOn(r -> r.key().endsWith("huge")).singleElement()
                .satisfies(r -> assertThat(r.value()).isNull());
    }

    private static ProducerRecord<String, byte[]> poison(String key, byte[] value, ProducerRecord<String, byte[]> like) {
        return new ProducerRecord<>(TOPIC, 0, key, value, new RecordHeaders(like.headers().toArray()));
    }
}
