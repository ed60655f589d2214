package io.strideback.loadmonitor.streams;

import io.strideback.events.ActivityEvents.AthleteEnrolled;
import io.strideback.events.ActivityEvents.AthleteErased;
import io.strideback.events.ActivityEvents.Run;
import io.strideback.events.ActivityEvents.SessionLogged;
import io.strideback.events.ActivityEvents.SymptomReported;
import io.strideback.events.EventCodec;
import io.strideback.events.EventEnvelope;
import io.strideback.events.EventType;
import io.strideback.events.FindingEvents;
import io.strideback.events.PlanEvents;
import io.strideback.events.Topic;
import io.strideback.events.vocabulary.Diagnosis;
import io.strideback.events.vocabulary.PainCharacter;
import io.strideback.events.vocabulary.PainLocation;
import io.strideback.events.vocabulary.Phase;
import io.strideback.events.vocabulary.RedFlag;
import io.strideback.events.vocabulary.RunIntensity;
import io.strideback.events.vocabulary.SessionType;
import io.strideback.events.vocabulary.Side;
import io.strideback.events.vocabulary.SymptomContext;
import io.strideback.loadmonitor.domain.ClinicRules;
import io.strideback.loadmonitor.mapping.FindingsMapping.PatternView;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The load monitor's topology in a {@link TopologyTestDriver} (no broker): events in as intake writes them
 * (CloudEvents binary mode), everything the topology announced out, and the current findings folded from it.
 */
final class MonitorDriver implements AutoCloseable {

    static final LocalDate DAY_0 = LocalDate.of(2026, 3, 2);

    final String clinicId;
    final String athleteId;
    private final TopologyTestDriver driver;
    private final List<EventEnvelope<?>> findings = new ArrayList<>();
    private final List<EventEnvelope<?>> adjustments = new ArrayList<>();
    private final List<TestRecord<String, byte[]>> deadLetters = new ArrayList<>();
    private final List<TestRecord<String, byte[]>> planDeadLetters = new ArrayList<>();
    private final List<TestRecord<String, byte[]>> settingsDeadLetters = new ArrayList<>();
    private final List<Headers> announcedHeaders = new ArrayList<>();
    /** Where the driver's wall clock stands (as near as this class moved it). */
    private Instant wallClock;

    MonitorDriver(Path stateDir, String clinicId, String athleteId) {
        this(stateDir, clinicId, athleteId, MonitorMeters.NONE);
    }

    MonitorDriver(Path stateDir, String clinicId, String athleteId, MonitorMeters meters) {
        this(stateDir, clinicId, athleteId, meters, AnalysisPace.every(MonitorTopology.DEFAULT_ANALYSIS_INTERVAL));
    }

    MonitorDriver(Path stateDir, String clinicId, String athleteId, MonitorMeters meters, AnalysisPace pace) {
        this(stateDir, clinicId, athleteId, meters, pace, null);
    }

    /** With the wall clock starting at {@code wallClock} (null: the real one), to let time pass at will. */
    MonitorDriver(Path stateDir, String clinicId, String athleteId, Instant wallClock) {
        this(stateDir, clinicId, athleteId, MonitorMeters.NONE,
                AnalysisPace.every(MonitorTopology.DEFAULT_ANALYSIS_INTERVAL), wallClock);
    }

    /** With the pace given and the wall clock starting at {@code wallClock}. */
    MonitorDriver(Path stateDir, String clinicId, String athleteId, AnalysisPace pace, Instant wallClock) {
        this(stateDir, clinicId, athleteId, MonitorMeters.NONE, pace, wallClock);
    }

    private MonitorDriver(Path stateDir, String clinicId, String athleteId, MonitorMeters meters, AnalysisPace pace,
                          Instant wallClock) {
        this.clinicId = clinicId;
        this.athleteId = athleteId;
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "load-monitor-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.resolve(UUID.randomUUID().toString()).toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        driver = wallClock == null ? new TopologyTestDriver(MonitorTopology.build(meters, true, pace), props)
                : new TopologyTestDriver(MonitorTopology.build(meters, true, pace), props, wallClock);
        this.wallClock = wallClock == null ? Instant.now() : wallClock;
    }

    static Instant day(int d, String hhmm) {
        String[] p = hhmm.split(":");
        return DAY_0.plusDays(d).atTime(Integer.parseInt(p[0]), Integer.parseInt(p[1])).toInstant(ZoneOffset.UTC);
    }

    String key() {
        return Topic.key(clinicId, athleteId);
    }

    // ---- events as intake writes them ----

