package io.strideback.loadmonitor.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    final List<SymptomReport> reports;
    /** Distinct event times, ascending: the moments at which the unfolding timeline is evaluated. */
    final List<Instant> eventTimes;
    private final Map<String, Instant> timeOfEvent = new HashMap<>();

    History(AthleteTimeline timeline, ClinicRules rules) {
        this.profile = timeline.profile();
        this.rules = rules;
        this.sessions = timeline.sessions();
        this.reports = timeline.symptoms();
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

    ZoneId zone() {
        return rules.clinicZone();
    }

    LocalDate dateOf(Instant t) {
        return t.atZone(rules.clinicZone()).toLocalDate();
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
