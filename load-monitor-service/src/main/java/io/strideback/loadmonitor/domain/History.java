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
 */
final class History {

    final AthleteProfile profile;
    final ClinicRules rules;
    final List<TrainingSession> sessions;
    final List<TrainingSession> runs;
    /** Reports in event time; reports at the same instant in {@link #SAME_INSTANT} order. */
    final List<SymptomReport> reports;
    /** Distinct event times, ascending: the moments at which the unfolding timeline is evaluated. */
    final List<Instant> eventTimes;
    private final Map<String, Instant> timeOfEvent = new HashMap<>();
    private final ZoneId zone;

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

    History(AthleteTimeline timeline, ClinicRules rules) {
        this.profile = timeline.profile();
        this.rules = rules;
        this.sessions = timeline.sessions();
        List<SymptomReport> byInstant = new ArrayList<>(timeline.symptoms());
        byInstant.sort(SAME_INSTANT);
        this.reports = List.copyOf(byInstant);
        ZoneId athleteZone = timeline.profile().timeZone();
        this.zone = athleteZone != null ? athleteZone : rules.clinicZone();
        List<TrainingSession> r = new ArrayList<>();
        TreeSet<Instant> times = new TreeSet<>();
        for (TrainingSession s : sessions) {
            if (s.countsAsRun()) {
                r.add(s);
            }
            times.add(s.startedAt());
            timeOfEvent.put(s.eventId(), s.startedAt());
        }
        for (SymptomReport rep : reports) {
            times.add(rep.observedAt());
            timeOfEvent.put(rep.eventId(), rep.observedAt());
        }
        this.runs = List.copyOf(r);
        this.eventTimes = List.copyOf(times);
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

    Optional<Instant> latestEventTime() {
        return eventTimes.isEmpty() ? Optional.empty() : Optional.of(eventTimes.get(eventTimes.size() - 1));
    }

    Instant timeOf(String eventId) {
        return timeOfEvent.get(eventId);
    }

    /** Runs that started in [from, to) . */
    List<TrainingSession> runsStarting(Instant from, Instant toExclusive) {
        List<TrainingSession> out = new ArrayList<>();
        for (TrainingSession run : runs) {
            if (!run.startedAt().isBefore(from) && run.startedAt().isBefore(toExclusive)) {
                out.add(run);
            }
        }
        return out;
    }

    /** Runs that started in [from, to] . */
    List<TrainingSession> runsStartingThrough(Instant from, Instant toInclusive) {
        List<TrainingSession> out = new ArrayList<>();
        for (TrainingSession run : runs) {
            if (!run.startedAt().isBefore(from) && !run.startedAt().isAfter(toInclusive)) {
                out.add(run);
            }
        }
        return out;
    }

    /** Reports observed in [from, to] . */
    List<SymptomReport> reportsThrough(Instant from, Instant toInclusive) {
        List<SymptomReport> out = new ArrayList<>();
        for (SymptomReport r : reports) {
            if (!r.observedAt().isBefore(from) && !r.observedAt().isAfter(toInclusive)) {
                out.add(r);
            }
        }
        return out;
    }

    /** The longest logged run distance among runs that started in [from, to]; null when none. */
    Double longestRunKm(Instant from, Instant toInclusive) {
        Double longest = null;
        for (TrainingSession run : runsStartingThrough(from, toInclusive)) {
            Double km = run.runKm();
            if (km != null && (longest == null || km > longest)) {
                longest = km;
            }
        }
        return longest;
    }

    /** The first event of any kind strictly after {@code t}: evidence that time has passed {@code t}. */
    Optional<Instant> firstEventAfter(Instant t) {
        for (Instant e : eventTimes) {
            if (e.isAfter(t)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
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
