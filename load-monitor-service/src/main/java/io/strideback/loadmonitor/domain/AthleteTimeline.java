package io.strideback.loadmonitor.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One athlete's events, kept in event time: wearables sync hours or days late and out of order (DOMAIN.md), so
 * the timeline is a SET of events ordered by when they happened, then by event id. An event id names one event:
 * adding an id the timeline already holds (a redelivery) changes nothing. Immutable; {@code with} returns a new
 * timeline.
 */
public final class AthleteTimeline {

    static final Comparator<TrainingSession> SESSION_ORDER =
            Comparator.comparing(TrainingSession::startedAt).thenComparing(TrainingSession::eventId);
    static final Comparator<SymptomReport> SYMPTOM_ORDER =
            Comparator.comparing(SymptomReport::observedAt).thenComparing(SymptomReport::eventId);

    private final AthleteProfile profile;
    private final List<TrainingSession> sessions;
    private final List<SymptomReport> symptoms;
    private final Set<String> eventIds;

    private AthleteTimeline(AthleteProfile profile, List<TrainingSession> sessions, List<SymptomReport> symptoms,
                            Set<String> eventIds) {
        this.profile = Objects.requireNonNull(profile, "profile");
        this.sessions = Collections.unmodifiableList(sessions);
        this.symptoms = Collections.unmodifiableList(symptoms);
        this.eventIds = Collections.unmodifiableSet(eventIds);
    }

    public static AthleteTimeline of(AthleteProfile profile) {
        return new AthleteTimeline(profile, new ArrayList<>(), new ArrayList<>(), new HashSet<>());
    }

    /** Bulk load (e.g. from a store); duplicates of an event id keep the first one given. */
    public static AthleteTimeline of(AthleteProfile profile, Collection<TrainingSession> sessions,
                                     Collection<SymptomReport> symptoms) {
        Set<String> ids = new HashSet<>();
        List<TrainingSession> s = new ArrayList<>();
        for (TrainingSession session : sessions) {
            if (ids.add(session.eventId())) {
                s.add(session);
            }
        }
        List<SymptomReport> r = new ArrayList<>();
        for (SymptomReport report : symptoms) {
            if (ids.add(report.eventId())) {
                r.add(report);
            }
        }
        s.sort(SESSION_ORDER);
        r.sort(SYMPTOM_ORDER);
        return new AthleteTimeline(profile, s, r, ids);
    }

    public AthleteTimeline with(TrainingSession session) {
        Objects.requireNonNull(session, "session");
        if (eventIds.contains(session.eventId())) {
            return this;
        }
        List<TrainingSession> s = new ArrayList<>(sessions);
        s.add(insertionPoint(s, session, SESSION_ORDER), session);
        return new AthleteTimeline(profile, s, new ArrayList<>(symptoms), withId(session.eventId()));
    }

    public AthleteTimeline with(SymptomReport report) {
        Objects.requireNonNull(report, "report");
        if (eventIds.contains(report.eventId())) {
            return this;
        }
        List<SymptomReport> r = new ArrayList<>(symptoms);
        r.add(insertionPoint(r, report, SYMPTOM_ORDER), report);
        return new AthleteTimeline(profile, new ArrayList<>(sessions), r, withId(report.eventId()));
    }

    /** The same events for an updated profile (e.g. a corrected declared symptom-free distance). */
    public AthleteTimeline withProfile(AthleteProfile newProfile) {
        return new AthleteTimeline(newProfile, new ArrayList<>(sessions), new ArrayList<>(symptoms),
                new HashSet<>(eventIds));
    }

    public AthleteProfile profile() {
        return profile;
    }

    /** Sessions by start time, then event id. */
    public List<TrainingSession> sessions() {
        return sessions;
    }

    /** Symptom reports by observation time, then event id. */
    public List<SymptomReport> symptoms() {
        return symptoms;
    }

    public boolean contains(String eventId) {
        return eventIds.contains(eventId);
    }

    public int size() {
        return eventIds.size();
    }

