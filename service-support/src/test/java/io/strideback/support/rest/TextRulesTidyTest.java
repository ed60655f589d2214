package io.strideback.support.rest;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Round 20: names, notes and reasons are kept without outer white space, and white space alone is no text. */
class TextRulesTidyTest {

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "   ", "\t\r\n", "\u00A0", "\u2007\u202F", "\u3000", " \u2003 \u00A0 "})
    void white_space_alone_is_no_text(String blank) {
        assertThat(TextRules.tidy(blank)).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "' Sam '|Sam",
            "'\u00A0Sam\u202F'|Sam",
            "'\u3000Åse Lind\u2003'|Åse Lind",
            "'two  words'|two  words",
            "'\uD83C\uDFC3 run '|\uD83C\uDFC3 run"})
    void outer_white_space_goes_and_inner_stays(String sent, String kept) {
        assertThat(TextRules.tidy(sent)).isEqualTo(kept);
    }

    @org.junit.jupiter.api.Test
    void nothing_stays_nothing() {
        assertThat(TextRules.tidy(null)).isNull();
    }
}
