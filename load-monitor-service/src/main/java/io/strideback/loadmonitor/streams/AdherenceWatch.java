package io.strideback.loadmonitor.streams;

import io.strideback.events.EventCodec;
import io.strideback.events.EventEnvelope;
import io.strideback.events.EventType;
import io.strideback.events.FindingEvents.AdherenceNoted;
import io.strideback.events.FindingEvents.AdherenceWithdrawn;
import io.strideback.events.FindingEvents.PatternDetected;
import io.strideback.events.PlanEvents.ConstraintPeriod;
import io.strideback.events.PlanEvents.PlanChanged;
import io.strideback.events.Topic;
import io.strideback.events.UnreadableEventException;
import io.strideback.events.vocabulary.PatternKind;
import io.strideback.events.vocabulary.RunIntensity;
import io.strideback.loadmonitor.domain.AdherenceFinding;
import io.strideback.loadmonitor.domain.ConstraintSchedule;
import io.strideback.loadmonitor.domain.OverThePlan;
import io.strideback.loadmonitor.domain.PlanLimits;
import io.strideback.loadmonitor.domain.TrainingSession;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * DOMAIN.md "over the plan", the monitor's side: per athlete, the plan's constraint schedule of the highest plan
 * version seen on {@code strideback.plan-events.v1} (version order, so arrival order does not matter), and the
 * adherence findings ({@link OverThePlan}) announced from it, in the {@value MonitorTopology#ADHERENCE} store.
 * <ul>
 *   <li>a plan version newer than the one held replaces the schedule, and every run of the athlete is judged
 *       again: a new breach is announced ({@code adherence.noted}), one that changed (another cap, another start)
 *       is announced again, one no longer made is withdrawn ({@code adherence.withdrawn});</li>
 *   <li>a newly logged run is judged against the schedule held;</li>
 *   <li>the findings' {@code OVER_THE_PLAN} pattern ({@link OverThePlan#pattern}, the row the patterns read shows)
 *       is announced as a {@code pattern.detected} when it first holds and again, under a new id, whenever its start
 *       or its runs change. A pattern that no longer holds has no event of its own, as for every pattern
 *       ({@link Announcements}): the {@code adherence.withdrawn} of its runs say it;</li>
 *   <li>nothing here ever proposes a plan change: the findings go to {@code strideback.load-findings.v1} only.</li>
 * </ul>
 * Every ce_id is derived from the finding's id (the pattern's start) and how many times it was announced before, so
 * a replay after a crash gives the same ids.
 */
public final class AdherenceWatch {

    private static final Logger LOG = Logger.getLogger(AdherenceWatch.class);

    static final String WITHDRAWN = "With the plan as it stands now (a later plan version moved or withdrew the"
            + " limit this run was judged against), this run no longer breaks the plan in force at its time.";

    /**
     * One athlete's entry: the schedule held, the findings and their pattern as last announced ({@code pattern} is
     * null in entries written before the pattern was announced, and until it first holds).
     */
    record Held(ConstraintSchedule schedule, List<AdherenceFinding> findings, Map<String, Announced> announced,
                AnnouncedPattern pattern) {

        Held {
            findings = findings == null ? List.of() : List.copyOf(findings);
            announced = announced == null ? Map.of() : announced;
        }

        byte[] toBytes() {
            try {
                return EventCodec.JSON.writeValueAsBytes(this);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        static Held fromBytes(byte[] value) {
            try {
                return EventCodec.JSON.readValue(value, Held.class);
            } catch (IOException e) {
                throw new UncheckedIOException("an athlete's adherence entry is unreadable", e);
            }
        }
    }

    /** A finding as last announced: its sentence (a change is announced again), withdrawals and returns counted. */
    record Announced(String reason, int generation, boolean current) {
    }

    /** The OVER_THE_PLAN pattern as last announced: its start and runs, announcements counted, whether it holds. */
    record AnnouncedPattern(Instant since, List<String> runEventIds, int generation, boolean current) {

        boolean announces(OverThePlan.Pattern p) {
            return current && since.equals(p.since()) && runEventIds.equals(p.runEventIds());
        }
    }

    private final ProcessorContext<String, byte[]> context;
    private final KeyValueStore<String, byte[]> store;
    private final boolean announce;
    /**
     * The entries read or written lately, as the store holds them (issue #14: a logged run read and parsed its
     * athlete's entry, JSON with every finding, from the store, ~4% of a replay's samples). Written through, so it
     * never differs from the store; bounded, least recently used out first; a new task (init, a revival after an
     * aborted transaction) starts with an empty one.
     */
    private final Map<String, Held> recent = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Held> eldest) {
            return size() > RECENT_ENTRIES;
        }
    };
    private static final int RECENT_ENTRIES = 4_096;

    AdherenceWatch(ProcessorContext<String, byte[]> context, KeyValueStore<String, byte[]> store, boolean announce) {
        this.context = context;
        this.store = store;
        this.announce = announce;
    }

    /** The athlete's current adherence findings as the read API serves them; empty when none are held. */
    public static List<AdherenceFinding> storedFindings(byte[] value) {
        return value == null ? List.of() : Held.fromBytes(value).findings();
    }

