package io.strideback.events.vocabulary;

import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.time.Year;

/**
 * The contract's one form of an instant ({@link Instant#toString}: {@code 2026-11-30T07:15:00Z}, with 0-9 fraction
 * digits), read by hand in plain Java, without {@code DateTimeFormatter}: issue 15, round 12, JFR of the load monitor's
 * replay (the formatter's parse was ~5% of its stream thread) and, earlier, of plan-service's rebuild (round 6).
 * Plain Java so the plan's domain reads its adjustments' instants with it too; {@code io.strideback.events.IsoInstants}
 * puts it in front of the JDK's and Jackson's readers for everything else.
 */
public final class ContractInstants {

    private static final int[] SCALE = {0, 100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1};

    private ContractInstants() {
    }

    /**
     * {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z} with a valid date and time (hour 0-23, second 0-59), as
     * {@link Instant#parse} reads it; null for any other text, which this does not judge.
     */
    public static Instant read(CharSequence s) {
        int n = s.length();
        if (n < 20 || n > 30 || s.charAt(n - 1) != 'Z' || s.charAt(4) != '-' || s.charAt(7) != '-'
                || s.charAt(10) != 'T' || s.charAt(13) != ':' || s.charAt(16) != ':') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59 || day > Month.of(month).length(Year.isLeap(year))) {
            return null;
        }
        int nano = 0;
        if (n > 20) {
            int fractionDigits = n - 21;
            if (s.charAt(19) != '.' || fractionDigits < 1) {
                return null;
            }
            int fraction = digits(s, 20, fractionDigits);
            if (fraction < 0) {
                return null;
            }
            nano = fraction * SCALE[fractionDigits];
        }
        long epochDay = LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second, nano);
    }

    /** The decimal value of {@code count} ASCII digits at {@code from}, or -1 when one is not a digit. */
    private static int digits(CharSequence s, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
