package io.strideback.plan.domain;

import org.junit.jupiter.api.Test;

import java.util.Locale;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The plain sentence's distances read as they always did: one decimal, half up, in any locale. */
class PlainWordsTest {

    @Test
    void a_distance_is_written_as_the_format_wrote_it() {
        // given distances a plan meets (caps, percents over caps, halves that round up) and odd ones
        double[] fixed = {0, -0.0, 0.05, 0.15, 0.25, 0.35, 1.05, 2.45, 2.5, 3.0, 3.15, 4.95, 9.95, 10, 12.345, 99.99,
                -1.25, 1e-9, 1e7 + 0.05, Double.MIN_VALUE, Double.NaN, Double.POSITIVE_INFINITY};
        for (double km : fixed) {
            // when it is put into words, then it reads as String.format wrote it
            assertThat(PlainWords.km(km)).as("%s", km).isEqualTo(String.format(Locale.ROOT, "%.1f km", km));
        }
        Random random = new Random(15);
        for (int i = 0; i < 200_000; i++) {
            double km = i % 2 == 0 ? Math.round(random.nextDouble() * 4000) / 100.0 : random.nextDouble() * 60;
            assertThat(PlainWords.km(km)).as("%s", km).isEqualTo(String.format(Locale.ROOT, "%.1f km", km));
        }
    }

    @Test
    void a_gates_multiple_is_written_as_the_format_wrote_it() {
        // given multiples of bodyweight a gate reads (tenths, halves that round up) and random ones
        Random random = new Random(16);
        for (int i = 0; i < 100_000; i++) {
            double x = i % 2 == 0 ? Math.round(random.nextDouble() * 400) / 100.0 : random.nextDouble() * 5;
            // when written with one decimal, then it reads as String.format wrote it
            assertThat(PlainWords.oneDecimal(x)).as("%s", x).isEqualTo(String.format(Locale.ROOT, "%.1f", x));
        }
        for (double x : new double[]{0, -0.0, 0.05, 1.25, 1.45, Double.NaN, Double.NEGATIVE_INFINITY}) {
            assertThat(PlainWords.oneDecimal(x)).as("%s", x).isEqualTo(String.format(Locale.ROOT, "%.1f", x));
        }
    }
}
