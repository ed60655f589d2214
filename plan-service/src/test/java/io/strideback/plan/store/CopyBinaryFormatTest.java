package io.strideback.plan.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.strideback.events.vocabulary.AdjustmentType;
import io.strideback.events.vocabulary.Diagnosis;
import io.strideback.events.vocabulary.PatternKind;
import io.strideback.events.vocabulary.Side;
import io.strideback.plan.domain.Adjustment;
import io.strideback.plan.domain.ApplyAdjustment;
import io.strideback.plan.domain.ClinicPolicy;
import io.strideback.plan.domain.CreatePlan;
import io.strideback.plan.domain.PlanCommand;
import io.strideback.plan.domain.PlanEvent;
import io.strideback.plan.domain.RehabPlan;
import io.strideback.plan.mapping.PlanView;
import io.strideback.support.rest.ViewJson;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rebuild writes its rows in COPY's binary format (issue 15 item 3): a field count, then each value's length and
 * bytes; any value must survive it, the views' JSON as Jackson writes it.
 */
class CopyBinaryFormatTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void a_row_is_its_field_count_then_each_value_as_its_length_and_bytes() throws Exception {
        // given a row of text holding CSV's delimiters, quotes and line breaks, a bigint, a timestamptz and a JSON value
        CopyRow row = new CopyRow().start().text("c\u001e,\"x\n").number(42)
                .timestamp(CopyRow.POSTGRES_EPOCH_MICROS + 1_000_001);
        row.json().write("{\"a\":1}".getBytes(StandardCharsets.UTF_8));
        // then each is its length and its bytes, as they are, after the row's field count
        ByteBuffer expected = ByteBuffer.allocate(64);
        expected.putShort((short) 4);
        expected.putInt(6).put("c\u001e,\"x\n".getBytes(StandardCharsets.UTF_8));
        expected.putInt(8).putLong(42);
        expected.putInt(8).putLong(1_000_001);
        expected.putInt(7).put("{\"a\":1}".getBytes(StandardCharsets.UTF_8));
        assertThat(row.toBytes()).isEqualTo(Arrays.copyOf(expected.array(), expected.position()));
    }

    @Test
    void an_instant_is_its_microseconds_from_2000_rounded_and_a_missing_one_is_null() {
        // given an instant with nanoseconds (PostgreSQL keeps microseconds, rounding the rest) and no instant
        CopyRow row = new CopyRow().start().timestampOrNull(Instant.parse("2000-01-01T00:00:01.000002999Z"))
                .timestampOrNull(null);
        // then the first is 1,000,003 microseconds after PostgreSQL's epoch, the second a field of length -1 (NULL)
        ByteBuffer expected = ByteBuffer.allocate(32);
        expected.putShort((short) 2);
        expected.putInt(8).putLong(1_000_003);
        expected.putInt(-1);
        assertThat(row.toBytes()).isEqualTo(Arrays.copyOf(expected.array(), expected.position()));
    }

    @Test
    void any_text_is_written_in_utf_8_as_java_writes_it_and_a_long_value_grows_the_row() {
        // given values beyond ASCII: accents, a euro sign, an emoji (a surrogate pair), a lone surrogate
        String text = "Åse Ødegård, 5 € \uD83C\uDFC3 \uD800 end";
        CopyRow row = new CopyRow();
        // when written twice into the same reused row, then each time they read as String.getBytes(UTF_8) writes them
        for (int i = 0; i < 2; i++) {
            assertThat(row.start().text(text).toBytes()).isEqualTo(field(text));
        }
        String big = "é".repeat(40_000);
        assertThat(row.start().text(big).toBytes()).isEqualTo(field(big));
    }

    /** A row of one text field. */
    private static byte[] field(String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(6 + utf8.length).putShort((short) 1).putInt(utf8.length).put(utf8).array();
    }

    @Test
    void a_views_json_is_the_live_projections_whatever_its_words_hold() throws Exception {
        // given a plan whose adjustment's words hold every control character, backslashes, quotes and non-ASCII text
        StringBuilder words = new StringBuilder("\"quoted\" \\ back Åse € \uD83C\uDFC3 ");
        for (char ch = 0; ch < 0x20; ch++) {
            words.append(ch);
        }
        Adjustment cap = new Adjustment("adj-1", AdjustmentType.CAP_RUN_DISTANCE, PatternKind.RUNNING_TRIGGERED_DISTANCE,
                "running-triggered-distance", Map.of("maxDistanceKm", 4.0), List.of("evt-1" + words), words.toString(),
                Instant.parse("2026-10-03T08:00:00Z"));
        RehabPlan plan = RehabPlan.empty();
        for (PlanCommand command : List.of(new CreatePlan("a-1", "c-1", Diagnosis.CALF_STRAIN_SOLEUS, Side.LEFT,
                        LocalDate.of(2026, 10, 1), 3.0, Instant.parse("2026-10-02T08:00:00Z")),
                new ApplyAdjustment(cap, ClinicPolicy.AUTO_APPLY, Instant.parse("2026-10-03T09:00:00Z")))) {
            for (PlanEvent e : plan.decide(command)) {
                plan = plan.apply(e);
            }
        }
        PlanView view = PlanView.of(plan);
        assertThat(view.adjustments()).hasSize(1);

        // when the rebuild writes its view and its approval-queue row
        ViewRows rows = new ViewRows();
        rows.plan(view);
        ByteArrayOutputStream viewJson = new ByteArrayOutputStream();
        rows.view(view, viewJson);
        ByteArrayOutputStream queueJson = new ByteArrayOutputStream();
        rows.queued(view.athleteId(), view.adjustments().get(0), queueJson);

        // then they are the live projection's JSON (the same values: Jackson's UTF-8 writer escapes a surrogate pair
        // where its String writer does not, jsonb stores both alike), the control characters escaped
        assertThat(JSON.readTree(viewJson.toByteArray())).isEqualTo(JSON.readTree(ViewJson.write(view)));
        assertThat(JSON.readTree(queueJson.toByteArray())).isEqualTo(JSON.readTree(
                ViewJson.write(new PlanProjection.AdjustmentInQueue(view.athleteId(), view.adjustments().get(0)))));
        assertThat(viewJson.toString(StandardCharsets.UTF_8)).contains("\\\"quoted\\\" \\\\ back Åse");
        for (byte[] json : new byte[][]{viewJson.toByteArray(), queueJson.toByteArray()}) {
            for (byte b : json) {
                assertThat(b).isNotIn((byte) 0, (byte) '\n', (byte) '\r');
            }
        }
    }
}
