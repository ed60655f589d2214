package io.strideback.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

import org.junit.jupiter.api.Test;

class SealedTextTest {

    private static byte[] key() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return k;
    }

    @Test
    void a_sealed_note_opens_with_the_athletes_key_and_shows_no_plain_text() {
        byte[] key = key();
        String sealed = SealedText.seal("Ana Lima, pulling at 3 km", key, "ath-1");

        assertThat(sealed).startsWith(SealedText.PREFIX).doesNotContain("Ana").doesNotContain("pulling");
        assertThat(SealedText.open(sealed, key, "ath-1")).contains("Ana Lima, pulling at 3 km");
    }

    @Test
    void without_the_key_or_for_another_athlete_it_does_not_open() {
        byte[] key = key();
        String sealed = SealedText.seal("Ana Lima", key, "ath-1");

        assertThat(SealedText.open(sealed, key(), "ath-1")).isEmpty();
        assertThat(SealedText.open(sealed, key, "ath-2")).isEmpty();
    }

    @Test
    void tampered_or_garbled_values_do_not_open() {
        byte[] key = key();
        String sealed = SealedText.seal("Ana Lima", key, "ath-1");
        char last = sealed.charAt(sealed.length() - 1);
        String tampered = sealed.substring(0, sealed.length() - 1) + (last == 'A' ? 'B' : 'A');

        assertThat(SealedText.open(tampered, key, "ath-1")).isEmpty();
        assertThat(SealedText.open(SealedText.PREFIX + "%%%", key, "ath-1")).isEmpty();
        assertThat(SealedText.open(SealedText.PREFIX + "AAAA", key, "ath-1")).isEmpty();
    }

    @Test
    void a_value_written_before_sealing_reads_as_is_and_null_stays_null() {
        assertThat(SealedText.open("plain old note", key(), "ath-1")).contains("plain old note");
        assertThat(SealedText.seal(null, key(), "ath-1")).isNull();
        assertThat(SealedText.open(null, key(), "ath-1")).isEmpty();
    }

    @Test
    void the_same_text_seals_differently_each_time() {
        byte[] key = key();
        assertThat(SealedText.seal("Ana", key, "a")).isNotEqualTo(SealedText.seal("Ana", key, "a"));
        assertThat(new String(SealedText.seal("Ana", key, "a").getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8))
                .matches("sealed:v1:[A-Za-z0-9_-]+");
    }
}