    EventEnvelope<AthleteEnrolled> enrolment(Double declaredSymptomFreeKm) {
        return envelope("enrol-" + athleteId, EventType.ATHLETE_ENROLLED, day(-30, "09:00"),
                new AthleteEnrolled(athleteId, clinicId, "Runner", Diagnosis.CALF_STRAIN_SOLEUS, Side.LEFT,
                        DAY_0.minusDays(30), declaredSymptomFreeKm, day(-30, "09:00")));
    }

    EventEnvelope<SessionLogged> run(String id, Instant at, double km, RunIntensity intensity) {
        return envelope(id, EventType.SESSION_LOGGED, at, new SessionLogged(athleteId, clinicId, "session-" + id,
                SessionType.RUN, at, km * 6, 4, new Run(km, intensity, null), null, null));
    }

    EventEnvelope<SymptomReported> report(String id, Instant at, int pain, SymptomContext context,
                                          PainCharacter... character) {
        return envelope(id, EventType.SYMPTOM_REPORTED, at, new SymptomReported(athleteId, clinicId, at, pain,
                Side.LEFT, PainLocation.MID_CALF, Arrays.asList(character), context, List.of(), null));
    }

    EventEnvelope<SymptomReported> redFlag(String id, Instant at, RedFlag flag) {
        return envelope(id, EventType.SYMPTOM_REPORTED, at, new SymptomReported(athleteId, clinicId, at, 6,
                Side.LEFT, PainLocation.WHOLE_CALF, List.of(), SymptomContext.AT_REST, List.of(flag), null));
    }

    /** A plan version as plan-service publishes it, with its constraint schedule (DOMAIN.md "over the plan"). */
    EventEnvelope<PlanEvents.PlanChanged> plan(long version, Instant at, List<PlanEvents.ConstraintPeriod> schedule) {
        PlanEvents.ConstraintPeriod last = schedule.get(schedule.size() - 1);
        return new EventEnvelope<>(UUID.nameUUIDFromBytes((key() + "|" + version).getBytes()).toString(),
                version == 1 ? EventType.PLAN_CREATED : EventType.PLAN_ADJUSTED, "/strideback/plan-service", at,
                athleteId, clinicId, EventType.CURRENT_SCHEMA_VERSION, new PlanEvents.PlanChanged(athleteId, clinicId,
                version, at, "plan version " + version, Phase.RETURN_TO_RUN, last.constraints(), null, null, null,
                schedule));
    }

    /** One period of a plan's schedule: a cap (null: none), the hardest intensity allowed, whether runs are paused. */
    static PlanEvents.ConstraintPeriod period(Instant from, Double capKm, RunIntensity allowed, boolean paused) {
        return new PlanEvents.ConstraintPeriod(from, new PlanEvents.Constraints(capKm,
                allowed == null ? null : allowed.name(), 0, false, null, paused));
    }

    /** A raw record on the plan topic. */
    MonitorDriver pipeRawPlan(String key, byte[] value, Headers headers) {
        driver.createInputTopic(Topic.PLAN_EVENTS.topicName(), new StringSerializer(), new ByteArraySerializer())
                .pipeInput(new TestRecord<>(key, value, headers, Instant.now()));
        collect();
        return this;
    }

    EventEnvelope<AthleteErased> erasure(Instant at) {
        return envelope("erased-" + athleteId, EventType.ATHLETE_ERASED, at,
                new AthleteErased(athleteId, clinicId, at));
    }

    private <T> EventEnvelope<T> envelope(String id, EventType type, Instant at, T data) {
        return new EventEnvelope<>(id, type, "/test", at, athleteId, clinicId, EventType.CURRENT_SCHEMA_VERSION, data);
    }

    // ---- in ----

    MonitorDriver pipe(EventEnvelope<?>... events) {
        return pipe(List.of(events));
    }

    MonitorDriver pipe(List<? extends EventEnvelope<?>> events) {
        for (EventEnvelope<?> event : events) {
            // Each event on its own topic: activity from intake, plan events from plan-service.
            var input = driver.createInputTopic(event.topic().topicName(), new StringSerializer(),
                    new ByteArraySerializer());
            ProducerRecord<String, byte[]> record = EventCodec.toRecord(event);
            // The record time is the event time where Kafka can carry it (epoch milliseconds).
            Instant recordTime = event.time().isAfter(day(3650, "00:00")) ? day(60, "00:00") : event.time();
            input.pipeInput(new TestRecord<>(record.key(), record.value(), record.headers(), recordTime));
        }
        collect();
        return this;
    }

    /** Events in, the wall clock standing still: stored and marked, not analysed yet. */
    MonitorDriver pipeBeforeAnalysis(List<? extends EventEnvelope<?>> events) {
        var input = driver.createInputTopic(Topic.ATHLETE_ACTIVITY.topicName(), new StringSerializer(),
                new ByteArraySerializer());
        for (EventEnvelope<?> event : events) {
            ProducerRecord<String, byte[]> record = EventCodec.toRecord(event);
            input.pipeInput(new TestRecord<>(record.key(), record.value(), record.headers(), event.time()));
        }
        return this;
    }

