package io.strideback.loadmonitor.streams;

import io.strideback.loadmonitor.state.AthleteAnalyses;

import io.strideback.events.ActivityEvents.AthleteEnrolled;
import io.strideback.events.ActivityEvents.AthleteErased;
import io.strideback.events.ActivityEvents.SessionLogged;
import io.strideback.events.ActivityEvents.SymptomReported;
import io.strideback.events.EventCodec;
import io.strideback.events.EventEnvelope;
import io.strideback.events.FindingEvents;
import io.strideback.events.Topic;
import io.strideback.events.UnreadableEventException;
import io.strideback.loadmonitor.domain.AthleteProfile;
import io.strideback.loadmonitor.domain.AthleteTimeline;
import io.strideback.loadmonitor.domain.SymptomReport;
import io.strideback.loadmonitor.domain.TrainingSession;
import io.strideback.loadmonitor.domain.ClinicRules;
import io.strideback.loadmonitor.domain.Findings;
import io.strideback.loadmonitor.domain.FindingsAsOf;
import io.strideback.loadmonitor.mapping.FindingsMapping;
import io.strideback.support.messaging.DeadLetterBounds;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The athlete monitor, for the athletes of the task's partition. Issue #14: a record is stored, an analysis runs
 * per batch.
 * <ul>
 *   <li>an activity event is stored under its athlete and id ({@value MonitorTopology#ATHLETE_EVENTS}; a redelivered
 *       event id changes nothing) and marks its athlete for analysis from the event's time
 *       ({@value MonitorTopology#TO_ANALYSE}), in the same transaction;</li>
 *   <li>every analysis interval (wall clock) each marked athlete is analysed once: the rules run on the athlete's
 *       timeline from the earliest time marked ({@link MonitorAnalysis}), only what changed since the last analysis
 *       is announced ({@link Announcements}), and the mark is deleted. The findings are those of analysing after
 *       every event (the analysis is a function of the set of events); a burst or a replay is analysed once;</li>
 *   <li>a plan event ({@code strideback.plan-events.v1}) and a logged run go to {@link AdherenceWatch} (DOMAIN.md
 *       "over the plan": runs judged against the plan in force at their time, findings only);</li>
 *   <li>a clinic's settings change is kept and marks every athlete of the clinic held here for a whole analysis;</li>
 *   <li>{@code athlete.erased} deletes the athlete's events, mark, view and adherence (tombstones in the changelogs)
 *       and replaces the state by an erased marker with no data, so later events of the athlete are dropped;</li>
 *   <li>a record that cannot be read goes to {@code strideback.athlete-activity.v1.dlq} with the reason in
 *       {@value Topic#DLQ_REASON_HEADER}; an athlete whose analysis throws keeps its events (they are stored) and is
 *       recorded there too, and the others go on (issue 12). Store and broker failures are not caught: the stream
 *       thread is replaced and the records since the last commit are processed again, never skipped.</li>
 * </ul>
 */
final class AthleteMonitor implements Processor<String, byte[], String, byte[]> {

    private static final Logger LOG = Logger.getLogger(AthleteMonitor.class);
    private static final StringSerializer KEYS = new StringSerializer();

    private final MonitorMeters meters;
    private final boolean announce;
    private final AnalysisPace pace;
    /** When the marked athletes were last analysed (wall clock, ms): behind, they wait the catch-up interval. */
    private long lastAnalysis;
    /** How long after it was written (ms) the task's latest activity record was read: how far behind it is. */
    private long latestRecordAgeMs;
    private ProcessorContext<String, byte[]> context;
    private KeyValueStore<String, byte[]> athletes;
    private KeyValueStore<String, byte[]> events;
    private KeyValueStore<String, byte[]> toAnalyse;
    private KeyValueStore<String, byte[]> settings;
    private KeyValueStore<String, byte[]> views;
    /** Round 16: when time alone changes each athlete's findings next; read from its store at init. */
    private AthleteTimers timers;
    /** The wall clock (epoch ms) of the tick analysing now. */
    private long tickNow;
    private Cancellable analysing;
    /** Round 20: the analysis tick's period, slower while the task has no work. */
    private AnalysisCadence cadence;
    /** DOMAIN.md "over the plan": the plan's constraint schedule and the adherence findings, per athlete. */
    private AdherenceWatch adherence;
    /**
     * Issue 14: each task's athletes' analysis checkpoints, bounded in heap; a new event re-evaluates from its own
     * time minus the longest window, an athlete not held (a restart, a moved partition) gets one full analysis.
     */
    private final AthleteAnalyses analyses = new AthleteAnalyses(ANALYSES_BUDGET_BYTES);
    private static final long ANALYSES_BUDGET_BYTES = 4L * 1024 * 1024;
    /** Issue 14: the task's athletes' timelines, unpacked and growing in place, bounded in heap. */
    private final HeldTimelines timelines = new HeldTimelines(TIMELINES_BUDGET_BYTES);
    private static final long TIMELINES_BUDGET_BYTES = 8L * 1024 * 1024;

    /** Parsed settings by clinic; dropped when the clinic's settings change. */
    private final Map<String, ClinicRules> rulesByClinic = new HashMap<>();

    /**
     * The task's athletes waiting for analysis, as in the {@value MonitorTopology#TO_ANALYSE} store (which makes them
     * durable with the events that marked them): read from the store at init, kept with every write to it, so a
     * new event's mark reads no store and the punctuation opens no store iterator (issue #14: a replay's profile
     * showed each task's iterator, opened every 20 ms, and its metrics costing a fifth of the stream thread).
     */
    private final Map<String, AnalysisMark> marked = new LinkedHashMap<>();
    /** How many of {@link #marked} the meters were told about. */
    private int markedReported;
    /** How many of the task's due timers not yet taken the meters were told about (round 17). */
    private int overdueReported;

    AthleteMonitor(MonitorMeters meters, boolean announce, AnalysisPace pace) {
        this.meters = meters;
        this.announce = announce;
        this.pace = pace;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        this.athletes = context.getStateStore(MonitorTopology.ATHLETES);
        this.events = context.getStateStore(MonitorTopology.ATHLETE_EVENTS);
        this.toAnalyse = context.getStateStore(MonitorTopology.TO_ANALYSE);
        this.settings = context.getStateStore(MonitorTopology.CLINIC_SETTINGS);
        this.views = context.getStateStore(MonitorTopology.FINDINGS_VIEW);
        this.timers = new AthleteTimers(context.getStateStore(MonitorTopology.ATHLETE_TIMERS));
        this.adherence = new AdherenceWatch(context, context.getStateStore(MonitorTopology.ADHERENCE), announce);
        // a task revived after an aborted transaction starts from its stores, not from heap
        analyses.clear();
        timelines.clear();
        // Marks restored from the changelog (a crash before their analysis) are analysed at the first tick.
        marked.clear();
        try (KeyValueIterator<String, byte[]> it = toAnalyse.all()) {
            it.forEachRemaining(m -> marked.put(m.key, AnalysisMark.fromBytes(m.value)));
        }
        reportMarked();
        lastAnalysis = context.currentSystemTimeMs();
        latestRecordAgeMs = 0;
        cadence = new AnalysisCadence(pace.interval(), pace.idleInterval(), pace.idleAfter(), lastAnalysis);
        analysing = context.schedule(cadence.initial(), PunctuationType.WALL_CLOCK_TIME, this::analyseMarked);
    }

    /** Round 20 ({@link AnalysisCadence}): the analysis tick from now on every {@code period}; null keeps it. */
    private void tickEvery(Duration period) {
        if (period != null) {
            analysing.cancel(); // Kafka Streams allows it from within the punctuation itself
            analysing = context.schedule(period, PunctuationType.WALL_CLOCK_TIME, this::analyseMarked);
        }
    }

    @Override
    public void close() {
        if (analysing != null) {
            analysing.cancel();
        }
        analyses.clear();
        timelines.clear();
        // the marks and timers stay in their stores, for whichever instance takes the task next
        marked.clear();
        if (timers != null) {
            timers.forgetHeld();
        }
        reportMarked();
        meters.timersOverdue(-overdueReported);
        overdueReported = 0;
    }

    @Override
    public void process(Record<String, byte[]> record) {
        String topic = context.recordMetadata().map(RecordMetadata::topic).orElse("");
        if (MonitorTopology.SETTINGS_TOPIC.equals(topic)) {
            settingsChanged(record);
        } else if (Topic.PLAN_EVENTS.topicName().equals(topic)) {
            byte[] held = record.key() == null ? null : athletes.get(record.key());
            if (AthleteState.isErased(held)) {
                return; // erased: the plan's later events make no state of the athlete again
            }
            // Issue 15 (JFR of the replay, round 12): the whole state (announcements and all) was parsed for every plan
            // event, most of which change nothing here (a version already held); the profile's two fields are read
            // alone and the state only when the runs are judged.
            boolean enrolled = held != null && AthleteState.enrolledFromBytes(held);
            ZoneId zone = enrolled ? AthleteState.zoneFromBytes(held) : null;
            try {
                adherence.planChanged(record, zone,
                        () -> enrolled ? sessionsOf(record.key(), AthleteState.fromBytes(held)) : List.of(),
                        (r, reason) -> deadLetter(r, reason, MonitorTopology.PLAN_DEAD_LETTER_SINK));
            } catch (KafkaException e) {
                throw e; // a store or the broker: processed again, never skipped
            } catch (RuntimeException e) {
                // judging the runs against this plan version fails for good: parked with its reason, the rest flows
                deadLetter(record, "plan event refused: " + e, MonitorTopology.PLAN_DEAD_LETTER_SINK);
            }
        } else {
            activity(record);
        }
    }

    private void activity(Record<String, byte[]> record) {
        latestRecordAgeMs = context.currentSystemTimeMs() - record.timestamp();
        // Round 15: a plan or finding type on the activity log was read, matched nothing and was counted as taken.
        String foreign = EventCodec.notAnEventOf(Topic.ATHLETE_ACTIVITY, record.headers());
        if (foreign != null) {
            deadLetter(record, foreign);
            return;
        }
        EventEnvelope<?> event;
        try {
            event = EventCodec.fromParts(record.headers(), record.value());
        } catch (UnreadableEventException e) {
            deadLetter(record, e.getMessage());
            return;
        }
        String key = event.key();
        if (!key.equals(record.key())) {
            // Kept under another key it would live in another partition's state: refuse it visibly.
            deadLetter(record, event.type().ceType() + " " + event.id() + " has key '" + record.key()
                    + "', not its athlete's '" + key + "'");
            return;
        }
        Object data = event.data();
        if (data instanceof AthleteErased erased) {
            meters.eventIn(event.type().ceType());
            // CONTRACT v2 erasure: nothing of the athlete stays (the view's delete is a changelog tombstone); the
            // state becomes the erased marker, so a late event of the athlete makes no state again.
            athletes.put(key, AthleteState.ERASED);
            views.delete(key);
            toAnalyse.delete(key);
            marked.remove(key);
            reportMarked();
            timers.clear(key);
            deleteEvents(key);
            adherence.forget(key);
            timelines.forget(key);
            analyses.forget(erased.clinicId(), erased.athleteId());
            return;
        }
        if (AthleteState.isErased(athletes.get(key))) {
            meters.eventIn(event.type().ceType());
            return; // erased: dropped, never kept again
        }
        String reused = null;
        try {
            if (data instanceof AthleteEnrolled a) {
                enrolled(key, a, record.timestamp(), event.id());
            } else if (data instanceof SessionLogged s) {
                reused = stored(key, FindingsMapping.session(event.id(), s), s.startedAt(), record.timestamp(),
                        EventCodec.bodyDigest(record.value()));
            } else if (data instanceof SymptomReported s) {
                reused = stored(key, FindingsMapping.symptom(event.id(), s), s.observedAt(), record.timestamp(),
                        EventCodec.bodyDigest(record.value()));
            }
            // assessments are the plan's
        } catch (KafkaException e) {
            throw e; // a store or the broker: the thread is replaced and the record processed again, never skipped
        } catch (RuntimeException e) {
            // Readable JSON whose values the rules cannot take (pain 11, a negative distance, no enrolment data, a
            // time the calendar cannot hold): the same record would fail again, so it is parked with its reason and
            // every other athlete goes on (issue 12). An event already stored stays stored.
            deadLetter(record, event.type().ceType() + " " + event.id() + " refused: " + e);
            return;
        }
        if (reused != null) {
            deadLetter(record, event.type().ceType() + " " + event.id() + " refused: " + reused);
            return;
        }
        meters.eventIn(event.type().ceType());
    }

    /** A new or corrected profile: the whole timeline is analysed again. */
    private void enrolled(String key, AthleteEnrolled a, long recordTime, String eventId) {
        AthleteProfile profile = new AthleteProfile(a.athleteId(), a.clinicId(), a.diagnosis(), a.injuryDate(),
                a.symptomFreeRunKm(), zone(a.timeZone()));
        byte[] held = athletes.get(key);
        AthleteState state = held == null ? new AthleteState() : AthleteState.fromBytes(held);
        if (profile.equals(state.profile)) {
            return;
        }
        state.profile = profile;
        athletes.put(key, state.toBytes());
        mark(key, AnalysisMark.whole(recordTime, eventId));
    }

    /**
     * Stores a session or report once (a redelivered id changes nothing) and marks its athlete from its time; with it
     * the digest of its record's body. Round 17: an id already stored with another body is not a redelivery but a
     * rogue writer's reuse: the reason it is refused (the first stands), else null.
     */
    private String stored(String key, Object sessionOrReport, Instant eventTime, long recordTime, byte[] bodyDigest) {
        String eventId = sessionOrReport instanceof TrainingSession s ? s.eventId()
                : ((SymptomReport) sessionOrReport).eventId();
        String eventKey = AthleteState.eventKey(key, eventId);
        AthleteTimeline.Growing held = timelines.get(key);
        if (held != null) {
            // a held timeline has every stored event of the athlete: it answers "seen before?" without a store read
            if (!(sessionOrReport instanceof TrainingSession s ? held.add(s)
                    : held.add((SymptomReport) sessionOrReport))) {
                return reused(eventId, events.get(eventKey), bodyDigest);
            }
            timelines.added(key);
        } else {
            byte[] stored = events.get(eventKey);
            if (stored != null) {
                return reused(eventId, stored, bodyDigest);
            }
        }
        events.put(eventKey, AthleteState.eventBytes(sessionOrReport, bodyDigest));
        mark(key, new AnalysisMark(eventTime, recordTime, eventId));
        if (sessionOrReport instanceof TrainingSession session) {
            // DOMAIN.md "over the plan": a new run is judged against the plan in force at its start
            adherence.sessionLogged(key, () -> zoneOf(key), session, recordTime);
        }
        return null;
    }

    /** Why a record under a stored event's id is refused, or null: the same body (a retry), or none kept with it. */
    private static String reused(String eventId, byte[] stored, byte[] bodyDigest) {
        return stored == null ? null : EventCodec.idReused(eventId, AthleteState.bodyDigestFromBytes(stored), bodyDigest);
    }

    /** The athlete's time zone from the profile, or null (not enrolled here yet: the clinic's zone). */
    private java.time.ZoneId zoneOf(String key) {
        byte[] held = athletes.get(key);
        return held == null || AthleteState.isErased(held) ? null : AthleteState.zoneFromBytes(held);
    }

    /** The athlete's sessions: the timeline held in heap, else the events store (plus any kept inline by an old state). */
    private List<TrainingSession> sessionsOf(String key, AthleteState state) {
        AthleteTimeline.Growing held = timelines.get(key);
        if (held != null && state.sessions.isEmpty()) {
            return held.timeline().sessions();
        }
        List<TrainingSession> sessions = new ArrayList<>(storedTimeline(key, state.profile).sessions());
        sessions.addAll(state.sessions);
        return sessions;
    }

    private void mark(String key, AnalysisMark mark) {
        AnalysisMark merged = marked.merge(key, mark, AnalysisMark::and);
        toAnalyse.put(key, merged.toBytes());
        reportMarked();
        tickEvery(cadence.marked(context.currentSystemTimeMs()));
    }

    private void reportMarked() {
        if (marked.size() != markedReported) {
            meters.awaitingAnalysis(marked.size() - markedReported);
            markedReported = marked.size();
        }
    }

    private void deleteEvents(String key) {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = events.prefixScan(AthleteState.eventsPrefix(key), KEYS)) {
            it.forEachRemaining(e -> keys.add(e.key));
        }
        keys.forEach(events::delete);
    }

    /**
     * A clinic's settings change, kept when it is one the door would take. Round 19, from outside: a record that
     * was not JSON, named another clinic than its key, or held settings out of bounds was logged and skipped (or
     * kept, and the clinic fell back to the defaults at the next analysis). Each would fail the same way again: it
     * is parked on {@value MonitorTopology#SETTINGS_DEAD_LETTERS} with its reason and the clinic keeps the settings
     * it had. Store and broker failures are not caught (processed again, never skipped).
     */
    private void settingsChanged(Record<String, byte[]> record) {
        String clinicId = record.key();
        String refused = settingsRefused(record);
        if (refused != null) {
            deadLetter(record, "clinic settings refused, the clinic keeps its settings: " + refused,
                    MonitorTopology.SETTINGS_DEAD_LETTER_SINK);
            return;
        }
        settings.put(clinicId, record.value());
        rulesByClinic.remove(clinicId);
        // The clinic's athletes held by this task, read first and marked after (no write under an open iterator).
        List<String> held = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = athletes.prefixScan(clinicId + "/", KEYS)) {
            it.forEachRemaining(athlete -> {
                if (!AthleteState.isErased(athlete.value)) {
                    held.add(athlete.key);
                }
            });
        }
        for (String athlete : held) {
            mark(athlete, AnalysisMark.whole(record.timestamp(), null));
        }
    }

    /** Why a settings record cannot be taken, or null when it can. */
    private static String settingsRefused(Record<String, byte[]> record) {
        if (record.key() == null || record.value() == null) {
            return "a settings record needs the clinic id as key and a value";
        }
        if (record.value().length > ClinicSettingsChange.MAX_BYTES) {
            // far above any real settings: kept, it would be copied to the store's changelog at every change
            return record.value().length + " bytes, over the " + ClinicSettingsChange.MAX_BYTES + " a change can be";
        }
        ClinicSettingsChange change;
        try {
            change = EventCodec.JSON.readValue(record.value(), ClinicSettingsChange.class);
        } catch (IOException | RuntimeException e) {
            return "not readable as a settings change: " + e.getClass().getSimpleName();
        }
        if (change == null || !record.key().equals(change.clinicId())) {
            return "keyed '" + record.key() + "' but names clinic '" + (change == null ? null : change.clinicId()) + "'";
        }
        if (change.rules() == null) {
            return "no rules";
        }
        Map<String, String> refusals = change.rules().refusals();
        return refusals.isEmpty() ? null : "settings the door refuses: " + refusals;
    }

    /**
     * The punctuation: each marked athlete analysed once, its mark deleted; while the input is behind, only every
     * catch-up interval ({@link AnalysisPace}). Round 9: bounded. One step takes at most a slice of an athlete's
     * events; an athlete not finished keeps its mark (moved on to where the slice ended, in the store too) and goes
     * to the back of the line; no step starts once the tick's budget is spent. So one athlete's long history (a
     * 3,000-session upload) never holds the stream thread, its transaction and every other athlete for its length.
     * Round 17: the athletes whose timers are due come after the marked ones, with what the tick has left.
     */
    private void analyseMarked(long now) {
        tickNow = now;
        Instant present = Instant.ofEpochMilli(now);
        if (marked.isEmpty() && !timers.anyDue(present)) {
            lastAnalysis = now;
            reportOverdue(present);
            tickEvery(cadence.ticked(now, false));
            return;
        }
        tickEvery(cadence.ticked(now, true));
        if (now - lastAnalysis < pace.catchUpInterval().toMillis() && pace.catchingUp(latestRecordAgeMs)) {
            reportOverdue(present);
            return;
        }
        lastAnalysis = now;
        long deadline = System.nanoTime() + pace.tickBudget().toNanos();
        boolean stepped = false;
        while (!marked.isEmpty() && (!stepped || System.nanoTime() - deadline < 0)) {
            Map.Entry<String, AnalysisMark> first = marked.entrySet().iterator().next();
            String key = first.getKey();
            marked.remove(key);
            AnalysisMark rest = analyseMarked(key, first.getValue());
            meters.analysisStep();
            stepped = true;
            if (rest == null) {
                toAnalyse.delete(key);
            } else {
                marked.put(key, rest); // at the back of the line: the athletes behind it go first
                toAnalyse.put(key, rest.toBytes());
            }
        } // the rest keep their marks, in order
        // Round 16: the athletes whose findings time alone has changed by now, each analysed as of its own due instant
        // (the wall clock decides only which due instants have passed). Round 17: one at a time, with what the tick has
        // left after the athletes events marked. Thousands due at once (an outage while their due instants passed) used
        // to join the line in one go, and a red flag read meanwhile waited behind all of them; the timers not reached
        // stay in their store (durable: taking one and analysing it commit together) for the next tick.
        String due;
        while ((!stepped || System.nanoTime() - deadline < 0) && (due = timers.takeFirstDue(present)) != null) {
            stepped = true;
            if (marked.containsKey(due)) {
                mark(due, AnalysisMark.timer(now)); // its events' analysis is under way: the timer joins it
                continue;
            }
            AnalysisMark rest = analyseMarked(due, AnalysisMark.timer(now));
            meters.analysisStep();
            if (rest != null) {
                mark(due, rest);
            }
        }
        reportMarked();
        reportOverdue(present);
    }

    /** Round 17: how many of the task's timers are due and not yet taken, for the operator (timers_overdue). */
    private void reportOverdue(Instant present) {
        int overdue = timers.overdue(present);
        if (overdue != overdueReported) {
            meters.timersOverdue(overdue - overdueReported);
            overdueReported = overdue;
        }
    }

    /** One step of the athlete's analysis: null when done (announced), else the mark of what is left. */
    private AnalysisMark analyseMarked(String key, AnalysisMark mark) {
        byte[] held = athletes.get(key);
        if (held == null || AthleteState.isErased(held)) {
            return null; // events before the enrolment: kept, analysed when the enrolment comes (it marks the athlete)
        }
        AthleteState state = AthleteState.fromBytes(held);
        Instant from = mark.from();
        if (!state.sessions.isEmpty() || !state.symptoms.isEmpty()) {
            // a value written when the events lived in it: move them to the events store, analyse them all
            moveEventsOut(key, state);
            athletes.put(key, state.toBytes()); // moved once, not again at every slice
            timelines.forget(key);
            from = null;
        }
        if (!state.enrolled()) {
            return null;
        }
        AthleteTimeline.Growing timeline = timelines.get(key);
        if (timeline == null) {
            timeline = new AthleteTimeline.Growing(storedTimeline(key, state.profile));
            timelines.hold(key, timeline);
        } else if (!timeline.profile().equals(state.profile)) {
            timeline.profile(state.profile);
        }
        AthleteTimeline whole = timeline.timeline();
        Instant sliceEnd = whole.sliceEnd(from, pace.sliceEvents());
        if (sliceEnd != null) {
            // Not the last slice: the analysis takes in the events before sliceEnd and announces nothing yet (what it
            // would announce, later events may overturn). The checkpoint it leaves is in heap; lost (a crash, a moved
            // task, evicted), the next step replays from the start, the same findings.
            if (analyse(key, state, whole.before(sliceEnd), from, mark, false)) {
                return new AnalysisMark(sliceEnd, mark.recordTime(), mark.lastEventId());
            }
            return null;
        }
        analyse(key, state, whole, from, mark, true);
        athletes.put(key, state.toBytes());
        return null;
    }

    /** The athlete's events as stored: read (and sorted) once, when the task does not hold them. */
    private AthleteTimeline storedTimeline(String key, AthleteProfile profile) {
        List<TrainingSession> sessions = new ArrayList<>();
        List<SymptomReport> reports = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = events.prefixScan(AthleteState.eventsPrefix(key), KEYS)) {
            while (it.hasNext()) {
                Object event = AthleteState.eventFromBytes(it.next().value);
                if (event instanceof TrainingSession s) {
                    sessions.add(s);
                } else {
                    reports.add((SymptomReport) event);
                }
            }
        }
        return AthleteTimeline.of(profile, sessions, reports);
    }

    private void moveEventsOut(String key, AthleteState state) {
        for (TrainingSession s : state.sessions) {
            events.putIfAbsent(AthleteState.eventKey(key, s.eventId()), AthleteState.eventBytes(s));
        }
        for (SymptomReport r : state.symptoms) {
            events.putIfAbsent(AthleteState.eventKey(key, r.eventId()), AthleteState.eventBytes(r));
        }
        state.sessions.clear();
        state.symptoms.clear();
    }

    /**
     * Runs the rules and, when {@code last}, announces what changed; false (recorded on the DLQ) when the analysis
     * failed.
     */
    /**
     * The present an athlete's findings are analysed up to (round 16): a timer's, the tick's wall clock (every due
     * instant passed by then taken at its own instant); an event's, the present the athlete's latest timer reached,
     * or its latest event when none has fired (a history still coming in is not moved to the present batch by batch).
     */
    private Instant clockOf(String key, AnalysisMark mark) {
        return mark.isTimer() ? Instant.ofEpochMilli(mark.recordTime()) : timers.reached(key);
    }

    private boolean analyse(String key, AthleteState state, AthleteTimeline timeline, Instant changedFrom,
                            AnalysisMark mark, boolean last) {
        FindingsAsOf asOf;
        try {
            // as of clockOf: what time alone made due by then is taken too, each at its own due instant
            // (a slice before the last announces nothing: as of its latest event)
            asOf = MonitorAnalysis.findings(analyses, timeline, changedFrom, rules(state.profile.clinicId()),
                    last ? clockOf(key, mark) : null);
        } catch (RuntimeException e) {
            LOG.warnf(e, "analysis of %s failed: kept its events, the other athletes go on", key);
            meters.analysisFailed();
            // the athlete's next event or settings change tries again from the whole timeline
            analyses.forget(state.profile.clinicId(), state.profile.athleteId());
            RecordHeaders headers = new RecordHeaders();
            if (mark.lastEventId() != null) {
                headers.add(EventCodec.ID, mark.lastEventId().getBytes(StandardCharsets.UTF_8));
            }
            deadLetter(new Record<>(key, new byte[0], mark.recordTime(), headers),
                    "analysis of athlete " + key + " failed"
                            + (mark.lastEventId() == null ? "" : " (events up to " + mark.lastEventId() + ")")
                            + ": " + e);
            return false;
        }
        if (!last) {
            return true;
        }
        Findings findings = asOf.findings();
        if (mark.isTimer()) {
            timers.reached(key, Instant.ofEpochMilli(mark.recordTime()));
        }
        // the timer fires once the athlete's records have stopped for the pace's quiet time (AnalysisPace.timerQuiet)
        Instant quietFrom = Instant.ofEpochMilli(tickNow).plus(pace.timerQuiet());
        timers.set(key, asOf.nextChangeAt() == null ? null
                : asOf.nextChangeAt().isAfter(quietFrom) ? asOf.nextChangeAt() : quietFrom);
        Instant at = Instant.ofEpochMilli(mark.recordTime());
        for (EventEnvelope<?> event : Announcements.diff(state, findings, at)) {
            if (!announce) {
                continue;
            }
            ProducerRecord<String, byte[]> out = EventCodec.toRecord(event);
            context.forward(new Record<>(out.key(), out.value(), mark.recordTime(), out.headers()),
                    event.topic() == Topic.PLAN_ADJUSTMENTS ? MonitorTopology.ADJUSTMENTS_SINK
                            : MonitorTopology.FINDINGS_SINK);
            if (event.data() instanceof FindingEvents.FlareUpDetected detected) {
                meters.flareUpDetected(detected.episode().classification().name());
            } else if (event.data() instanceof FindingEvents.FlareUpReclassified reclassified) {
                meters.flareUpReclassified(reclassified.episode().classification().name());
            } else if (event.data() instanceof FindingEvents.AdjustmentProposed proposed) {
                meters.adjustmentProposed(proposed.type().name());
            }
        }
        views.put(key, new AthleteView(state.profile.athleteId(), state.profile.clinicId(),
                state.profile.diagnosis() == null ? null : state.profile.diagnosis().name(),
                FindingsMapping.view(findings)).toBytes());
        return true;
    }

    /** The clinic's rules: DOMAIN.md's defaults unless the clinic set its own, within bounds. */
    private ClinicRules rules(String clinicId) {
        return rulesByClinic.computeIfAbsent(clinicId, c -> {
            byte[] stored = settings.get(c);
            if (stored == null) {
                return ClinicRules.defaults();
            }
            try {
                ClinicRules rules = EventCodec.JSON.readValue(stored, ClinicSettingsChange.class).rules();
                if (rules == null || !rules.refusals().isEmpty()) {
                    // Refused at the door; one written past it must not stall every analysis (issue 12).
                    LOG.warnf("clinic %s has settings out of bounds: using the defaults", c);
                    return ClinicRules.defaults();
                }
                return rules;
            } catch (IOException | RuntimeException e) {
                LOG.warnf("clinic %s has unreadable settings (%s): using the defaults", c, e.getMessage());
                return ClinicRules.defaults();
            }
        });
    }

    private void deadLetter(Record<String, byte[]> record, String reason) {
        deadLetter(record, reason, MonitorTopology.DEAD_LETTER_SINK);
    }

    private void deadLetter(Record<String, byte[]> record, String reason, String sink) {
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        // Why, and where the record is, as every service's dead letters say it (service-support's DeadLetterBounds,
        // round 20); an analysis failure has no record of its own, so only why.
        var source = context.recordMetadata().filter(m -> m.topic() != null);
        if (source.isPresent()) {
            DeadLetterBounds.reasonAndSource(headers, reason, source.get().topic(), source.get().partition(),
                    source.get().offset());
        } else {
            DeadLetterBounds.reason(headers, reason);
        }
        // Round 15: a record too large for the DLQ (the broker took it compressed) is parked without its value, never
        // sent whole: the send failed, the stream thread died on it and was replaced, and the task never moved on.
        String key = DeadLetterBounds.key(headers, record.key());
        byte[] value = DeadLetterBounds.value(headers, record.value());
        context.forward(new Record<>(key, value, record.timestamp(), headers), sink);
        meters.deadLettered(MonitorTopology.PLAN_DEAD_LETTER_SINK.equals(sink) ? Topic.PLAN_EVENTS.topicName()
                : MonitorTopology.SETTINGS_DEAD_LETTER_SINK.equals(sink) ? MonitorTopology.SETTINGS_TOPIC
                : Topic.ATHLETE_ACTIVITY.topicName());
    }

    /** The athlete's zone; intake accepts only IANA names, so anything else (or none) leaves the clinic's. */
    private static ZoneId zone(String name) {
        if (name == null || !ZoneId.getAvailableZoneIds().contains(name)) {
            return null;
        }
        return ZoneId.of(name);
    }
}
