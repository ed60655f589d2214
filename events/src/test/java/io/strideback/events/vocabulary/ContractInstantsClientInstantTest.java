package io.strideback.events.vocabulary;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Round 20: one rule for every instant a client sends, ISO 8601 / RFC 3339 with an offset. */
class ContractInstantsClientInstantTest {

    @Test
    void any_date_time_with_a_whole_minute_offset_reads_as_offset_date_time_reads_it() {
        Random random = new Random(2001);
        DateTimeFormatter rfc3339 = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSSxxx");
        for (int i = 0; i < 100_000; i++) {
            long second = random.nextLong(Instant.parse("0001-01-02T00:00:00Z").getEpochSecond(),
                    Instant.parse("9999-12-30T23:59:59Z").getEpochSecond());
            ZoneOffset offset = ZoneOffset.ofTotalSeconds(random.nextInt(-18 * 60, 18 * 60 + 1) * 60);
            int nano = i % 3 == 0 ? 0 : random.nextInt(1_000_000_000);
            OffsetDateTime time = OffsetDateTime.ofInstant(Instant.ofEpochSecond(second - (i % 5 == 0 ? second % 60 : 0),
                    nano), offset);
            // Both forms: every field written, and java.time's own (no seconds at a whole minute, "Z" for UTC).
            for (String text : List.of(time.format(rfc3339), time.toString())) {
                assertThat(ContractInstants.readClientInstant(text)).as(text)
                        .isEqualTo(OffsetDateTime.parse(text).toInstant());
            }
        }
    }

    @Test
    void a_leap_second_at_the_end_of_a_month_is_taken_as_the_second_before_it() {
        assertThat(ContractInstants.readClientInstant("2016-12-31T23:59:60Z")).isEqualTo(Instant.parse("2016-12-31T23:59:59Z"));
        assertThat(ContractInstants.readClientInstant("2016-12-31T23:59:60.250Z"))
                .isEqualTo(Instant.parse("2016-12-31T23:59:59.250Z"));
        // The same leap second on a clock one hour ahead of UTC, and RFC 3339 5.8's example eight hours behind.
        assertThat(ContractInstants.readClientInstant("2017-01-01T00:59:60+01:00"))
                .isEqualTo(Instant.parse("2016-12-31T23:59:59Z"));
        assertThat(ContractInstants.readClientInstant("1990-12-31T15:59:60-08:00"))
                .isEqualTo(Instant.parse("1990-12-31T23:59:59Z"));
        assertThat(ContractInstants.readClientInstant("2015-06-30T23:59:60z")).isEqualTo(Instant.parse("2015-06-30T23:59:59Z"));
        // Instant.parse, which reads the events' own instants, takes it the same way.
        assertThat(ContractInstants.readClientInstant("2016-12-31T23:59:60Z")).isEqualTo(Instant.parse("2016-12-31T23:59:60Z"));
    }

    @Test
    void a_sixtieth_second_anywhere_but_the_last_utc_minute_of_a_month_is_refused() {
        for (String text : List.of("2016-12-30T23:59:60Z", "2016-12-31T23:58:60Z", "2016-12-31T23:59:60+01:00",
                "2016-12-31T22:59:60Z", "2026-11-15T07:15:60Z", "2026-11-15T07:15:61Z")) {
            assertThat(ContractInstants.readClientInstant(text)).as(text).isNull();
        }
    }

    @Test
    void an_offset_with_seconds_and_what_neither_iso_8601_nor_rfc_3339_writes_are_refused() {
        for (String text : List.of("2026-11-30T07:15:00+01:00:30", "2026-11-30T07:15:00-00:00:01",
                "2026-11-30T07:15:00+0100", "2026-11-30T07:15:00+1", "2026-11-30T07:15:00", "2026-11-30T07Z",
                "2026-11-30 07:15:00Z", "+12026-11-30T07:15:00Z", "-0001-11-30T07:15:00Z", "2026-11-30T24:00:00Z",
                "2026-11-30T23:60:00Z", "2026-02-29T00:00:00Z", "2026-04-31T00:00:00Z", "2026-11-30T07:15:00.Z",
                "2026-11-30T07:15:00.1234567890Z", "2026-11-30T07:15:00,5Z", "2026-11-30T07:15:00+18:01",
                "2026-11-30T07:15:00+19:00", "2026-11-30T07:15:00+01:60", " 2026-11-30T07:15:00Z",
                "2026-11-30T07:15:00Z ", "2026-11-30T07:15:00ZZ", "2026-11-30T07:15:0Z", "2026-11-30T07:15:Z",
                "2026-11-30T07:15:00[Europe/Paris]", "2026-11-30T07:15:00.12a4Z", "", "yesterday")) {
            assertThat(ContractInstants.readClientInstant(text)).as(text).isNull();
        }
    }

    @Test
    void minus_zero_lower_case_no_seconds_and_an_hours_offset_are_taken() {
        assertThat(ContractInstants.readClientInstant("2026-11-30T07:15:00-00:00")).isEqualTo(Instant.parse("2026-11-30T07:15:00Z"));
        assertThat(ContractInstants.readClientInstant("2026-11-30t07:15:00.123456789z"))
                .isEqualTo(Instant.parse("2026-11-30T07:15:00.123456789Z"));
        assertThat(ContractInstants.readClientInstant("2026-11-30T07:15+01:00")).isEqualTo(Instant.parse("2026-11-30T06:15:00Z"));
        assertThat(ContractInstants.readClientInstant("2026-11-30T07:15:00+01")).isEqualTo(Instant.parse("2026-11-30T06:15:00Z"));
        assertThat(ContractInstants.readClientInstant("2026-11-30T07:15:00-18:00")).isEqualTo(Instant.parse("2026-12-01T01:15:00Z"));
        assertThat(ContractInstants.readClientInstant("0000-01-01T00:00:00Z")).isEqualTo(Instant.parse("0000-01-01T00:00:00Z"));
    }
}