    /** The wall clock moves on by {@code time}, the punctuation running at each interval on the way. */
    MonitorDriver wallClock(java.time.Duration time) {
        for (long ms = 0; ms < time.toMillis(); ms += MonitorTopology.DEFAULT_ANALYSIS_INTERVAL.toMillis()) {
            collect();
        }
        return this;
    }

    /**
     * The wall clock jumps to {@code instant} (one punctuation on arrival, as after a pause of the stream thread),
     * then one more analysis interval passes: whatever the arrival marked is analysed.
     */
    MonitorDriver wallClockTo(Instant instant) {
        if (instant.isAfter(wallClock)) {
            driver.advanceWallClockTime(java.time.Duration.between(wallClock, instant));
            wallClock = instant;
        }
        collect();
        return this;
    }

    /** Where the driver's wall clock stands: what the timers fired up to. */
    Instant wallClock() {
        return wallClock;
    }

    KeyValueStore<String, byte[]> timers() {
        return driver.getKeyValueStore(MonitorTopology.ATHLETE_TIMERS);
    }

    /** The wall clock moves one analysis interval: the marked athletes are analysed. */
    MonitorDriver analyse() {
        collect();
        return this;
    }

    /** A raw record on the activity topic, as a buggy or old producer could write it. */
    MonitorDriver pipeRaw(String key, byte[] value, Headers headers) {
        driver.createInputTopic(Topic.ATHLETE_ACTIVITY.topicName(), new StringSerializer(), new ByteArraySerializer())
                .pipeInput(new TestRecord<>(key, value, headers, Instant.now()));
        collect();
        return this;
    }

    MonitorDriver settings(ClinicRules rules) {
        ClinicSettingsChange change = new ClinicSettingsChange(clinicId, UUID.randomUUID().toString(), rules,
                day(40, "12:00"));
        driver.createInputTopic(MonitorTopology.SETTINGS_TOPIC, new StringSerializer(), new ByteArraySerializer())
                .pipeInput(clinicId, EventCodec.writeData(change), change.changedAt());
        collect();
        return this;
    }

    /** A raw record on the settings topic, as a buggy or rogue writer could write it. */
    MonitorDriver pipeRawSettings(String key, byte[] value) {
        driver.createInputTopic(MonitorTopology.SETTINGS_TOPIC, new StringSerializer(), new ByteArraySerializer())
                .pipeInput(new TestRecord<>(key, value, new org.apache.kafka.common.header.internals.RecordHeaders(),
                        Instant.now()));
        collect();
        return this;
    }

