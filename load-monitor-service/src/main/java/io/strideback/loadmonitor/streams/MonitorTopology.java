package io.strideback.loadmonitor.streams;

import io.strideback.events.Topic;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

import java.util.Map;

/**
 * The load monitor as one Kafka Streams sub-topology (docs/architecture.md "Load monitor"):
 * <pre>
 *   strideback.athlete-activity.v1 ──┐                       ┌─▶ strideback.load-findings.v1
 *   strideback.plan-events.v1 ───────┼─▶ athlete-monitor ────┼─▶ strideback.plan-adjustments.v1
 *   strideback.load-monitor-settings.v1 ┘   [athletes]           ├─▶ strideback.athlete-activity.v1.dlq
 *                                         [clinic-settings]      ├─▶ strideback.plan-events.v1.dlq
 *                                                                └─▶ strideback.load-monitor-settings.v1.dlq
 *                                         [findings-view] [adherence]
 *                                         [athlete-events] [athletes-to-analyse]
 * </pre>
 * Each activity event is stored under its athlete and id ({@value #ATHLETE_EVENTS}) and marks its athlete
 * ({@value #TO_ANALYSE}); a wall-clock punctuation every {@link #DEFAULT_ANALYSIS_INTERVAL} or so analyses each
 * marked athlete once from the earliest event time marked (issue #14: analysis per batch, not per event).
 * Both sources are keyed so that one task holds an athlete's events and its clinic's settings (the settings
 * topic has as many partitions as the activity log, and each settings change is written to every partition).
 * Every store is changelogged; standby replicas keep a warm copy on another instance.
 */
public final class MonitorTopology {

    /** Per athlete ({@code clinicId/athleteId}): profile, timeline and what was announced ({@link AthleteState}). */
    public static final String ATHLETES = "athletes";
    /** Per clinic id: the clinic's {@link ClinicSettingsChange} (the same in every task). */
    public static final String CLINIC_SETTINGS = "clinic-settings";
    /**
     * Per athlete and event id ({@link AthleteState#eventKey}): one session or symptom report each
     * ({@link AthleteState#eventBytes}). A new event is one small put here, whatever the athlete's history.
     */
    public static final String ATHLETE_EVENTS = "athlete-events";
    /** Per athlete: the athletes whose new events wait for the next analysis ({@link AnalysisMark}). */
    public static final String TO_ANALYSE = "athletes-to-analyse";
    /**
     * Per athlete: the next instant at which time alone changes its findings (an episode's end, the settled cap's
     * relaxing), as the last analysis named it ({@link AthleteTimers}); a wall-clock punctuation marks the athletes
     * whose instant has passed for analysis as of it.
     */
    public static final String ATHLETE_TIMERS = "athlete-timers";
    /**
     * How often marked athletes are analysed: short, so a red flag reaches the plan within tens of milliseconds,
     * and long enough that a replay or a burst of one athlete's events is analysed once per batch.
     */
    public static final java.time.Duration DEFAULT_ANALYSIS_INTERVAL = java.time.Duration.ofMillis(20);
    /** Per athlete: the read API's view of the current findings ({@link AthleteView}). */
    public static final String FINDINGS_VIEW = "findings-view";
    /**
     * Per athlete: the plan's constraint schedule of the highest plan version seen and the adherence findings
     * announced from it (DOMAIN.md "over the plan", {@link AdherenceWatch}).
     */
    public static final String ADHERENCE = "adherence";
    /** The load monitor's own settings log: written by {@code PUT /api/v1/clinic/rules}, read only here. */
    public static final String SETTINGS_TOPIC = "strideback.load-monitor-settings.v1";
    /** Where a settings record that cannot be taken is parked with its reason (the DLQ of {@link #SETTINGS_TOPIC}). */
    public static final String SETTINGS_DEAD_LETTERS = SETTINGS_TOPIC + ".dlq";

    static final String ACTIVITY_SOURCE = "activity";
    static final String SETTINGS_SOURCE = "settings";
    static final String PLAN_SOURCE = "plans";
    static final String MONITOR = "athlete-monitor";
    static final String FINDINGS_SINK = "findings";
    static final String ADJUSTMENTS_SINK = "adjustments";
    static final String DEAD_LETTER_SINK = "dead-letters";
    static final String PLAN_DEAD_LETTER_SINK = "plan-dead-letters";
    static final String SETTINGS_DEAD_LETTER_SINK = "settings-dead-letters";

    /** A long-followed athlete's state outgrows the broker's 1 MiB default; the producer's limit matches. */
    public static final int MAX_RECORD_BYTES = 16 * 1024 * 1024;

