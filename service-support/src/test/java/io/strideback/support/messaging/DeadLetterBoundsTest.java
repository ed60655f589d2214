package io.strideback.support.messaging;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Round 15: what a DLQ cannot take whole is parked without it, saying what was left out and where the record is. */
class DeadLetterBoundsTest {

    /** Round 20: the load monitor says why through this one method too, as every consumer does. */
    @Test
    void a_reason_replaces_the_one_a_record_carried_and_is_kept_printable() {
        RecordHeaders headers = new RecordHeaders();
        headers.add(io.strideback.events.Topic.DLQ_REASON_HEADER, "parked before".getBytes(StandardCharsets.UTF_8));

        DeadLetterBounds.reason(headers, "analysis failed:\nline two\u0000");

        assertThat(headers.headers(io.strideback.events.Topic.DLQ_REASON_HEADER)).hasSize(1);
        assertThat(new String(headers.lastHeader(io.strideback.events.Topic.DLQ_REASON_HEADER).value(),
                StandardCharsets.UTF_8)).isEqualTo("analysis failed:?line two?");
    }

    @Test
    void a_value_within_the_bound_is_parked_as_it_is() {
        RecordHeaders headers = where();
        byte[] value = new byte[DeadLetterBounds.MAX_VALUE_BYTES];

        assertThat(new DeadLetterValueSerializer().serialize("t.dlq", headers, value)).isSameAs(value);
        assertThat(headers.lastHeader(DeadLetterBounds.VALUE_OMITTED_HEADER)).isNull();
    }

    @Test
    void a_value_over_the_bound_is_left_out_and_a_header_says_its_size_and_where_the_record_is() {
        RecordHeaders headers = where();

        byte[] parked = new DeadLetterValueSerializer().serialize("t.dlq", headers, new byte[5_000_000]);

        assertThat(parked).isNull();
        assertThat(text(headers, DeadLetterBounds.VALUE_OMITTED_HEADER))
                .isEqualTo("5000000 bytes, over the dead-letter queue's 262144; the whole record is "
                        + "strideback.athlete-activity.v1-2@55 while the topic keeps it");
    }

    @Test
    void a_long_key_and_a_long_header_are_cut_and_named() {
        RecordHeaders headers = where();
        headers.add("ce_id", "i".repeat(100_000).getBytes(StandardCharsets.UTF_8));

        byte[] key = new DeadLetterKeySerializer().serialize("t.dlq", headers, "k".repeat(5_000));
        new DeadLetterValueSerializer().serialize("t.dlq", headers, new byte[10]);

        assertThat(key).hasSize(DeadLetterBounds.MAX_KEY_BYTES);
        assertThat(text(headers, DeadLetterBounds.KEY_CUT_HEADER)).isEqualTo("5000 bytes, cut to 1024");
        assertThat(headers.lastHeader("ce_id").value()).hasSize(1024);
        assertThat(text(headers, DeadLetterBounds.HEADER_CUT_HEADER)).isEqualTo("ce_id: 100000 bytes, cut to 1024");
    }

    private static RecordHeaders where() {
        RecordHeaders headers = new RecordHeaders();
        headers.add(DeadLetterBounds.SOURCE_TOPIC_HEADER, "strideback.athlete-activity.v1".getBytes(StandardCharsets.UTF_8));
        headers.add(DeadLetterBounds.SOURCE_PARTITION_HEADER, "2".getBytes(StandardCharsets.UTF_8));
        headers.add(DeadLetterBounds.SOURCE_OFFSET_HEADER, "55".getBytes(StandardCharsets.UTF_8));
        return headers;
    }

    private static String text(RecordHeaders headers, String name) {
        return new String(headers.lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