    /**
     * A plan-events record. Unreadable, or keyed other than its athlete: parked on the plan topic's DLQ through
     * {@code deadLetter}. An older or equal version than the one held changes nothing; a newer one replaces the
     * schedule and the athlete's runs ({@code runs}: none while the monitor has no enrolment) are judged again, in the
     * athlete's {@code zone} (null: the clinic's).
     */
    void planChanged(Record<String, byte[]> record, ZoneId zone, Supplier<List<TrainingSession>> runs,
                     BiConsumer<Record<String, byte[]>, String> deadLetter) {
        EventEnvelope<?> event;
        try {
            event = EventCodec.fromParts(record.headers(), record.value());
        } catch (UnreadableEventException e) {
            deadLetter.accept(record, e.getMessage());
            return;
        }
        if (!(event.data() instanceof PlanChanged plan)) {
            deadLetter.accept(record, event.type().ceType() + " " + event.id() + " is not a plan event");
            return;
        }
        if (!event.key().equals(record.key())) {
            deadLetter.accept(record, event.type().ceType() + " " + event.id() + " has key '" + record.key()
                    + "', not its athlete's '" + event.key() + "'");
            return;
        }
        if (plan.constraintSchedule() == null) {
            // Written before plans published their schedule: the next version will carry one.
            LOG.debugf("plan version %d of %s has no constraint schedule", plan.version(), record.key());
            return;
        }
        Held held = held(record.key());
        if (held != null && held.schedule() != null && held.schedule().planVersion() >= plan.version()) {
            return;
        }
        ConstraintSchedule schedule = schedule(plan);
        List<AdherenceFinding> findings = OverThePlan.findings(plan.clinicId(), plan.athleteId(), zone, runs.get(),
                schedule);
        announce(record.key(), plan.clinicId(), plan.athleteId(), held, schedule, findings, record.timestamp());
    }

    /** A newly logged session: judged against the schedule held (a run changes only its own findings). */
    void sessionLogged(String key, Supplier<ZoneId> zone, TrainingSession session, long timestamp) {
        if (!session.countsAsRun()) {
            return;
        }
        Held held = held(key);
        if (held == null) {
            return; // no plan seen yet: judged when it comes
        }
        if (held.schedule() == null) {
            return;
        }
        // The key is clinicId/athleteId (Topic.key): a run logged before its enrolment is still the athlete's.
        String clinicId = key.substring(0, key.indexOf('/'));
        String athleteId = key.substring(key.indexOf('/') + 1);
        List<AdherenceFinding> own = OverThePlan.findings(clinicId, athleteId, zone.get(), List.of(session),
                held.schedule());
        if (own.isEmpty() && held.findings().stream().noneMatch(f -> f.sessionEventId().equals(session.eventId()))) {
            // Within the plan and never judged otherwise (most runs): the findings, what was announced and the
            // pattern stay as they are, so the entry would be written back unchanged; nothing to write or announce.
            return;
        }
        List<AdherenceFinding> findings = new ArrayList<>(held.findings().stream()
                .filter(f -> !f.sessionEventId().equals(session.eventId())).toList());
        findings.addAll(own);
        findings.sort(java.util.Comparator.comparing(AdherenceFinding::sessionAt)
                .thenComparing(AdherenceFinding::sessionEventId).thenComparing(AdherenceFinding::breach));
        announce(key, clinicId, athleteId, held, held.schedule(), findings, timestamp);
    }

    /** CONTRACT v2 erasure: nothing of the athlete stays. */
    void forget(String key) {
        store.delete(key);
        recent.remove(key);
    }

    /** The athlete's entry, or null: from {@link #recent}, else read from the store. */
    private Held held(String key) {
        Held held = recent.get(key);
        if (held == null) {
            byte[] stored = store.get(key);
            if (stored == null) {
                return null;
            }
            held = Held.fromBytes(stored);
            recent.put(key, held);
        }
        return held;
    }

