package io.strideback.plan.messaging;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.strideback.events.ActivityEvents.AthleteEnrolled;
import io.strideback.events.ActivityEvents.AthleteErased;
import io.strideback.events.ActivityEvents.SymptomReported;
import io.strideback.events.EventCodec;
import io.strideback.events.EventEnvelope;
import io.strideback.events.EventType;
import io.strideback.events.Topic;
import io.strideback.events.vocabulary.Diagnosis;
import io.strideback.events.vocabulary.PainCharacter;
import io.strideback.events.vocabulary.PainLocation;
import io.strideback.events.vocabulary.Side;
import io.strideback.events.vocabulary.SymptomContext;
import io.strideback.testing.KafkaResource;
import io.strideback.testing.LocalKeysResource;
import io.strideback.testing.PostgresResource;
import io.strideback.testing.TopicRecords;
import jakarta.inject.Inject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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
 * Issue 15: the clinical record's channel stores a poll of the activity topic in one statement, with the rules it had
 * one record at a time. Given two athletes' symptoms sent in one burst, one of them with a note the database refuses,
 * and the first athlete erased in the middle of it: the refused symptom is parked on the DLQ with its reason and
 * every other symptom of the second athlete is kept once; the erased athlete keeps nothing, neither what came before
 * the erasure nor what came after it. A symptom whose data carries a field this service does not know, holding a NUL
 * (jsonb refuses it), is kept with its known fields; one holding a lone surrogate is parked naming the field (round 17:
 * only a rogue writer sends one, and no reader keeps it altered). The same burst again changes nothing.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "plan"))
@QuarkusTestResource(LocalKeysResource.class)
class ClinicalRecordBatchTest {

    private static final Instant NOW = Instant.now().minus(Duration.ofHours(1));

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @Inject
    AgroalDataSource dataSource;

    private final String clinic = "record-" + UUID.randomUUID();
    private final String erased = "runner-e";
    private final String kept = "runner-k";

    @Test
    void a_poll_is_stored_at_once_the_refused_symptom_alone_is_parked_and_an_erasure_in_it_keeps_nothing()
            throws Exception {
        List<ProducerRecord<String, byte[]>> burst = new ArrayList<>();
        burst.add(EventCodec.toRecord(enrolment(erased)));
        burst.add(EventCodec.toRecord(enrolment(kept)));
        List<String> keptIds = new ArrayList<>();
        String refusedId = null;
        String surrogateId = null;
        List<String> withUnknownFields = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            EventEnvelope<SymptomReported> before = symptom(erased, i, "before the erasure");
            burst.add(EventCodec.toRecord(before));
            EventEnvelope<SymptomReported> other = symptom(kept, i, "sore after the hills");
            burst.add(EventCodec.toRecord(other));
            keptIds.add(other.id());
            if (i == 10) {
                EventEnvelope<SymptomReported> refused = symptom(kept, i, "a note with a NUL \u0000 in it");
                refusedId = refused.id();
                burst.add(EventCodec.toRecord(refused));
            }
            if (i == 20) {
                // A newer writer's field this service does not know, holding what jsonb refuses: the entry is kept.
                EventEnvelope<SymptomReported> newer = symptom(kept, i, "from a newer writer");
                withUnknownFields.add(newer.id());
                burst.add(withField(EventCodec.toRecord(newer), "a NUL \u0000 here"));
                keptIds.add(newer.id());
            }
            if (i == 25) {
                // Round 17: a lone surrogate, in any field, known or not, is refused by every reader.
                EventEnvelope<SymptomReported> rogue = symptom(kept, i, "from a rogue writer");
                surrogateId = rogue.id();
                burst.add(withField(EventCodec.toRecord(rogue), "a lone \ud800 surrogate"));
            }
        }
        burst.add(EventCodec.toRecord(EventEnvelope.of(EventType.ATHLETE_ERASED, "/strideback/intake-service",
                NOW.plusSeconds(3600), clinic, erased, new AthleteErased(erased, clinic, NOW.plusSeconds(3600), "admin"))));
        for (int i = 30; i < 40; i++) {
            burst.add(EventCodec.toRecord(symptom(erased, i, "after the erasure")));
        }
        TopicRecords.send(bootstrap, burst.toArray(ProducerRecord[]::new));