    private MonitorTopology() {
    }

    public static Topology build() {
        return build(MonitorMeters.NONE, true);
    }

    public static Topology build(MonitorMeters meters, boolean announce) {
        return build(meters, announce, DEFAULT_ANALYSIS_INTERVAL);
    }

    /**
     * @param announce false for a read-only replica (the bench's replay): it keeps its stores but forwards no
     *                 finding or proposal, which the running monitor announced already
     * @param analysisInterval how often (wall clock) the athletes marked since the last time are analysed
     */
    public static Topology build(MonitorMeters meters, boolean announce, java.time.Duration analysisInterval) {
        return build(meters, announce, AnalysisPace.every(analysisInterval));
    }

    /** @param pace how often the marked athletes are analysed, caught up and behind ({@link AnalysisPace}) */
    static Topology build(MonitorMeters meters, boolean announce, AnalysisPace pace) {
        Map<String, String> changelog = Map.of("max.message.bytes", Integer.toString(MAX_RECORD_BYTES));
        Topology topology = new Topology();
        // Values are read as bytes and decoded in the processor: an unreadable record goes to the DLQ with its
        // reason instead of stopping the stream (issue 12).
        topology.addSource(ACTIVITY_SOURCE, new StringDeserializer(), new ByteArrayDeserializer(),
                Topic.ATHLETE_ACTIVITY.topicName());
        topology.addSource(SETTINGS_SOURCE, new StringDeserializer(), new ByteArrayDeserializer(), SETTINGS_TOPIC);
        // The plan's events, for the constraint schedule (DOMAIN.md "over the plan"): keyed by athlete like the
        // activity log and with as many partitions (k8s/base/kafka/topics.yaml), so one task holds both.
        topology.addSource(PLAN_SOURCE, new StringDeserializer(), new ByteArrayDeserializer(),
                Topic.PLAN_EVENTS.topicName());
        topology.addProcessor(MONITOR, () -> new AthleteMonitor(meters, announce, pace), ACTIVITY_SOURCE,
                SETTINGS_SOURCE, PLAN_SOURCE);
        // Issue 14: the stores written once per analysed athlete or per event of the same athlete go through the
        // record cache (statestore.cache.max.bytes), so the puts of one commit interval reach RocksDB and the
        // changelog once per key: a mark set by each of an athlete's events and deleted by its analysis often
        // never leaves the cache. An event is written once under its own key: no cache in front of it.
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ATHLETES),
                Serdes.String(), Serdes.ByteArray()).withLoggingEnabled(changelog).withCachingEnabled(), MONITOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ATHLETE_EVENTS),
                Serdes.String(), Serdes.ByteArray()).withLoggingEnabled(Map.of()), MONITOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(TO_ANALYSE),
                Serdes.String(), Serdes.ByteArray()).withLoggingEnabled(Map.of()).withCachingEnabled(), MONITOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ATHLETE_TIMERS),
                Serdes.String(), Serdes.ByteArray()).withLoggingEnabled(Map.of()).withCachingEnabled(), MONITOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(CLINIC_SETTINGS),
                Serdes.String(), Serdes.ByteArray()).withLoggingEnabled(Map.of()), MONITOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(FINDINGS_VIEW),
                Serdes.String(), Serdes.ByteArray()).withLoggingEnabled(changelog).withCachingEnabled(), MONITOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ADHERENCE),
                Serdes.String(), Serdes.ByteArray()).withLoggingEnabled(changelog), MONITOR);
        topology.addSink(FINDINGS_SINK, Topic.LOAD_FINDINGS.topicName(), new StringSerializer(),
                new ByteArraySerializer(), MONITOR);
        topology.addSink(ADJUSTMENTS_SINK, Topic.PLAN_ADJUSTMENTS.topicName(), new StringSerializer(),
                new ByteArraySerializer(), MONITOR);
        topology.addSink(DEAD_LETTER_SINK, Topic.ATHLETE_ACTIVITY.deadLetterTopicName(), new StringSerializer(),
                new ByteArraySerializer(), MONITOR);
        topology.addSink(PLAN_DEAD_LETTER_SINK, Topic.PLAN_EVENTS.deadLetterTopicName(), new StringSerializer(),
                new ByteArraySerializer(), MONITOR);
        topology.addSink(SETTINGS_DEAD_LETTER_SINK, SETTINGS_DEAD_LETTERS, new StringSerializer(),
                new ByteArraySerializer(), MONITOR);
        return topology;
    }
}
