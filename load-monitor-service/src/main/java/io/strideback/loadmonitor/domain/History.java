package io.strideback.loadmonitor.domain;

import io.strideback.events.vocabulary.SymptomContext;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The timeline as the rules read it: runs, sessions and reports in event time, with "as of" look-ups. Every
 * query takes the moment it is asked at, so nothing later than that moment can leak into a decision.
 *
 * <p>Every window (the 42 days of patterns, the 7 days of a baseline, the 24 h after a run) is found by binary
 * search over the timeline's time-sorted lists, never by scanning from the first event (issue #14): a query costs
 * what lies in its window, whatever the length of the athlete's history. What is derived per event (the trigger a
 * report meets, the time of an event id) is worked out when first asked and remembered, so an analysis that
 * resumes from a checkpoint ({@link IncrementalAnalysis}) pays only for the events it looks at.
 */
final class History {

    final AthleteProfile profile;
    final ClinicRules rules;
    /** Sessions by start time, then event id (the timeline's own list, not a copy). */
    final List<TrainingSession> sessions;
    /** Reports by observation time, then event id (the timeline's own list); {@link #SAME_INSTANT} within an instant. */
    private final List<SymptomReport> symptoms;
    private final ZoneId zone;
    /** An upper bound of every session's duration in minutes: how far back a run can start and still end by t. */
    private final double longestSessionMin;
    /** The earliest time the id look-up indexes up front; older ids are found by a scan (rare: old evidence). */
    private final Instant indexFrom;
    private Map<String, Instant> timeOfEvent;
    private boolean fullyIndexed;
    private final Map<String, Optional<String>> triggers = new HashMap<>();

    /**
     * Two reports at the same instant (DOMAIN.md rules v2): the running context (DURING_RUN, AFTER_RUN) first,
     * then the higher pain, never the event id. What is left to compare is the report's content, so the order,
     * and everything the rules derive from it, does not depend on how intake named the events; only reports equal
     * in every clinical field fall back to the id, and then it makes no difference which comes first.
     */
    static final Comparator<SymptomReport> SAME_INSTANT = Comparator
            .comparing(SymptomReport::observedAt)
            .thenComparing(r -> !runningContext(r))
            .thenComparing(SymptomReport::pain, Comparator.reverseOrder())
            .thenComparing(r -> r.context() == null ? -1 : r.context().ordinal())
            .thenComparing(r -> r.location() == null ? -1 : r.location().ordinal())
            .thenComparing(r -> mask(r.character()))
            .thenComparing(r -> mask(r.redFlags()))
            .thenComparing(SymptomReport::eventId);

    /** The whole timeline, read from its first event. */
    History(AthleteTimeline timeline, ClinicRules rules) {
        this(timeline, rules, longestSessionMin(timeline.sessions()), Instant.MIN);
    }

    /**
     * @param longestSessionMin an upper bound of every session's duration (minutes)
     * @param indexFrom         where the analysis will look: ids of events from here on are indexed up front
     */
    History(AthleteTimeline timeline, ClinicRules rules, double longestSessionMin, Instant indexFrom) {
        this.profile = timeline.profile();
        this.rules = rules;
        this.sessions = timeline.sessions();
        this.symptoms = timeline.symptoms();
        ZoneId athleteZone = timeline.profile().timeZone();
        this.zone = athleteZone != null ? athleteZone : rules.clinicZone();
        this.longestSessionMin = longestSessionMin;
        this.indexFrom = indexFrom;
    }

    static double longestSessionMin(List<TrainingSession> sessions) {
        double longest = 0;
        for (TrainingSession s : sessions) {
            longest = Math.max(longest, s.durationMin());
        }
        return longest;
    }

    /** The longest duration (minutes) among the sessions that started at or after {@code from}. */
    static double longestSessionMinFrom(List<TrainingSession> sessions, Instant from) {
        return longestSessionMin(sessions.subList(AthleteTimeline.firstAtOrAfter(sessions, TrainingSession::startedAt,
                from), sessions.size()));
    }

    /**
     * The zone of "day" and "same day": the athlete's own, given at enrolment, else the clinic's (which is UTC
     * unless the clinic set one). DOMAIN.md rules v2.
     */
    ZoneId zone() {
        return zone;
    }

    LocalDate dateOf(Instant t) {
        return t.atZone(zone).toLocalDate();
    }

    Instant startOf(LocalDate day) {
        return day.atStartOfDay(zone).toInstant();
    }

    static boolean runningContext(SymptomReport r) {
        return r.context() == SymptomContext.DURING_RUN || r.context() == SymptomContext.AFTER_RUN;
    }

    private static <E extends Enum<E>> int mask(Set<E> values) {
        int mask = 0;
        for (E v : values) {
            mask |= 1 << v.ordinal();
        }
        return mask;
    }