    private void announce(String key, String clinicId, String athleteId, Held held, ConstraintSchedule schedule,
                          List<AdherenceFinding> findings, long timestamp) {
        Map<String, Announced> announced = new LinkedHashMap<>(held == null ? Map.of() : held.announced());
        List<EventEnvelope<?>> out = new ArrayList<>();
        Instant at = Instant.ofEpochMilli(timestamp);
        Set<String> now = findings.stream().map(AdherenceFinding::adherenceId).collect(Collectors.toSet());
        for (Map.Entry<String, Announced> e : new ArrayList<>(announced.entrySet())) {
            Announced before = e.getValue();
            if (before.current() && !now.contains(e.getKey())) {
                AdherenceFinding was = held.findings().stream().filter(f -> f.adherenceId().equals(e.getKey()))
                        .findFirst().orElse(null);
                out.add(event(EventType.ADHERENCE_WITHDRAWN, "adherence-withdrawn|" + e.getKey() + "|"
                        + before.generation(), at, clinicId, athleteId, new AdherenceWithdrawn(athleteId, clinicId,
                        e.getKey(), was == null ? null : was.sessionEventId(),
                        was == null ? null : was.breach().name(), WITHDRAWN, at)));
                announced.put(e.getKey(), new Announced(before.reason(), before.generation() + 1, false));
            }
        }
        for (AdherenceFinding f : findings) {
            Announced before = announced.get(f.adherenceId());
            if (before != null && before.current() && before.reason().equals(f.reason())) {
                continue;
            }
            int generation = before == null ? 0 : before.generation() + (before.current() ? 1 : 0);
            out.add(event(EventType.ADHERENCE_NOTED, "adherence|" + f.adherenceId() + "|" + generation,
                    f.sessionAt(), clinicId, athleteId, noted(clinicId, athleteId, f)));
            announced.put(f.adherenceId(), new Announced(f.reason(), generation, true));
        }
        AnnouncedPattern pattern = pattern(clinicId, athleteId, held == null ? null : held.pattern(), findings, out);
        byte[] entry = new Held(schedule, findings, announced, pattern).toBytes();
        store.put(key, entry);
        // as a read of the store gives it back (the JSON's round trip), so held or read it is the same entry
        recent.put(key, Held.fromBytes(entry));
        if (!announce) {
            return;
        }
        for (EventEnvelope<?> event : out) {
            ProducerRecord<String, byte[]> r = EventCodec.toRecord(event);
            context.forward(new Record<>(r.key(), r.value(), timestamp, r.headers()), MonitorTopology.FINDINGS_SINK);
        }
    }

    /**
     * CONTRACT v2 pattern kind OVER_THE_PLAN on the findings topic: a {@code pattern.detected} when the findings'
     * pattern differs from the one last announced. The first announcement's id has the seed every pattern's has
     * ({@link Announcements}: kind and start); each later one counts the announcements before it, so a changed
     * pattern (a new run over the plan, an earlier start) has a new id and a replay the same ones. Never a plan
     * change: plan-service reads only the adjustments topic. Returns the pattern as announced now.
     */
    private static AnnouncedPattern pattern(String clinicId, String athleteId, AnnouncedPattern before,
                                            List<AdherenceFinding> findings, List<EventEnvelope<?>> out) {
        Optional<OverThePlan.Pattern> now = OverThePlan.pattern(findings);
        if (now.isEmpty()) {
            // No longer holds: no event (as for every pattern); a return is announced again under a new id.
            return before == null || !before.current() ? before
                    : new AnnouncedPattern(before.since(), before.runEventIds(), before.generation(), false);
        }
        OverThePlan.Pattern p = now.get();
        if (before != null && before.announces(p)) {
            return before;
        }
        int generation = before == null ? 0 : before.generation() + 1;
        out.add(event(EventType.PATTERN_DETECTED, "pattern|" + clinicId + "|" + athleteId + "|"
                        + PatternKind.OVER_THE_PLAN + "|" + p.since() + (generation == 0 ? "" : "|" + generation),
                p.since(), clinicId, athleteId, new PatternDetected(athleteId, clinicId, PatternKind.OVER_THE_PLAN,
                        p.since(), List.of(), p.runEventIds())));
        return new AnnouncedPattern(p.since(), p.runEventIds(), generation, true);
    }

    private static AdherenceNoted noted(String clinicId, String athleteId, AdherenceFinding f) {
        return new AdherenceNoted(athleteId, clinicId, f.sessionId(), f.sessionAt(), f.breach().name(), f.runKm(),
                f.capKm(), f.intensity(), f.allowed() == null ? null : f.allowed().name(), f.reason(),
                f.adherenceId(), f.sessionEventId(), f.inForceSince(), f.planVersion());
    }

    /** The published schedule in the domain's words (an unknown intensity name reads as no limit). */
    static ConstraintSchedule schedule(PlanChanged plan) {
        List<ConstraintSchedule.Period> periods = new ArrayList<>();
        for (ConstraintPeriod p : plan.constraintSchedule()) {
            if (p == null || p.from() == null || p.constraints() == null) {
                continue;
            }
            periods.add(new ConstraintSchedule.Period(p.from(), new PlanLimits(p.constraints().maxDistanceKm(),
                    intensity(p.constraints().maxIntensity()), p.constraints().runningPaused())));
        }
        return new ConstraintSchedule(plan.version(), periods);
    }

    private static RunIntensity intensity(String name) {
        if (name == null) {
            return null;
        }
        try {
            return RunIntensity.valueOf(name);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static <T> EventEnvelope<T> event(EventType type, String idSeed, Instant time, String clinicId,
                                              String athleteId, T data) {
        String id = UUID.nameUUIDFromBytes((clinicId + "|" + athleteId + "|" + idSeed)
                .getBytes(StandardCharsets.UTF_8)).toString();
        return new EventEnvelope<>(id, type, Announcements.SOURCE, time, athleteId, clinicId,
                EventType.CURRENT_SCHEMA_VERSION, data);
    }

    /** The plan topic's DLQ, where the monitor parks a plan record it cannot read. */
    static final String PLAN_DEAD_LETTERS = Topic.PLAN_EVENTS.deadLetterTopicName();
}
