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
        String athlete = "Åsa-\uD83C\uDFC3-\uFFFD";
        ProducerRecord<String, byte[]> record = EventCodec.toRecord(new EventEnvelope<>("evt-1",
                EventType.SYMPTOM_REPORTED, "/test", Instant.parse("2026-11-30T07:16:00Z"), athlete, "clinic-1",
                EventType.CURRENT_SCHEMA_VERSION, new SymptomReported(athlete, "clinic-1", SYMPTOM.observedAt(), 6,
                null, PainLocation.MID_CALF, List.of(), SymptomContext.DURING_RUN, List.of(), null)));

        assertThat(EventCodec.fromParts(record.headers(), record.value()).subject()).isEqualTo("Åsa-\uD83C\uDFC3-\uFFFD");
    }

    @Test
    void unknown_fields_are_ignored() {
        ProducerRecord<String, byte[]> record = EventCodec.toRecord(symptom());
        String data = new String(record.value(), StandardCharsets.UTF_8).replaceFirst("\\{", "{\"addedLater\": {\"x\": [1]}, ");

        EventEnvelope<?> read = EventCodec.fromParts(record.headers(), data.getBytes(StandardCharsets.UTF_8));

        assertThat(read.data()).isEqualTo(SYMPTOM);
    }
    /** Round 17, rogue writers: data naming another athlete or clinic than the headers is never applied to it. */
    @Test
    void data_naming_another_athlete_or_clinic_than_its_headers_is_refused_naming_both() {
        ProducerRecord<String, byte[]> otherAthlete = EventCodec.toRecord(new EventEnvelope<>("evt-1",
                EventType.SYMPTOM_REPORTED, "/test", Instant.parse("2026-11-30T07:16:00Z"), "ath-1", "clinic-1",
                EventType.CURRENT_SCHEMA_VERSION, new SymptomReported("ath-2", "clinic-1", SYMPTOM.observedAt(), 6,
                null, PainLocation.MID_CALF, List.of(), SymptomContext.DURING_RUN, List.of(), null)));
        ProducerRecord<String, byte[]> otherClinic = EventCodec.toRecord(new EventEnvelope<>("evt-2",
                EventType.SYMPTOM_REPORTED, "/test", Instant.parse("2026-11-30T07:16:00Z"), "ath-1", "clinic-1",
                EventType.CURRENT_SCHEMA_VERSION, new SymptomReported("ath-1", "clinic-2", SYMPTOM.observedAt(), 6,
                null, PainLocation.MID_CALF, List.of(), SymptomContext.DURING_RUN, List.of(), null)));
        byte[] noAthlete = "{\"clinicId\": \"clinic-1\", \"pain\": 6}".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> EventCodec.fromParts(otherAthlete.headers(), otherAthlete.value()))
                .isInstanceOf(UnreadableEventException.class)
                .hasMessage("symptom.reported evt-1 names athlete 'ath-2' in its data, not its ce_subject 'ath-1'");
        assertThatThrownBy(() -> EventCodec.fromParts(otherClinic.headers(), otherClinic.value()))
                .isInstanceOf(UnreadableEventException.class)
                .hasMessage("symptom.reported evt-2 names clinic 'clinic-2' in its data, not its ce_clinic 'clinic-1'");
        assertThatThrownBy(() -> EventCodec.fromParts(otherAthlete.headers(), noAthlete))
                .isInstanceOf(UnreadableEventException.class)
                .hasMessage("symptom.reported evt-1 names athlete (none) in its data, not its ce_subject 'ath-1'");
    }

    /**
     * Round 17, rogue writers: a lone surrogate, escaped or encoded in three bytes, is refused naming its field; a
     * pair (an emoji) and an escaped backslash before a u are data like any other.
     */
    @Test
    void an_unpaired_surrogate_in_the_data_is_refused_naming_the_field_and_a_pair_is_read() {
        ProducerRecord<String, byte[]> record = EventCodec.toRecord(symptom());
        String json = new String(record.value(), StandardCharsets.UTF_8);
        String bs = "\\";

        for (String note : List.of(bs + "ud800", "a" + bs + "udc00b", bs + "ud83d" + bs + "u0041", bs + "ud83d")) {
            byte[] value = json.replace("\"pain\":6", "\"pain\":6,\"note\":\"" + note + "\"")
                    .getBytes(StandardCharsets.UTF_8);
            assertThat(EventCodec.unpairedSurrogateAt(value)).as(note).isPositive();
            assertThatThrownBy(() -> EventCodec.fromParts(record.headers(), value)).as(note)
                    .isInstanceOf(UnreadableEventException.class)
                    .hasMessage("data of symptom.reported holds an unpaired UTF-16 surrogate in note");
        }
        byte[] raw = json.replace("\"character\":[]", "\"character\":[\"PULLING\",\"x\"]")
                .getBytes(StandardCharsets.UTF_8);
        byte[] encoded = new byte[raw.length + 3];
        int at = new String(raw, StandardCharsets.UTF_8).indexOf("\"x\"") + 2;
        System.arraycopy(raw, 0, encoded, 0, at);
        encoded[at] = (byte) 0xED;
        encoded[at + 1] = (byte) 0xA0;
        encoded[at + 2] = (byte) 0x80;
        System.arraycopy(raw, at, encoded, at + 3, raw.length - at);
        assertThatThrownBy(() -> EventCodec.fromParts(record.headers(), encoded))
                .isInstanceOf(UnreadableEventException.class)
                .hasMessage("data of symptom.reported holds an unpaired UTF-16 surrogate at byte " + at);

        for (String note : List.of(bs + "ud83d" + bs + "ude00", bs + bs + "ud800", "\ud83d\ude00")) {
            byte[] value = json.replace("\"pain\":6", "\"pain\":6,\"note\":\"" + note + "\"")
                    .getBytes(StandardCharsets.UTF_8);
            assertThat(EventCodec.unpairedSurrogateAt(value)).as(note).isEqualTo(-1);
            assertThat(EventCodec.fromParts(record.headers(), value).data()).as(note).isNotNull();
        }
    }
    /** Round 17: a retry (the same bytes) and a row kept without a digest pass; another body is named with both. */
    @Test
    void a_taken_id_with_another_body_is_a_reuse_and_the_same_body_or_no_kept_digest_is_a_retry() {
        byte[] first = EventCodec.bodyDigest("{\"pain\":6}".getBytes(StandardCharsets.UTF_8));
        byte[] same = EventCodec.bodyDigest("{\"pain\":6}".getBytes(StandardCharsets.UTF_8));
        byte[] other = EventCodec.bodyDigest("{\"pain\":7}".getBytes(StandardCharsets.UTF_8));

        assertThat(first).hasSize(16);
        assertThat(EventCodec.idReused("evt-1", first, same)).isNull();
        assertThat(EventCodec.idReused("evt-1", null, other)).isNull();
        assertThat(EventCodec.idReused("evt-1", first, other)).startsWith("ce_id 'evt-1' reused with another body")
                .contains(java.util.HexFormat.of().formatHex(first, 0, 8))
                .contains(java.util.HexFormat.of().formatHex(other, 0, 8));
    }

    /** Round 18: one digest per thread (Sha256), reused and reset: the digest stays SHA-256's first 16 bytes. */
    @Test
    void the_body_digest_is_the_first_16_bytes_of_sha256_again_after_another_body_and_on_another_thread() throws Exception {
        byte[] value = "{\"pain\":6}".getBytes(StandardCharsets.UTF_8);
        byte[] expected = java.util.Arrays.copyOf(java.security.MessageDigest.getInstance("SHA-256").digest(value), 16);

        byte[] first = EventCodec.bodyDigest(value);
        EventCodec.bodyDigest("{\"pain\":7}".getBytes(StandardCharsets.UTF_8));
        Sha256.ofThisThread().update(value); // left half-fed: the next use starts afresh
        byte[] again = EventCodec.bodyDigest(value);
        byte[] elsewhere = java.util.concurrent.CompletableFuture.supplyAsync(() -> EventCodec.bodyDigest(value)).join();

        assertThat(first).isEqualTo(expected);
        assertThat(again).isEqualTo(expected);
        assertThat(elsewhere).isEqualTo(expected);
        assertThat(EventCodec.bodyDigest(null)).isEqualTo(java.util.Arrays.copyOf(
                java.security.MessageDigest.getInstance("SHA-256").digest(new byte[0]), 16));
    }
}
