package io.strideback.loadmonitor.domain;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * DOMAIN.md patterns table, "over the plan": a logged run longer than the cap, faster than the allowed intensity,
 * or during a pause is an adherence finding for the clinician, and no plan change. Each run is judged against the
 * limits in force at its start on the plan's timeline ({@link ConstraintSchedule}), in event time, so the same runs
 * and the same plan give the same findings whatever order they arrived in (DOMAIN.md "Convergence").
 *
 * <ul>
 *   <li>A run while running is paused is one DURING_PAUSE finding: the run should not have happened at all, so its
 *       distance and pace are not judged as well.</li>
 *   <li>Otherwise a run longer than the cap (strictly: a run of exactly the cap keeps to it) is OVER_DISTANCE_CAP,
 *       and one harder than the allowed intensity is OVER_INTENSITY; a run can be both.</li>
 *   <li>A run before the plan existed, a run without a distance (or intensity) for that limit, and a session
 *       that is not a run are not judged.</li>
 * </ul>
 */
public final class OverThePlan {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMM", Locale.ENGLISH);

    private OverThePlan() {
    }

    /** Every breach of the athlete's runs against the schedule, by run time then breach; none without a plan. */
    public static List<AdherenceFinding> findings(String clinicId, String athleteId, ZoneId zone,
                                                  List<TrainingSession> sessions, ConstraintSchedule schedule) {
        if (schedule == null) {
            return List.of();
        }
        ZoneId days = zone == null ? ZoneOffset.UTC : zone;
        List<AdherenceFinding> out = new ArrayList<>();
        for (TrainingSession s : sessions) {
            if (!s.countsAsRun()) {
                continue;
            }
            Optional<ConstraintSchedule.Period> period = schedule.inForceAt(s.startedAt());
            if (period.isEmpty()) {
                continue; // before the plan was made: nothing to keep to
            }
            PlanLimits limits = period.get().limits();
            if (limits.runningPaused()) {
                out.add(finding(clinicId, athleteId, days, s, schedule, period.get(), Breach.DURING_PAUSE));
                continue;
            }
            if (limits.maxDistanceKm() != null && s.distanceKm() != null
                    && s.distanceKm() > limits.maxDistanceKm() + Km.EPSILON) {
                out.add(finding(clinicId, athleteId, days, s, schedule, period.get(), Breach.OVER_DISTANCE_CAP));
            }
            if (limits.maxIntensity() != null && s.intensity() != null
                    && s.intensity().compareTo(limits.maxIntensity()) > 0) {
                out.add(finding(clinicId, athleteId, days, s, schedule, period.get(), Breach.OVER_INTENSITY));
            }
        }
        out.sort(Comparator.comparing(AdherenceFinding::sessionAt).thenComparing(AdherenceFinding::sessionEventId)
                .thenComparing(AdherenceFinding::breach));
        return List.copyOf(out);
    }

    /** The finding's id: the same athlete, run and breach always give the same one. */
    static String adherenceId(String clinicId, String athleteId, String sessionEventId, Breach breach) {
        return "adh-" + UUID.nameUUIDFromBytes((clinicId + "|" + athleteId + "|" + sessionEventId + "|" + breach)
                .getBytes(StandardCharsets.UTF_8));
    }

    private static AdherenceFinding finding(String clinicId, String athleteId, ZoneId zone, TrainingSession s,
                                            ConstraintSchedule schedule, ConstraintSchedule.Period in, Breach breach) {
        PlanLimits limits = in.limits();
        Instant since = schedule.inForceSince(in, breach);
        String ran = "Ran " + (s.distanceKm() != null ? Km.text(s.distanceKm()) + " " : "")
                + (s.intensity() != null ? s.intensity().name().toLowerCase(Locale.ROOT) + " " : "")
                + "on " + day(s.startedAt(), zone);
        String reason = switch (breach) {
            case OVER_DISTANCE_CAP -> ran + ", over the " + Km.text(limits.maxDistanceKm()) + " cap in force since "
                    + day(since, zone) + ".";
            case OVER_INTENSITY -> ran + ", harder than the " + limits.maxIntensity().name().toLowerCase(Locale.ROOT)
                    + " running allowed since " + day(since, zone) + ".";
            case DURING_PAUSE -> ran + ", while running was paused (since " + day(since, zone) + ").";
        };
        return new AdherenceFinding(adherenceId(clinicId, athleteId, s.eventId(), breach), s.eventId(), s.sessionId(),
                s.startedAt(), breach, s.distanceKm(), limits.maxDistanceKm(), s.intensity(), limits.maxIntensity(),
                since, schedule.planVersion(), reason);
    }

    private static String day(Instant t, ZoneId zone) {
        try {
            return DAY.format(t.atZone(zone));
        } catch (java.time.DateTimeException e) {
            return t.toString(); // a time no calendar holds (a buggy watch's Instant.MAX): said as it came
        }
    }

    /** The "over the plan" pattern (CONTRACT v2 pattern kind {@code OVER_THE_PLAN}): when and which runs. */
    public record Pattern(Instant since, List<String> runEventIds) {
    }

    /**
     * The pattern row of the adherence findings: the breaches within the pattern window (DOMAIN.md, patterns look at
     * the trailing 42 days) before the latest one, from the earliest of them; none without a breach. A function of
     * the findings alone, so it is the same in any arrival order.
     */
    public static Optional<Pattern> pattern(List<AdherenceFinding> findings) {
        if (findings == null || findings.isEmpty()) {
            return Optional.empty();
        }
        Instant latest = findings.stream().map(AdherenceFinding::sessionAt).max(Comparator.naturalOrder()).orElseThrow();
        Instant from = latest.minus(java.time.Duration.ofDays(42));
        List<AdherenceFinding> recent = findings.stream().filter(f -> !f.sessionAt().isBefore(from))
                .sorted(Comparator.comparing(AdherenceFinding::sessionAt).thenComparing(AdherenceFinding::sessionEventId))
                .toList();
        return Optional.of(new Pattern(recent.get(0).sessionAt(),
                recent.stream().map(AdherenceFinding::sessionEventId).distinct().toList()));
    }
}
