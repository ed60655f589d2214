package io.strideback.events;

import io.strideback.events.vocabulary.ContractInstants;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.deser.DefaultDeserializationContext;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Issue 15: instants read without DateTimeFormatter give Instant.parse's and Jackson's own answers and refusals. */
class IsoInstantsTest {

    /** The contract's mapper as it was before the fast reader: the answers to match. */
    private static final ObjectMapper BEFORE = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .build();

    private static final List<String> ODD = List.of(
            "2026-11-30T07:15:00Z", "2026-11-30T07:15:00.1Z", "2026-11-30T07:15:00.123456789Z",
            "2024-02-29T23:59:59.999Z", "2000-02-29T00:00:00Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59Z",
            "2026-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2026-04-31T00:00:00Z", "2026-00-10T00:00:00Z",
            "2026-13-10T00:00:00Z", "2026-11-00T00:00:00Z", "2026-11-30T24:00:00Z", "2026-11-30T23:60:00Z",
            "2026-12-31T23:59:60Z", "2026-11-30T07:15:00.Z", "2026-11-30T07:15:00.1234567890Z",
            "2026-11-30T07:15:00+01:00", "2026-11-30T07:15:00+00:00", "2026-11-30T07:15:00z", "2026-11-30t07:15:00Z",
            " 2026-11-30T07:15:00Z", "2026-11-30T07:15:00Z ", "+12026-11-30T07:15:00Z", "-0001-11-30T07:15:00Z",
            "2026-11-30T07:15Z", "2026-11-30 07:15:00Z", "2026-1-30T07:15:00Z", "2026-11-30T07:15:0aZ",
            "2026-11-30T07:15:00,5Z", "", "Z", "yesterday", "2026-11-30T07:15:00.12a4Z");

    @Test
    void every_instant_written_by_the_contract_reads_back_as_instant_parse_reads_it() {
        Random random = new Random(15);
        for (int i = 0; i < 200_000; i++) {
            long second = random.nextLong(Instant.parse("0000-01-01T00:00:00Z").getEpochSecond(),
                    Instant.parse("9999-12-31T23:59:59Z").getEpochSecond());
            int nano = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            String text = Instant.ofEpochSecond(second, nano).toString();
            assertThat(ContractInstants.read(text)).as(text).isEqualTo(Instant.parse(text));
        }
    }

    @Test
    void odd_text_gets_instant_parse_s_answer_or_its_refusal() {
        for (String text : ODD) {
            Instant expected;
            try {
                expected = Instant.parse(text);
            } catch (DateTimeParseException e) {
                assertThatThrownBy(() -> IsoInstants.parse(text)).as(text).isInstanceOf(DateTimeParseException.class)
                        .hasMessage(e.getMessage());
                continue;
            }
            assertThat(IsoInstants.parse(text)).as(text).isEqualTo(expected);
        }
    }

    @Test
    void the_contract_s_mapper_reads_instants_in_json_as_jackson_s_own_reader_did() throws Exception {
        List<String> json = new ArrayList<>();
        for (String text : ODD) {
            json.add(BEFORE.writeValueAsString(text));
        }
        json.addAll(List.of("1764486900", "1764486900.123456789", "-5", "null", "\"\"", "true", "[]"));
        for (String value : json) {
            Object expected = answer(BEFORE, value);
            assertThat(answer(EventCodec.JSON, value)).as(value).isEqualTo(expected);
        }
    }

    @Test
    void the_contract_s_mapper_uses_the_fast_reader_for_instants() throws Exception {
        DefaultDeserializationContext context = ((DefaultDeserializationContext) EventCodec.JSON.getDeserializationContext())
                .createInstance(EventCodec.JSON.getDeserializationConfig(), null, null);

        assertThat(context.findRootValueDeserializer(EventCodec.JSON.constructType(Instant.class)))
                .isInstanceOf(IsoInstants.Reader.class);
    }

    /** The instant read, or the class of the refusal (messages name the reader's class). */
    private static Object answer(ObjectMapper mapper, String json) {
        try {
            return mapper.readValue(json, Instant.class);
        } catch (Exception e) {
            return e.getClass();
        }
    }
}