    /** The onset trigger {@code report} meets ({@link FlareUpOnset}), worked out once. */
    Optional<String> trigger(SymptomReport report) {
        Optional<String> known = triggers.get(report.eventId());
        if (known == null) {
            known = FlareUpOnset.trigger(report, this);
            triggers.put(report.eventId(), known);
        }
        return known;
    }

    Optional<Instant> latestEventTime() {
        Instant latest = null;
        if (!sessions.isEmpty()) {
            latest = sessions.get(sessions.size() - 1).startedAt();
        }
        if (!symptoms.isEmpty()) {
            Instant s = symptoms.get(symptoms.size() - 1).observedAt();
            latest = latest == null || s.isAfter(latest) ? s : latest;
        }
        return Optional.ofNullable(latest);
    }

    /** Distinct event times from {@code from} on, ascending: the moments at which the timeline is evaluated. */
    List<Instant> eventTimesFrom(Instant from) {
        List<Instant> out = new ArrayList<>();
        int i = firstSessionAtOrAfter(from);
        int j = firstReportAtOrAfter(from);
        Instant last = null;
        while (i < sessions.size() || j < symptoms.size()) {
            Instant s = i < sessions.size() ? sessions.get(i).startedAt() : null;
            Instant r = j < symptoms.size() ? symptoms.get(j).observedAt() : null;
            Instant next;
            if (r == null || (s != null && !s.isAfter(r))) {
                next = s;
                i++;
            } else {
                next = r;
                j++;
            }
            if (!next.equals(last)) {
                out.add(next);
                last = next;
            }
        }
        return out;
    }

    /** The first event of any kind strictly after {@code t}: evidence that time has passed {@code t}. */
    Optional<Instant> firstEventAfter(Instant t) {
        int i = firstSessionAfter(t);
        int j = firstReportAfter(t);
        Instant s = i < sessions.size() ? sessions.get(i).startedAt() : null;
        Instant r = j < symptoms.size() ? symptoms.get(j).observedAt() : null;
        if (s == null) {
            return Optional.ofNullable(r);
        }
        return Optional.of(r == null || s.isBefore(r) ? s : r);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Windows, by binary search

    /** Runs that started in [from, to) . */
    List<TrainingSession> runsStarting(Instant from, Instant toExclusive) {
        return runs(firstSessionAtOrAfter(from), firstSessionAtOrAfter(toExclusive));
    }

    /** Runs that started in [from, to] . */
    List<TrainingSession> runsStartingThrough(Instant from, Instant toInclusive) {
        return runs(firstSessionAtOrAfter(from), firstSessionAfter(toInclusive));
    }

    /** The start of the {@code n}th run (1-based) that started in [from, to], or null with fewer. */
    Instant nthRunStartThrough(Instant from, Instant toInclusive, int n) {
        int end = firstSessionAfter(toInclusive);
        int seen = 0;
        for (int i = firstSessionAtOrAfter(from); i < end; i++) {
            if (sessions.get(i).countsAsRun() && ++seen == n) {
                return sessions.get(i).startedAt();
            }
        }
        return null;
    }

    /** Sessions of every type that started in [from, to] . */
    List<TrainingSession> sessionsStartingThrough(Instant from, Instant toInclusive) {
        int first = firstSessionAtOrAfter(from);
        return sessions.subList(first, Math.max(first, firstSessionAfter(toInclusive)));
    }

    /**
     * Runs that may have ended in [from, to]: every run that started in [from - longest session, to], latest
     * first. The caller checks the end; the bound only keeps the scan to the window.
     */
    List<TrainingSession> runsMaybeEndingThrough(Instant from, Instant toInclusive) {
        List<TrainingSession> out = new ArrayList<>();
        Instant earliestStart = from.minusMillis(Math.round(longestSessionMin * 60_000) + 1);
        for (int i = firstSessionAfter(toInclusive) - 1; i >= 0; i--) {
            TrainingSession s = sessions.get(i);
            if (s.startedAt().isBefore(earliestStart)) {
                break;
            }
            if (s.countsAsRun()) {
                out.add(s);
            }
        }
        return out;
    }

    /** Reports observed in [from, to], in {@link #SAME_INSTANT} order. */
    List<SymptomReport> reportsThrough(Instant from, Instant toInclusive) {
        return reports(firstReportAtOrAfter(from), firstReportAfter(toInclusive));
    }

    /** Reports observed in [from, to), in {@link #SAME_INSTANT} order. */
    List<SymptomReport> reportsBetween(Instant from, Instant toExclusive) {
        return reports(firstReportAtOrAfter(from), firstReportAtOrAfter(toExclusive));
    }

    /** The longest logged run distance among runs that started in [from, to]; null when none. */
    Double longestRunKm(Instant from, Instant toInclusive) {
        double longest = longestRunKm(firstSessionAtOrAfter(from), firstSessionAfter(toInclusive));
        return longest < 0 ? null : longest;
    }

    /** The longest logged run distance among runs that started in [from, to); 0 when none logged more than 0 km. */
    double longestRunKmBefore(Instant from, Instant toExclusive) {
        return Math.max(0, longestRunKm(firstSessionAtOrAfter(from), firstSessionAtOrAfter(toExclusive)));
    }

    /**
     * The longest logged distance of the runs among sessions [from, end), or -1 when none has one. A scan with a
     * primitive, not a list of runs walked with boxed distances: in that shape C2 ran out of nodes compiling
     * {@link Spike#ratio} (round 19, README "Speed").
     */
    private double longestRunKm(int from, int end) {
        double longest = -1;
        for (int i = from; i < end; i++) {
            TrainingSession s = sessions.get(i);
            if (s.countsAsRun() && s.distanceKm() != null && s.distanceKm() > longest) {
                longest = s.distanceKm();
            }
        }
        return longest;
    }

    private List<TrainingSession> runs(int from, int to) {
        List<TrainingSession> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            if (sessions.get(i).countsAsRun()) {
                out.add(sessions.get(i));
            }
        }
        return out;
    }