        String parkedId = refusedId;
        ConsumerRecord<String, byte[]> parked = TopicRecords.read(bootstrap, Topic.ATHLETE_ACTIVITY.deadLetterTopicName(),
                r -> parkedId.equals(EventCodec.header(r.headers(), EventCodec.ID)), found -> !found.isEmpty(),
                Duration.ofSeconds(90)).get(0);
        assertThat(EventCodec.header(parked.headers(), Topic.DLQ_REASON_HEADER)).contains("22P05");
        String parkedSurrogate = surrogateId;
        ConsumerRecord<String, byte[]> surrogate = TopicRecords.read(bootstrap,
                Topic.ATHLETE_ACTIVITY.deadLetterTopicName(),
                r -> parkedSurrogate.equals(EventCodec.header(r.headers(), EventCodec.ID)), found -> !found.isEmpty(),
                Duration.ofSeconds(90)).get(0);
        assertThat(EventCodec.header(surrogate.headers(), Topic.DLQ_REASON_HEADER))
                .isEqualTo("data of symptom.reported holds an unpaired UTF-16 surrogate in futureNote");
        await().atMost(Duration.ofSeconds(90)).until(() -> entries(kept) == keptIds.size());
        await().atMost(Duration.ofSeconds(90)).until(() -> count("SELECT count(*) FROM erased_athlete"
                + " WHERE clinic_id = ? AND athlete_id = ?", erased) == 1);
        assertThat(count("SELECT count(*) FROM clinical_entry WHERE clinic_id = ? AND event_id = ANY(?)", keptIds))
                .as("each of the kept athlete's symptoms once").isEqualTo(keptIds.size());
        assertThat(count("SELECT count(*) FROM clinical_entry WHERE clinic_id = ? AND event_id = ?", refusedId)).isZero();
        assertThat(count("SELECT count(*) FROM clinical_entry WHERE clinic_id = ? AND event_id = ?", surrogateId))
                .isZero();
        ProducerRecord<String, byte[]> firstKept = burst.stream()
                .filter(r -> keptIds.get(0).equals(EventCodec.header(r.headers(), EventCodec.ID))).findFirst().orElseThrow();
        assertThat(storedData(keptIds.get(0)))
                .as("the data stored as the record carried it (issue 15: not written out again), the same JSON")
                .isEqualTo(EventCodec.JSON.readTree(firstKept.value()));
        assertThat(count("SELECT count(*) FROM clinical_athlete WHERE clinic_id = ? AND athlete_id = ?", kept)).isOne();
        for (String newerId : withUnknownFields) {
            ProducerRecord<String, byte[]> newer = burst.stream()
                    .filter(r -> newerId.equals(EventCodec.header(r.headers(), EventCodec.ID))).findFirst().orElseThrow();
            com.fasterxml.jackson.databind.node.ObjectNode known = (com.fasterxml.jackson.databind.node.ObjectNode)
                    EventCodec.JSON.readTree(newer.value());
            assertThat(known.remove("futureNote")).as("the record as sent carries the unknown field").isNotNull();
            assertThat(storedData(newerId)).as("an entry whose unknown field jsonb refuses: kept, its known fields as sent")
                    .isEqualTo(known);
        }

        // The same burst again, then a marker on every partition after it: once all markers are in, the channel has
        // read everything before them.
        List<ProducerRecord<String, byte[]>> again = new ArrayList<>(burst);
        List<String> markers = new ArrayList<>();
        for (int p = 0; p < partitions(); p++) {
            EventEnvelope<SymptomReported> marker = symptom("runner-m" + p, 50, "a marker");
            ProducerRecord<String, byte[]> r = EventCodec.toRecord(marker);
            again.add(new ProducerRecord<>(r.topic(), p, r.key(), r.value(), r.headers()));
            markers.add(marker.id());
        }
        TopicRecords.send(bootstrap, again.toArray(ProducerRecord[]::new));
        await().atMost(Duration.ofSeconds(90)).until(() -> count(
                "SELECT count(*) FROM clinical_entry WHERE clinic_id = ? AND event_id = ANY(?)", markers) == markers.size());
        assertThat(entries(erased)).as("the erased athlete's record, before, after and again").isZero();
        assertThat(count("SELECT count(*) FROM clinical_athlete WHERE clinic_id = ? AND athlete_id = ?", erased)).isZero();
        assertThat(entries(kept)).as("a redelivered poll adds nothing").isEqualTo(keptIds.size());
    }

    /** The record with a field this service does not know added to its data, as a newer writer would send it. */
    private static ProducerRecord<String, byte[]> withField(ProducerRecord<String, byte[]> record, String value)
            throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode data = (com.fasterxml.jackson.databind.node.ObjectNode)
                EventCodec.JSON.readTree(record.value());
        data.put("futureNote", value);
        return new ProducerRecord<>(record.topic(), record.partition(), record.key(), EventCodec.JSON.writeValueAsBytes(data),
                record.headers());
    }

    private int partitions() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            return admin.describeTopics(List.of(Topic.ATHLETE_ACTIVITY.topicName())).allTopicNames().get()
                    .get(Topic.ATHLETE_ACTIVITY.topicName()).partitions().size();
        }
    }

    private EventEnvelope<AthleteEnrolled> enrolment(String athleteId) {
        return EventEnvelope.of(EventType.ATHLETE_ENROLLED, "/test", NOW, clinic, athleteId,
                new AthleteEnrolled(athleteId, clinic, "Runner", Diagnosis.CALF_STRAIN_SOLEUS, Side.LEFT,
                        LocalDate.now().minusDays(20), 5.0, NOW, null));
    }

    private EventEnvelope<SymptomReported> symptom(String athleteId, int minute, String note) {
        Instant at = NOW.plusSeconds(60L * minute);
        return EventEnvelope.of(EventType.SYMPTOM_REPORTED, "/test", at, clinic, athleteId,
                new SymptomReported(athleteId, clinic, at, 2, Side.LEFT, PainLocation.MID_CALF,
                        List.of(PainCharacter.TIGHTNESS), SymptomContext.AFTER_RUN, List.of(), note));
    }

    private com.fasterxml.jackson.databind.JsonNode storedData(String eventId) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT data::text FROM clinical_entry WHERE clinic_id = ? AND event_id = ?")) {
            ps.setString(1, clinic);
            ps.setString(2, eventId);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return EventCodec.JSON.readTree(rs.getString(1));
            }
        }
    }

    private long entries(String athleteId) throws Exception {
        return count("SELECT count(*) FROM clinical_entry WHERE clinic_id = ? AND athlete_id = ?", athleteId);
    }

    private long count(String sql, Object value) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, clinic);
            if (value instanceof List<?> values) {
                ps.setArray(2, c.createArrayOf("text", values.toArray()));
            } else {
                ps.setString(2, (String) value);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
