package io.strideback.plan.store;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rebuild's merge of the live times steps over the live rows in the order PostgreSQL's C collations sort text,
 * which is the UTF-8 bytes' order; Java's {@code String.compareTo} (UTF-16) disagrees beyond U+FFFF.
 */
class LiveTimesInScanOrderTest {

    @Test
    void keys_compare_as_their_utf8_bytes_do_where_utf16_order_disagrees() {
        // given a character beyond U+FFFF (a surrogate pair in UTF-16) and one in U+E000-U+FFFF
        String runner = "a-\uD83C\uDFC3";
        String privateUse = "a-\uE000";
        // then UTF-16 puts the runner first, code point order (the bytes') after
        assertThat(runner.compareTo(privateUse)).isNegative();
        assertThat(LiveTimesInScanOrder.compare(runner, privateUse)).isPositive();
        assertThat(LiveTimesInScanOrder.compare(privateUse, runner)).isNegative();
    }

    @Test
    void random_keys_sort_as_their_utf8_bytes() {
        // given random texts drawn from ASCII, the BMP's ends and beyond it, and prefixes of each other
        Random random = new Random(15);
        int[] from = {0x20, 0x7f, 0xd7f0, 0xe000, 0xfff0, 0x1f3c3, 0x10fff0};
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            StringBuilder b = new StringBuilder();
            for (int n = random.nextInt(4); n >= 0; n--) {
                b.appendCodePoint(from[random.nextInt(from.length)] + random.nextInt(8));
            }
            keys.add(b.toString());
            keys.add(b.substring(0, b.length() - Character.charCount(b.codePointBefore(b.length()))));
        }
        // when sorted by the merge's order and by the UTF-8 bytes
        List<String> merge = new ArrayList<>(keys);
        merge.sort(LiveTimesInScanOrder::compare);
        List<String> bytes = new ArrayList<>(keys);
        bytes.sort((a, b) -> Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8)));
        // then the orders agree
        assertThat(merge).isEqualTo(bytes);
        // and a plan's key compares by clinic first
        assertThat(LiveTimesInScanOrder.compare("c-1", "z", "c-2", "a")).isNegative();
        assertThat(LiveTimesInScanOrder.compare("c-1", "a", "c-1", "a")).isZero();
    }
}
