package io.strideback.support.messaging;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Round 15: what a DLQ cannot take whole is parked without it, saying what was left out and where the record is. */
class DeadLetterBoundsTest {

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
