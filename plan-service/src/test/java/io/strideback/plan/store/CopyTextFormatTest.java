package io.strideback.plan.store;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The rebuild writes views with COPY's text format: a backslash, tab or line break in a value must survive it. */
class CopyTextFormatTest {

    @Test
    void a_plain_value_goes_as_it_is() {
        assertThat(row(new CopyRow().start().field("{\"phase\": \"PROTECT\"}", true)))
                .isEqualTo("{\"phase\": \"PROTECT\"}\n");
    }

    @Test
    void backslashes_tabs_and_line_breaks_are_escaped_and_null_is_marked() {
        assertThat(row(new CopyRow().start().field("{\"reason\": \"a \\\"quoted\\\" word\"}\tx\ny\r", false)
                .field(null, false).field(42, true)))
                .isEqualTo("{\"reason\": \"a \\\\\"quoted\\\\\" word\"}\\tx\\ny\\r\t\\N\t42\n");
    }

    @Test
    void any_text_is_written_in_utf_8_as_java_writes_it_and_a_long_value_grows_the_row() {
        // given values beyond ASCII: accents, a euro sign, an emoji (a surrogate pair), a lone surrogate
        String text = "Åse Ødegård, 5 € \uD83C\uDFC3 \uD800 end";
        CopyRow row = new CopyRow();
        // when written twice into the same reused row, then each time they read as String.getBytes(UTF_8) writes them
        for (int i = 0; i < 2; i++) {
            assertThat(row.start().field(text, true).toBytes()).isEqualTo((text + "\n").getBytes(StandardCharsets.UTF_8));
        }
        String big = "é".repeat(40_000);
        assertThat(row.start().field(big, true).toBytes()).isEqualTo((big + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static String row(CopyRow row) {
        return new String(row.toBytes(), StandardCharsets.UTF_8);
    }
}