    /**
     * The latest event time: time passes as events show it, and after the latest one as a clock shows it
     * ({@link LoadMonitor#analyse(AthleteTimeline, ClinicRules, Instant)}).
     */
    public Optional<Instant> latestEventTime() {
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

    /**
     * The events before {@code cut} (event time), as views over this timeline's lists: the timeline as it was when
     * nothing later had arrived. With {@link #sliceEnd} an analysis of a long history runs in bounded slices.
     */
    public AthleteTimeline before(Instant cut) {
        List<TrainingSession> s = sessions.subList(0, firstSessionAtOrAfter(cut));
        List<SymptomReport> r = symptoms.subList(0, firstSymptomAtOrAfter(cut));
        Set<String> ids = new HashSet<>();
        s.forEach(session -> ids.add(session.eventId()));
        r.forEach(report -> ids.add(report.eventId()));
        return new AthleteTimeline(profile, s, r, ids);
    }

    /**
     * Where a slice of at most about {@code maxEvents} events from {@code from} (null: the first event) ends: the
     * event time the next slice starts at ({@link #before} it is this slice's timeline), or null when the events
     * from {@code from} on are no more than {@code maxEvents}. Events at one time are never split, so a slice always
     * moves past {@code from} (it may hold more than {@code maxEvents} when many share a time).
     */
    public Instant sliceEnd(Instant from, int maxEvents) {
        if (maxEvents < 1) {
            throw new IllegalArgumentException("maxEvents must be >= 1: " + maxEvents);
        }
        int s = from == null ? 0 : firstSessionAtOrAfter(from);
        int r = from == null ? 0 : firstSymptomAtOrAfter(from);
        if (sessions.size() - s + symptoms.size() - r <= maxEvents) {
            return null;
        }
        Instant first = null;
        Instant cut = null;
        for (int taken = 0; taken <= maxEvents; taken++) {
            Instant session = s < sessions.size() ? sessions.get(s).startedAt() : null;
            Instant report = r < symptoms.size() ? symptoms.get(r).observedAt() : null;
            if (report == null || (session != null && !report.isBefore(session))) {
                cut = session;
                s++;
            } else {
                cut = report;
                r++;
            }
            first = first == null ? cut : first;
        }
        if (!cut.isAfter(first)) {
            // every event taken is at one time: the slice takes them all and ends at the next time (none: the rest)
            Instant next = null;
            int ns = firstSessionAtOrAfter(first.plusNanos(1));
            int nr = firstSymptomAtOrAfter(first.plusNanos(1));
            if (ns < sessions.size()) {
                next = sessions.get(ns).startedAt();
            }
            if (nr < symptoms.size() && (next == null || symptoms.get(nr).observedAt().isBefore(next))) {
                next = symptoms.get(nr).observedAt();
            }
            return next;
        }
        return cut;
    }

    private int firstSessionAtOrAfter(Instant t) {
        return firstAtOrAfter(sessions, TrainingSession::startedAt, t);
    }

    private int firstSymptomAtOrAfter(Instant t) {
        return firstAtOrAfter(symptoms, SymptomReport::observedAt, t);
    }

    /** The index of the first of {@code sorted} (in time order) at or after {@code t}: binary search. */
    static <T> int firstAtOrAfter(List<T> sorted, java.util.function.Function<T, Instant> time, Instant t) {
        int lo = 0;
        int hi = sorted.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (time.apply(sorted.get(mid)).isBefore(t)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private Set<String> withId(String id) {
        Set<String> ids = new HashSet<>(eventIds);
        ids.add(id);
        return ids;
    }

    private static <T> int insertionPoint(List<T> sorted, T item, Comparator<T> order) {
        int i = Collections.binarySearch(sorted, item, order);
        return i >= 0 ? i : -(i + 1);
    }

    /**
     * An athlete's timeline that grows in place (issue #14): the load monitor holds one per athlete and adds each
     * new event where it belongs by binary search (at the end, for an event in time), instead of copying the lists
     * ({@link #with}) or sorting them again ({@link AthleteTimeline#of}) for every event. {@link #timeline()} is a
     * read-only view over the same lists, valid until the next add. Not thread-safe: the thread that owns the
     * athlete's partition owns it.
     */
    public static final class Growing {

        private AthleteProfile profile;
        private final List<TrainingSession> sessions;
        private final List<SymptomReport> symptoms;
        private final Set<String> eventIds;

        /** Starts from {@code timeline}'s events (copied once). */
        public Growing(AthleteTimeline timeline) {
            this.profile = timeline.profile;
            this.sessions = new ArrayList<>(timeline.sessions);
            this.symptoms = new ArrayList<>(timeline.symptoms);
            this.eventIds = new HashSet<>(timeline.eventIds);
        }

        /** False when the timeline holds this event id already (a redelivery). */
        public boolean add(TrainingSession session) {
            Objects.requireNonNull(session, "session");
            if (!eventIds.add(session.eventId())) {
                return false;
            }
            sessions.add(insertionPoint(sessions, session, SESSION_ORDER), session);
            return true;
        }

        /** False when the timeline holds this event id already (a redelivery). */
        public boolean add(SymptomReport report) {
            Objects.requireNonNull(report, "report");
            if (!eventIds.add(report.eventId())) {
                return false;
            }
            symptoms.add(insertionPoint(symptoms, report, SYMPTOM_ORDER), report);
            return true;
        }

        public void profile(AthleteProfile newProfile) {
            this.profile = Objects.requireNonNull(newProfile, "profile");
        }

        public AthleteProfile profile() {
            return profile;
        }

        public int size() {
            return eventIds.size();
        }

        /** The timeline as it stands: a view over these lists, not a copy (read it before the next add). */
        public AthleteTimeline timeline() {
            return new AthleteTimeline(profile, sessions, symptoms, eventIds);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AthleteTimeline other
                && profile.equals(other.profile)
                && sessions.equals(other.sessions)
                && symptoms.equals(other.symptoms);
    }

    @Override
    public int hashCode() {
        return Objects.hash(profile, sessions, symptoms);
    }

    @Override
    public String toString() {
        return "AthleteTimeline[" + profile.athleteId() + ", " + sessions.size() + " sessions, "
                + symptoms.size() + " symptom reports]";
    }
}
