package io.strideback.intake.domain;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * What intake accepts as a plausible fact about an athlete. Plain Java: the numbers are the
 * contract's, the reasons are the clinic's.
 */
public final class IntakeRules {

    public static final int MAX_PAIN = 10;
    public static final int MAX_RPE = 10;
    /** A session is longer than zero and shorter than a day. */
    public static final double MAX_DURATION_MIN = 24 * 60;
    /** Past an ultra: a typo or a bike ride logged as a run. */
    public static final double MAX_RUN_KM = 300;
    public static final int MIN_CADENCE_SPM = 100;
    public static final int MAX_CADENCE_SPM = 260;
    /** A resting athlete's or a watch's glitch below, a sensor's error above (an optional session field). */
    public static final int MIN_HEART_RATE_BPM = 20;
    public static final int MAX_HEART_RATE_BPM = 250;
    public static final int MAX_CALF_RAISES = 500;
    public static final int MAX_BATCH_ITEMS = 500;
    /** Watches' clocks drift and time zones confuse; more than a day ahead is a wrong clock. */
    public static final Duration MAX_FUTURE = Duration.ofDays(1);
    /** Older than a year before the injury has nothing to say about this injury. */
    public static final long YEARS_BEFORE_INJURY = 1;
    /**
     * No event or injury of a living athlete is older. A floor for every date, whatever else is
     * known: year 1 or year 0 reached the load monitor once and stalled it (issue 12).
     */
    public static final LocalDate EARLIEST_DATE = LocalDate.of(1900, 1, 1);

    private IntakeRules() {
    }

    /** Why an event time is not acceptable for an athlete injured on {@code injuryDate}, if it is not. */
    public static Optional<String> eventTimeProblem(Instant time, LocalDate injuryDate, Instant now) {
        if (time.isBefore(EARLIEST_DATE.atStartOfDay(ZoneOffset.UTC).toInstant())) {
            return Optional.of("must not be before " + EARLIEST_DATE);
        }
        if (time.isAfter(now.plus(MAX_FUTURE))) {
            return Optional.of("must not be more than 1 day in the future");
        }
        if (injuryDate != null) {
            Instant earliest = injuryDate.minusYears(YEARS_BEFORE_INJURY).atStartOfDay(ZoneOffset.UTC).toInstant();
            if (time.isBefore(earliest)) {
                return Optional.of("must not be more than 1 year before the injury date (" + injuryDate + ")");
            }
        }
        return Optional.empty();
    }

    /**
     * Why an injury date is not acceptable, if it is not: before {@link #EARLIEST_DATE}, or in the
     * future (a day of grace: the clinic's today may be UTC's tomorrow).
     */
    public static Optional<String> injuryDateProblem(LocalDate injuryDate, Instant now) {
        if (injuryDate.isBefore(EARLIEST_DATE)) {
            return Optional.of("must not be before " + EARLIEST_DATE);
        }
        if (injuryDate.isAfter(LocalDate.ofInstant(now, ZoneOffset.UTC).plusDays(1))) {
            return Optional.of("must not be in the future");
        }
        return Optional.empty();
    }
}