    /** The clinic's settings change as the task keeps it, null when it keeps none. */
    ClinicSettingsChange keptSettings() {
        byte[] kept = driver.<String, byte[]>getKeyValueStore(MonitorTopology.CLINIC_SETTINGS).get(clinicId);
        try {
            return kept == null ? null : EventCodec.JSON.readValue(kept, ClinicSettingsChange.class);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    List<TestRecord<String, byte[]>> settingsDeadLetters() {
        return settingsDeadLetters;
    }

    /**
     * Lets the analysis run: the wall clock moves one analysis interval, so the athletes marked by what was piped
     * are analysed (once, however many events were piped in one call).
     */
    private void collect() {
        driver.advanceWallClockTime(MonitorTopology.DEFAULT_ANALYSIS_INTERVAL);
        wallClock = wallClock.plus(MonitorTopology.DEFAULT_ANALYSIS_INTERVAL);
        for (var r : driver.createOutputTopic(Topic.LOAD_FINDINGS.topicName(), new StringDeserializer(),
                new ByteArrayDeserializer()).readRecordsToList()) {
            findings.add(EventCodec.fromParts(r.headers(), r.value()));
            announcedHeaders.add(r.headers());
        }
        for (var r : driver.createOutputTopic(Topic.PLAN_ADJUSTMENTS.topicName(), new StringDeserializer(),
                new ByteArrayDeserializer()).readRecordsToList()) {
            adjustments.add(EventCodec.fromParts(r.headers(), r.value()));
            announcedHeaders.add(r.headers());
        }
        deadLetters.addAll(driver.createOutputTopic(Topic.ATHLETE_ACTIVITY.deadLetterTopicName(),
                new StringDeserializer(), new ByteArrayDeserializer()).readRecordsToList());
        planDeadLetters.addAll(driver.createOutputTopic(Topic.PLAN_EVENTS.deadLetterTopicName(),
                new StringDeserializer(), new ByteArrayDeserializer()).readRecordsToList());
        settingsDeadLetters.addAll(driver.createOutputTopic(MonitorTopology.SETTINGS_DEAD_LETTERS,
                new StringDeserializer(), new ByteArrayDeserializer()).readRecordsToList());
    }

    List<TestRecord<String, byte[]>> planDeadLetters() {
        return planDeadLetters;
    }

    /** Adherence findings announced and not withdrawn, by id, with their latest sentence. */
    Map<String, String> currentAdherence() {
        Map<String, String> out = new TreeMap<>();
        for (EventEnvelope<?> e : findings) {
            if (e.data() instanceof FindingEvents.AdherenceNoted n) {
                out.put(n.adherenceId(), n.reason());
            } else if (e.data() instanceof FindingEvents.AdherenceWithdrawn w) {
                out.remove(w.adherenceId());
            }
        }
        return out;
    }

    /** The adherence findings the read API shows now. */
    List<io.strideback.loadmonitor.domain.AdherenceFinding> adherenceView() {
        return AdherenceWatch.storedFindings(driver.<String, byte[]>getKeyValueStore(MonitorTopology.ADHERENCE)
                .get(key()));
    }

    KeyValueStore<String, byte[]> adherenceStore() {
        return driver.getKeyValueStore(MonitorTopology.ADHERENCE);
    }

    // ---- out ----

    List<EventEnvelope<?>> findings() {
        return findings;
    }

    List<EventEnvelope<?>> adjustments() {
        return adjustments;
    }

    List<EventEnvelope<?>> announced() {
        List<EventEnvelope<?>> all = new ArrayList<>(findings);
        all.addAll(adjustments);
        return all;
    }

    List<TestRecord<String, byte[]>> deadLetters() {
        return deadLetters;
    }

    List<EventType> types(List<EventEnvelope<?>> events) {
        return events.stream().<EventType>map(EventEnvelope::type).toList();
    }

    /** Episodes announced and not withdrawn, with their current classification. */
    Map<String, String> currentEpisodes() {
        Map<String, String> out = new TreeMap<>();
        for (EventEnvelope<?> e : findings) {
            if (e.data() instanceof FindingEvents.FlareUpDetected d) {
                out.put(d.episode().episodeId(), d.episode().classification().name());
            } else if (e.data() instanceof FindingEvents.FlareUpReclassified r) {
                out.put(r.episode().episodeId(), r.episode().classification().name());
            } else if (e.data() instanceof FindingEvents.FlareUpWithdrawn w) {
                out.remove(w.episodeId());
            }
        }
        return out;
    }

    /** Adjustment ids proposed and not withdrawn: what the monitor stands behind. */
    TreeSet<String> currentAdjustments() {
        TreeSet<String> out = new TreeSet<>();
        for (EventEnvelope<?> e : adjustments) {
            if (e.data() instanceof FindingEvents.AdjustmentProposed p) {
                out.add(p.adjustmentId());
            } else if (e.data() instanceof FindingEvents.AdjustmentWithdrawn w) {
                out.remove(w.adjustmentId());
            }
        }
        return out;
    }

    /** The patterns the read API shows now. */
    List<String> currentPatterns() {
        AthleteView view = view();
        return view == null ? List.of() : view.findings().patterns().stream()
                .map(p -> p.kind() + "|" + p.since()).toList();
    }

    List<PatternView> patterns() {
        return view().findings().patterns();
    }

    AthleteView view() {
        byte[] value = views().get(key());
        return value == null ? null : AthleteView.fromBytes(value);
    }

    KeyValueStore<String, byte[]> views() {
        return driver.getKeyValueStore(MonitorTopology.FINDINGS_VIEW);
    }

    KeyValueStore<String, byte[]> athletes() {
        return driver.getKeyValueStore(MonitorTopology.ATHLETES);
    }

    KeyValueStore<String, byte[]> events() {
        return driver.getKeyValueStore(MonitorTopology.ATHLETE_EVENTS);
    }

    KeyValueStore<String, byte[]> toAnalyse() {
        return driver.getKeyValueStore(MonitorTopology.TO_ANALYSE);
    }

    /** The athlete's timeline as the stores hold it (profile and events); empty before the enrolment. */
    java.util.Optional<io.strideback.loadmonitor.domain.AthleteTimeline> storedTimeline() {
        byte[] state = athletes().get(key());
        if (state == null) {
            return java.util.Optional.empty();
        }
        List<byte[]> stored = new ArrayList<>();
        try (var it = events().prefixScan(AthleteState.eventsPrefix(key()), new StringSerializer())) {
            it.forEachRemaining(e -> stored.add(e.value));
        }
        return AthleteState.storedTimeline(state, stored);
    }

    @Override
    public void close() {
        driver.close();
    }
}
