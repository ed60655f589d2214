package io.strideback.plan.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.strideback.events.EventCodec;
import io.strideback.plan.domain.IsoInstants;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The rebuild's reading of stored instants gives the very instant Jackson's own reading gives (issue 15 item 3). */
class StoredInstantsTest {

    private static final ObjectMapper FAST = EventCodec.JSON.copy().registerModule(StoredInstants.module());

    @Test
    void every_instant_the_codec_writes_reads_back_as_the_same_instant() throws Exception {
        // given instants over four centuries, with no fraction and with 3, 6 and 9 of its digits
        Random random = new Random(15);
        for (int i = 0; i < 20_000; i++) {
            long second = -5_000_000_000L + (long) (random.nextDouble() * 12_000_000_000L);
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant instant = Instant.ofEpochSecond(second, nanos);
            // when written by the codec and read by the fast path, then it is the same instant, and parse agrees
            String json = EventCodec.JSON.writeValueAsString(instant);
            assertThat(FAST.readValue(json, Instant.class)).isEqualTo(instant);
            assertThat(IsoInstants.parse(instant.toString())).as(json).isEqualTo(instant);
        }
    }

    @Test
    void other_shapes_go_to_jacksons_reader_and_read_as_it_reads_them() throws Exception {
        for (String text : List.of("2026-11-30T08:15:30+01:00", "2026-11-30T08:15:30.5Z",
                "+12026-11-30T08:15:30Z", "2024-02-29T23:59:59.000000001Z", "1700000000")) {
            String json = text.matches("\\d+") ? text : "\"" + text + "\"";
            assertThat(FAST.readValue(json, Instant.class)).as(text).isEqualTo(EventCodec.JSON.readValue(json, Instant.class));
        }
        // days and times that do not exist are not made up: the fast path declines them
        for (String text : List.of("2026-02-29T08:15:30Z", "2026-11-31T08:15:30Z", "2026-11-30T24:00:00Z",
                "2026-11-30T08:60:30Z", "2026-11-30T08:15:3xZ", "2026-11-30T08:15:30.Z", "2026-11-30T08:15:30.1234567890Z")) {
            assertThat(IsoInstants.parse(text)).as(text).isNull();
        }
    }
}
