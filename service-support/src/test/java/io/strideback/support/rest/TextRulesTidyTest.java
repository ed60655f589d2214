package io.strideback.support.rest;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Round 20: names, notes and reasons are kept without outer white space, and white space alone is no text; round 21:
 * nor is text of invisible characters alone.
 */
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
            "'\uD83C\uDFC3 run '|\uD83C\uDFC3 run",
            // Round 21: joiners and fillers in visible text are part of it and stay; only text all invisible is blank.
            "'\uD83D\uDC69\u200D\u2695\uFE0F'|\uD83D\uDC69\u200D\u2695\uFE0F", // woman health worker, a ZWJ sequence
            "'\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645'|\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645", // Persian, a ZWNJ
            "' \u200BSam\u200D '|\u200BSam\u200D",
            "'\u3164Sam'|\u3164Sam",
            "'\u2800x\u2800'|\u2800x\u2800"})
    void outer_white_space_goes_and_inner_stays(String sent, String kept) {
        assertThat(TextRules.tidy(sent)).isEqualTo(kept);
    }

    @org.junit.jupiter.api.Test
    void nothing_stays_nothing() {
        assertThat(TextRules.tidy(null)).isNull();
    }

    /** Round 21: a name of zero-width characters or Hangul fillers looked blank on a clinician's list and was a name. */
    @ParameterizedTest
    @ValueSource(strings = {"\u200B", "\u200C\u200D", "\u2060", "\uFEFF", "\u3164", "\u115F\u1160", "\uFFA0",
            "\u180E", "\u034F", "\u2800\u2800", "\u00AD", "\u200E\u200F", "\uFE0F", "\uDB40\uDC20",
            " \u200B\u00A0\u3164\t", "\u2003\uFEFF\u2800 "})
    void invisible_characters_alone_are_no_text(String invisible) {
        assertThat(TextRules.tidy(invisible)).isNull();
    }

    /** Every string of white space and invisible code points is blank; the same with one visible letter is not. */
    @org.junit.jupiter.api.Test
    void any_mix_of_invisible_characters_is_blank_until_a_letter_joins_it() {
        int[] invisible = {' ', '\t', '\n', 0x00A0, 0x00AD, 0x034F, 0x061C, 0x115F, 0x1160, 0x17B4, 0x180E, 0x2007, 0x200B,
                0x200C, 0x200D, 0x200E, 0x202F, 0x2060, 0x2064, 0x3000, 0x3164, 0xFE0F, 0xFEFF, 0xFFA0, 0x2800, 0x16FE4,
                0x1BCA0, 0x1D173, 0xE0001, 0xE0020, 0xE01EF};
        int[] letters = {'a', 'Z', 0x00E5, 0x0645, 0x05D0, 0x4E2D, 0xAC00, 0x1F3C3, 0x1161};
        java.util.Random random = new java.util.Random(21);
        for (int run = 0; run < 2_000; run++) {
            // given a string of 1-12 invisible code points
            StringBuilder text = new StringBuilder();
            for (int n = 1 + random.nextInt(12); n > 0; n--) {
                text.appendCodePoint(invisible[random.nextInt(invisible.length)]);
            }
            // then it is blank
            assertThat(TextRules.tidy(text.toString())).as("%s", codePoints(text)).isNull();

            // when one visible character joins it anywhere
            String letter = new String(Character.toChars(letters[random.nextInt(letters.length)]));
            String withLetter = new StringBuilder(text).insert(text.offsetByCodePoints(0,
                    random.nextInt(text.codePointCount(0, text.length()) + 1)), letter).toString();
            // then it is text, still holding that character
            assertThat(TextRules.tidy(withLetter)).as("%s", codePoints(withLetter)).isNotNull().contains(letter);
        }
    }

    private static String codePoints(CharSequence text) {
        return text.codePoints().mapToObj(c -> String.format("U+%04X", c)).collect(java.util.stream.Collectors.joining(" "));
    }
}
