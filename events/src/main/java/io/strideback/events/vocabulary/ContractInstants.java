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
        long minuteStart = localMinute(s);
        int second = digits(s, 17, 2);
        if (minuteStart == NO_TIME || second < 0 || second > 59) {
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
        return Instant.ofEpochSecond(minuteStart + second, nano);
    }

    /** What a client is told when {@link #readClientInstant} refuses its text. */
    public static final String CLIENT_INSTANT_FORM = "must be an ISO-8601 / RFC 3339 date-time with an offset, "
            + "e.g. 2026-04-03T07:30:00Z or 2026-04-03T09:30:00.250+02:00";

    /**
     * The one rule for every instant a client sends (CONTRACT.md, its opening paragraph; round 20): ISO 8601's extended
     * date-time with an offset, {@code yyyy-MM-ddTHH:mm[:ss[.f{1,9}]]} then {@code Z}, {@code ±hh:mm} or {@code ±hh},
     * the offset within ±18:00, {@code T} and {@code Z} in either case. Every RFC 3339 {@code date-time} is one of these.
     * Null for anything else.
     * <ul>
     * <li>A leap second ({@code 23:59:60} UTC, which RFC 3339 5.7 allows on a month's last day, the only time one is
     * inserted; in any offset, e.g. {@code 00:59:60+01:00}) is read as {@code 23:59:59} UTC with its fraction kept:
     * Java's time-scale has no 61st second, {@link Instant#parse} reads it the same way, and the report stays on its
     * calendar day. A watch logging UTC at a leap second is taken, not refused.</li>
     * <li>An offset with seconds ({@code +01:00:30}) is refused: neither RFC 3339 nor ISO 8601 writes one (it is a
     * {@code java.time} extension), no clinic or device sends one, and a typo there moved the event silently.</li>
     * <li>Seconds may be left out ({@code 07:30+02:00}): ISO 8601 allows it, {@code OffsetDateTime.toString} writes
     * it at every whole minute, and it was taken before; refusing it would turn a Java client away once a minute.</li>
     * <li>Years have four digits (no {@code +12026}); more than 9 fraction digits, or none after the dot, are refused
     * rather than guessed.</li>
     * </ul>
     */
    public static Instant readClientInstant(CharSequence s) {
        int n = s.length();
        if (n < 17 || s.charAt(4) != '-' || s.charAt(7) != '-' || (s.charAt(10) != 'T' && s.charAt(10) != 't')
                || s.charAt(13) != ':') {
            return null;
        }
        long minuteStart = localMinute(s);
        if (minuteStart == NO_TIME) {
            return null;
        }
        int at = 16;
        int second = 0;
        int nano = 0;
        if (at < n && s.charAt(at) == ':') {
            second = at + 3 <= n ? digits(s, at + 1, 2) : -1;
            if (second < 0 || second > 60) {
                return null;
            }
            at += 3;
            if (at < n && s.charAt(at) == '.') {
                int end = at + 1;
                while (end < n && s.charAt(end) >= '0' && s.charAt(end) <= '9') {
                    end++;
                }
                int fractionDigits = end - at - 1;
                if (fractionDigits < 1 || fractionDigits > 9) {
                    return null;
                }
                nano = digits(s, at + 1, fractionDigits) * SCALE[fractionDigits];
                at = end;
            }
        }
        int offsetSeconds;
        char sign = at < n ? s.charAt(at) : ' ';
        if (at == n - 1 && (sign == 'Z' || sign == 'z')) {
            offsetSeconds = 0;
        } else if ((sign == '+' || sign == '-') && (at == n - 3 || (at == n - 6 && s.charAt(at + 3) == ':'))) {
            int offsetHour = digits(s, at + 1, 2);
            int offsetMinute = at == n - 3 ? 0 : digits(s, at + 4, 2);
            offsetSeconds = offsetHour * 3_600 + offsetMinute * 60;
            if (offsetHour < 0 || offsetMinute < 0 || offsetMinute > 59 || offsetSeconds > 18 * 3_600) {
                return null;
            }
            offsetSeconds = sign == '-' ? -offsetSeconds : offsetSeconds;
        } else {
            return null;
        }
        long utcMinute = minuteStart - offsetSeconds;
        if (second == 60) {
            LocalDate utcDay = LocalDate.ofEpochDay(Math.floorDiv(utcMinute, 86_400));
            boolean lastMinuteOfMonth = Math.floorMod(utcMinute, 86_400) == 86_340
                    && utcDay.getDayOfMonth() == utcDay.lengthOfMonth();
            if (!lastMinuteOfMonth) {
                return null;
            }
            second = 59;
        }
        return Instant.ofEpochSecond(utcMinute + second, nano);
    }

    private static final long NO_TIME = Long.MIN_VALUE;

    /**
     * {@code yyyy-MM-ddTHH:mm} at the start of {@code s} (separators already checked) as epoch seconds, read as if in
     * UTC; {@link #NO_TIME} when a field is not digits or not a valid date and time (hour 0-23, minute 0-59).
     */
    private static long localMinute(CharSequence s) {
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || day > Month.of(month).length(Year.isLeap(year))) {
            return NO_TIME;
        }
        return LocalDate.of(year, month, day).toEpochDay() * 86_400 + hour * 3_600L + minute * 60L;
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
