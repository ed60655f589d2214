package io.strideback.plan.store;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The rebuild writes views with COPY's text format: a backslash, tab or line break in a value must survive it. */
class CopyTextFormatTest {

    @Test
    void a_plain_value_goes_as_it_is() {
        assertThat(FreshPlanViews.field(new StringBuilder(), "{\"phase\": \"PROTECT\"}").toString())
                .isEqualTo("{\"phase\": \"PROTECT\"}");
    }

    @Test
    void backslashes_tabs_and_line_breaks_are_escaped_and_null_is_marked() {
        assertThat(FreshPlanViews.field(new StringBuilder(), "{\"reason\": \"a \\\"quoted\\\" word\"}\tx\ny\r").toString())
                .isEqualTo("{\"reason\": \"a \\\\\"quoted\\\\\" word\"}\\tx\\ny\\r");
        assertThat(FreshPlanViews.field(new StringBuilder(), null).toString()).isEqualTo("\\N");
    }
}
