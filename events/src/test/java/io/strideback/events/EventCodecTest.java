package io.strideback.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strideback.events.ActivityEvents.SymptomReported;
import io.strideback.events.vocabulary.PainLocation;
import io.strideback.events.vocabulary.RedFlag;
import io.strideback.events.vocabulary.SymptomContext;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/** Issue #15: the current version's data is bound in one parse; it reads and refuses exactly as before. */
class EventCodecTest {

    private static final SymptomReported SYMPTOM = new SymptomReported("ath-1", "clinic-1",
            Instant.parse("2026-11-30T07:15:00Z"), 6, null, PainLocation.MID_CALF, List.of(), SymptomContext.DURING_RUN,
            List.of(RedFlag.SEVERE_TENDERNESS), null);

    private static EventEnvelope<SymptomReported> symptom() {
        return new EventEnvelope<>("evt-1", EventType.SYMPTOM_REPORTED, "/test", Instant.parse("2026-11-30T07:16:00Z"),
                "ath-1", "clinic-1", EventType.CURRENT_SCHEMA_VERSION, SYMPTOM);
    }

    @Test
    void an_event_written_at_the_current_version_reads_back_equal() {
        ProducerRecord<String, byte[]> record = EventCodec.toRecord(symptom());

        EventEnvelope<?> read = EventCodec.fromParts(record.headers(), record.value());

        assertThat(read).isEqualTo(symptom());
    }

    @Test
    void a_type_of_another_topic_is_not_an_event_of_this_one_and_an_unknown_or_own_type_is_left_to_the_reader() {
        ProducerRecord<String, byte[]> record = EventCodec.toRecord(symptom());

        assertThat(EventCodec.notAnEventOf(Topic.ATHLETE_ACTIVITY, record.headers())).isNull();
        assertThat(EventCodec.notAnEventOf(Topic.PLAN_ADJUSTMENTS, record.headers()))
                .isEqualTo("symptom.reported evt-1 is not an event of strideback.plan-adjustments.v1");
        record.headers().remove(EventCodec.TYPE);
        assertThat(EventCodec.notAnEventOf(Topic.PLAN_ADJUSTMENTS, record.headers())).isNull();
        record.headers().add(EventCodec.TYPE, "symptom.imagined".getBytes(StandardCharsets.UTF_8));
        assertThat(EventCodec.notAnEventOf(Topic.PLAN_ADJUSTMENTS, record.headers())).isNull();
    }

    @Test
    void data_that_is_not_an_object_is_refused_as_not_a_json_object() {
        ProducerRecord<String, byte[]> record = EventCodec.toRecord(symptom());

        for (String data : List.of("[1, 2]", "null", "6", "")) {
            assertThatThrownBy(() -> EventCodec.fromParts(record.headers(), data.getBytes(StandardCharsets.UTF_8)))
                    .as(data).isInstanceOf(UnreadableEventException.class)
                    .hasMessage("data of symptom.reported is not a JSON object");
        }
    }

    @Test
    void broken_json_or_a_value_of_the_wrong_shape_is_refused_as_not_valid_json() {
        ProducerRecord<String, byte[]> record = EventCodec.toRecord(symptom());

        for (String data : List.of("{\"pain\": 6, \"note\": \"a\u0000", "{\"pain\": \"six\"}",
                "{\"observedAt\": \"yesterday\"}")) {
            assertThatThrownBy(() -> EventCodec.fromParts(record.headers(), data.getBytes(StandardCharsets.UTF_8)))
                    .as(data).isInstanceOf(UnreadableEventException.class)
                    .hasMessageStartingWith("data of symptom.reported is not valid JSON");
        }
    }

    @Test
    void an_id_subject_or_clinic_header_with_a_control_character_or_bytes_not_utf8_is_unreadable() {
        for (String name : List.of(EventCodec.ID, EventCodec.SUBJECT, EventCodec.CLINIC)) {
            ProducerRecord<String, byte[]> nul = EventCodec.toRecord(symptom());
            nul.headers().remove(name);
            nul.headers().add(name, "evt\u0000-1".getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(() -> EventCodec.fromParts(nul.headers(), nul.value())).as(name)
                    .isInstanceOf(UnreadableEventException.class)
                    .hasMessage("header " + name + " holds a control character (U+0000 at 3)");

            ProducerRecord<String, byte[]> surrogate = EventCodec.toRecord(symptom());
            surrogate.headers().remove(name);
            surrogate.headers().add(name, new byte[] {'e', (byte) 0xED, (byte) 0xA0, (byte) 0x80}); // a lone U+D800, CESU-8
            assertThatThrownBy(() -> EventCodec.fromParts(surrogate.headers(), surrogate.value())).as(name)
                    .isInstanceOf(UnreadableEventException.class).hasMessage("header " + name + " is not UTF-8");
        }
    }

    @Test
    void an_id_with_characters_beyond_ascii_reads_as_written() {
        ProducerRecord<String, byte[]> record = EventCodec.toRecord(symptom());
        record.headers().remove(EventCodec.SUBJECT);
        record.headers().add(EventCodec.SUBJECT, "Åsa-\uD83C\uDFC3-\uFFFD".getBytes(StandardCharsets.UTF_8));

        assertThat(EventCodec.fromParts(record.headers(), record.value()).subject()).isEqualTo("Åsa-\uD83C\uDFC3-\uFFFD");
    }

    @Test
    void unknown_fields_are_ignored() {
        ProducerRecord<String, byte[]> record = EventCodec.toRecord(symptom());
        String data = new String(record.value(), StandardCharsets.UTF_8).replaceFirst("\\{", "{\"addedLater\": {\"x\": [1]}, ");

        EventEnvelope<?> read = EventCodec.fromParts(record.headers(), data.getBytes(StandardCharsets.UTF_8));

        assertThat(read.data()).isEqualTo(SYMPTOM);
    }
}