    /**
     * The timeline's reports are in observation time already (then event id): only reports that share an instant are
     * put in {@link #SAME_INSTANT} order, which is the order a full sort by it gives. Issue 15 (JFR of the load monitor
     * in figure 1): sorting the whole window with the eight-key comparator, for every report a baseline or a pattern
     * looked at, was a third of the monitor's CPU.
     */
    private List<SymptomReport> reports(int from, int to) {
        if (from >= to) {
            return new ArrayList<>();
        }
        List<SymptomReport> out = new ArrayList<>(symptoms.subList(from, to));
        int sameInstantFrom = 0;
        for (int i = 1; i <= out.size(); i++) {
            if (i == out.size() || !out.get(i).observedAt().equals(out.get(sameInstantFrom).observedAt())) {
                if (i - sameInstantFrom > 1) {
                    out.subList(sameInstantFrom, i).sort(SAME_INSTANT);
                }
                sameInstantFrom = i;
            }
        }
        return out;
    }

    /**
     * How many reports observed in [from, to) gave each pain (index 0-10, {@link SymptomReport}'s scale): what a
     * baseline's median and a day's lowest pain need, whatever the reports' order, without copying or sorting them.
     */
    int[] painCountsBetween(Instant from, Instant toExclusive) {
        int[] counts = new int[SymptomReport.MAX_PAIN + 1];
        int end = firstReportAtOrAfter(toExclusive);
        for (int i = firstReportAtOrAfter(from); i < end; i++) {
            counts[symptoms.get(i).pain()]++;
        }
        return counts;
    }

    private int firstSessionAtOrAfter(Instant t) {
        return firstSession(t, false);
    }

    private int firstSessionAfter(Instant t) {
        return firstSession(t, true);
    }

    private int firstReportAtOrAfter(Instant t) {
        return firstReport(t, false);
    }

    private int firstReportAfter(Instant t) {
        return firstReport(t, true);
    }

    /** The index of the first session starting at or after (strictly after, with {@code after}) {@code t}. */
    private int firstSession(Instant t, boolean after) {
        int lo = 0;
        int hi = sessions.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            int c = sessions.get(mid).startedAt().compareTo(t);
            if (c < 0 || (after && c == 0)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private int firstReport(Instant t, boolean after) {
        int lo = 0;
        int hi = symptoms.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            int c = symptoms.get(mid).observedAt().compareTo(t);
            if (c < 0 || (after && c == 0)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Event ids

    Instant timeOf(String eventId) {
        if (timeOfEvent == null) {
            timeOfEvent = new HashMap<>();
            for (int i = firstSessionAtOrAfter(indexFrom); i < sessions.size(); i++) {
                timeOfEvent.put(sessions.get(i).eventId(), sessions.get(i).startedAt());
            }
            for (int i = firstReportAtOrAfter(indexFrom); i < symptoms.size(); i++) {
                timeOfEvent.put(symptoms.get(i).eventId(), symptoms.get(i).observedAt());
            }
            fullyIndexed = indexFrom.equals(Instant.MIN);
        }
        Instant at = timeOfEvent.get(eventId);
        if (at == null && !fullyIndexed) {
            // Evidence older than the analysed stretch (e.g. the runs of a long quiet spell): index the rest once.
            for (TrainingSession s : sessions) {
                timeOfEvent.putIfAbsent(s.eventId(), s.startedAt());
            }
            for (SymptomReport r : symptoms) {
                timeOfEvent.putIfAbsent(r.eventId(), r.observedAt());
            }
            fullyIndexed = true;
            at = timeOfEvent.get(eventId);
        }
        return at;
    }

    /** Event ids ordered by event time, then id: the order evidence is listed in. */
    List<String> inEventOrder(Collection<String> eventIds) {
        List<String> ids = new ArrayList<>(new TreeSet<>(eventIds));
        ids.sort((a, b) -> {
            int c = timeOf(a).compareTo(timeOf(b));
            return c != 0 ? c : a.compareTo(b);
        });
        return ids;
    }
}
