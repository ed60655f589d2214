package io.strideback.loadmonitor.streams;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.strideback.events.Topic;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.HostInfo;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;

/**
 * Runs the {@link MonitorTopology} for the service's lifetime: started on {@link StartupEvent}, closed on
 * {@link ShutdownEvent} (the Quarkus Kafka Streams extension does not resolve at 3.34.1). Configured from
 * {@code strideback.load-monitor.streams.*}; any {@code strideback.load-monitor.streams.kafka.<name>} is passed to
 * Kafka Streams as {@code <name>}.
 *
 * <p>Processing guarantee: {@code exactly_once_v2} (docs/architecture.md "Load monitor"): the athlete's store
 * (what was announced), the findings and proposals it forwards and the input offsets commit in one transaction,
 * so a crash can neither lose an announcement the store already records nor announce one twice.
 */
@ApplicationScoped
public class MonitorStreams {

    private static final Logger LOG = Logger.getLogger(MonitorStreams.class);
    private static final String PASS_THROUGH = "strideback.load-monitor.streams.kafka.";
    /** The consumer's internal setting Kafka Streams turns off ({@code ConsumerConfig.LEAVE_GROUP_ON_CLOSE_CONFIG}). */
    static final String LEAVE_GROUP_ON_CLOSE = "internal.leave.group.on.close";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;
    @ConfigProperty(name = "strideback.load-monitor.streams.application-id", defaultValue = "strideback-load-monitor")
    String applicationId;
    @ConfigProperty(name = "strideback.load-monitor.streams.state-dir")
    String stateDir;
    @ConfigProperty(name = "strideback.load-monitor.streams.advertised-host", defaultValue = "127.0.0.1")
    String advertisedHost;
    @ConfigProperty(name = "strideback.load-monitor.streams.advertised-port")
    Optional<Integer> advertisedPort;
    @ConfigProperty(name = "quarkus.http.port", defaultValue = "8083")
    int httpPort;
    @ConfigProperty(name = "strideback.load-monitor.streams.processing-guarantee", defaultValue = "exactly_once_v2")
    String processingGuarantee;
    @ConfigProperty(name = "strideback.load-monitor.streams.commit-interval", defaultValue = "PT0.1S")
    Duration commitInterval;
    /** How often the athletes marked by new events are analysed (issue #14: once per batch, not per event). */
    @ConfigProperty(name = "strideback.load-monitor.streams.analysis-interval", defaultValue = "PT0.02S")
    Duration analysisInterval;
    /**
     * Reading activity records written more than {@code catch-up.behind} before (a replay, a fresh instance), the
     * marked athletes are analysed every {@code catch-up.analysis-interval} instead ({@link AnalysisPace}).
     */
    @ConfigProperty(name = "strideback.load-monitor.streams.catch-up.analysis-interval", defaultValue = "PT1S")
    Duration catchUpAnalysisInterval;
    @ConfigProperty(name = "strideback.load-monitor.streams.catch-up.behind", defaultValue = "PT2S")
    Duration catchUpBehind;
    /** Round 9: the most wall time one analysis tick spends, and the most events one athlete's step takes in. */
    @ConfigProperty(name = "strideback.load-monitor.streams.analysis-tick-budget", defaultValue = "PT0.1S")
    Duration analysisTickBudget;
    @ConfigProperty(name = "strideback.load-monitor.streams.analysis-slice-events", defaultValue = "500")
    int analysisSliceEvents;
    /**
     * Round 20 (issue 15, idle cost): a task with no athletes marked and no timer due for {@code analysis-idle-after}
     * ticks every {@code analysis-idle-interval} instead of every analysis interval; a new mark wakes it at once
     * ({@link AnalysisCadence}). Each tick makes Kafka Streams commit the task, a transaction under exactly_once_v2.
     */
    @ConfigProperty(name = "strideback.load-monitor.streams.analysis-idle-after", defaultValue = "PT1S")
    Duration analysisIdleAfter;
    @ConfigProperty(name = "strideback.load-monitor.streams.analysis-idle-interval", defaultValue = "PT5S")
    Duration analysisIdleInterval;
    /** Round 16: an athlete's records stopped for this long before time alone moves its findings (AnalysisPace). */
    @ConfigProperty(name = "strideback.load-monitor.streams.timer-quiet", defaultValue = "PT30S")
    Duration timerQuiet;
    /**
     * Stream threads on this instance (round 11, issue 15): the tasks (one per input partition) are shared among them,
     * each thread with its own exactly-once producer, so one thread processes while another waits in its commit.
     */
    @ConfigProperty(name = "strideback.load-monitor.streams.threads", defaultValue = "1")
    int threads;
    /** Round 18: how long a graceful stop may take to commit, close its tasks and leave the group. */
    @ConfigProperty(name = "strideback.load-monitor.streams.close-timeout", defaultValue = "PT10S")
    Duration closeTimeout;
    @ConfigProperty(name = "strideback.load-monitor.streams.standby-replicas", defaultValue = "1")
    int standbyReplicas;
    @ConfigProperty(name = "strideback.load-monitor.streams.replication-factor", defaultValue = "-1")
    int replicationFactor;
    @ConfigProperty(name = "strideback.load-monitor.streams.enabled", defaultValue = "true")
    boolean enabled;
    /** False for a read-only replica (the bench's replay): it builds its stores and announces nothing. */
    @ConfigProperty(name = "strideback.load-monitor.streams.announce", defaultValue = "true")
    boolean announce;
    @Inject
    Config config;
    @Inject
    io.micrometer.core.instrument.MeterRegistry metrics;

    private volatile KafkaStreams streams;
    private volatile KafkaStreams.State state = KafkaStreams.State.CREATED;
    private volatile Instant stateSince = Instant.now();
    private volatile boolean everRunning;
    /** Round 9: athletes waiting for analysis, since when, and the analysis steps; per stream thread (round 11). */
    private final AnalysisProgress progress = new AnalysisProgress();
    private HostInfo self;
    /** The records waiting on the monitor's input partitions, for the lag gauge ({@link ConsumerBacklog}). */
    private ConsumerBacklog backlog;

    void start(@Observes StartupEvent event) throws Exception {
        self = new HostInfo(advertisedHost, advertisedPort.orElse(httpPort));
        if (!enabled) {
            return;
        }
        ensureSettingsTopic();
        Path dir = Path.of(stateDir);
        Files.createDirectories(dir);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(StreamsConfig.STATE_DIR_CONFIG, dir.toAbsolutePath().toString());
        props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, self.host() + ":" + self.port());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, processingGuarantee);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Long.toString(commitInterval.toMillis()));
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Integer.toString(threads));
        props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, Integer.toString(standbyReplicas));
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, Integer.toString(replicationFactor));
        props.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG),
                Integer.toString(MonitorTopology.MAX_RECORD_BYTES));
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // Exactly-once: a transaction's first send to a partition whose previous transaction's markers the broker is
        // still writing is answered CONCURRENT_TRANSACTIONS and retried after retry.backoff.ms. At the default 100 ms
        // the replay's profile had the stream thread parked ~120 ms in every commit's flush (and as long in
        // sendOffsetsToTransaction); the markers take a few ms, so retry soon (growing to 1 s if it lasts).
        props.put(StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MS_CONFIG), "5");
        // Round 18: a replica stopped gracefully (a rolling deploy, a scale-down) leaves the group as it closes, so the
        // others take its partitions at once (a rebalance, the standbys' warm stores) instead of after its session
        // timeout (then 45 s), while the athletes it held answered 503. Kafka Streams 4.1.1 sets the internal consumer
        // config internal.leave.group.on.close=false (StreamsConfig.CONSUMER_DEFAULT_OVERRIDES) and the classic
        // consumer's every LeaveGroup waits on it (AbstractCoordinator.maybeLeaveGroup, for close and unsubscribe
        // alike); KafkaStreams.close(new CloseOptions().leaveGroup(true)) only removes static members (group.instance.id)
        // through the admin client (KAFKA-16514). So the main consumer is told to leave, as a plain consumer does; a
        // user value of that default override wins (javap of the 4.1.1 jars). It leaves in the stream thread's last
        // step, after its tasks committed and closed. Later Kafka removes the setting for a close option that leaves
        // (KAFKA-18185, KIP-1153): move to it on upgrade; ReplicaKillIT fails if the group is not left. A crash
        // (kill -9) still costs the session timeout.
        props.put(StreamsConfig.mainConsumerPrefix(LEAVE_GROUP_ON_CLOSE), true);
        // Issue 16: SASL/TLS to the broker, as every other client of the service.
        java.util.Map<String, Object> security = new java.util.HashMap<>();
        io.strideback.support.kafka.KafkaClientSecurity.addTo(security);
        props.putAll(security);
        for (String name : config.getPropertyNames()) {
            if (name.startsWith(PASS_THROUGH)) {
                props.put(name.substring(PASS_THROUGH.length()), config.getValue(name, String.class));
            }
        }
        io.micrometer.core.instrument.Gauge.builder("strideback.load_monitor.awaiting_analysis", progress,
                AnalysisProgress::awaiting)
                .description("athletes whose new events wait for their analysis on this instance").register(metrics);
        io.micrometer.core.instrument.Gauge.builder("strideback.load_monitor.timers_overdue", progress,
                        AnalysisProgress::overdue)
                .description("athletes whose timer is due (time alone changed their findings) and not yet analysed on"
                        + " this instance").register(metrics);
        // Looked up once per type, not per record.
        Map<String, io.micrometer.core.instrument.Counter> eventsIn = new java.util.concurrent.ConcurrentHashMap<>();
        MonitorMeters meters = new MonitorMeters() {
            @Override
            public void eventIn(String ceType) {
                eventsIn.computeIfAbsent(ceType, t -> metrics.counter("strideback.events.in", "type", t)).increment();
            }

            @Override
            public void awaitingAnalysis(int change) {
                progress.awaiting(change, System.currentTimeMillis());
            }

            @Override
            public void timersOverdue(int change) {
                progress.overdue(change);
            }

            @Override
            public void analysisStep() {
                progress.stepped(System.currentTimeMillis());
            }

            @Override
            public void deadLettered(String sourceTopic) {
                // tagged with the topic the record was read from, as plan-service's channels count theirs
                metrics.counter("strideback.dlq", "topic", sourceTopic).increment();
            }

            @Override
            public void analysisFailed() {
                metrics.counter("strideback.analysis.failures").increment();
            }

            // The dashboard's "Flare-ups by classification" panel reads this series (README "Operate").
            @Override
            public void flareUpDetected(String classification) {
                metrics.counter("strideback.flareups", "classification", classification).increment();
            }

            @Override
            public void adjustmentProposed(String type) {
                metrics.counter("strideback.adjustments.proposed", "type", type).increment();
            }

            @Override
            public void flareUpReclassified(String classification) {
                metrics.counter("strideback.flareups.reclassified", "classification", classification).increment();
            }
        };
        ConsumerBacklog lag = new ConsumerBacklog();
        backlog = lag;
        AnalysisPace pace = new AnalysisPace(analysisInterval, catchUpAnalysisInterval, catchUpBehind)
                .bounded(analysisTickBudget, analysisSliceEvents).timersAfterQuiet(timerQuiet)
                .idlingAfter(analysisIdleAfter, analysisIdleInterval);
        KafkaStreams s = new KafkaStreams(MonitorTopology.build(meters, announce, pace), props);
        // For the on-call engineer (alerts StridebackLoadMonitorUnsettled, StridebackLoadMonitorThreadFailed): a running
        // instance that keeps rebalancing has lost its tasks again and again (a replica coming or going, or, round 9's
        // big upload, a stream thread starved of CPU past its transaction or poll timeout and fenced); each time its
        // uncommitted work is redone and the athletes it holds wait.
        io.micrometer.core.instrument.Counter rebalances = metrics.counter("strideback.load_monitor.streams.rebalances");
        io.micrometer.core.instrument.Counter threadsReplaced = metrics.counter("strideback.load_monitor.streams.threads.replaced");
        s.setStateListener((now, before) -> {
            if (before == KafkaStreams.State.RUNNING && now == KafkaStreams.State.REBALANCING) {
                rebalances.increment();
            }
            state = now;
            stateSince = Instant.now();
            everRunning |= now == KafkaStreams.State.RUNNING;
            LOG.infof("load monitor streams: %s -> %s", before, now);
        });
        // A failure the processor does not catch (broker, store) is retried by a new stream thread from the last
        // commit: the records are processed again, never skipped.
        s.setUncaughtExceptionHandler(e -> {
            LOG.errorf(e, "stream thread failed; replacing it (its records are processed again from the last commit)");
            threadsReplaced.increment();
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams = s;
        io.micrometer.core.instrument.Gauge.builder("strideback.load_monitor.streams.running", this,
                        m -> m.state == KafkaStreams.State.RUNNING ? 1 : 0)
                .description("1 while the load monitor's Kafka Streams instance is RUNNING").register(metrics);
        // Not Kafka Streams' own metrics through Micrometer's binder: thousands of them (per task, store, iterator),
        // re-listed by its thread and written out at every scrape, took ~45% of a replaying instance's CPU samples
        // (the bench reads /q/metrics every 100 ms) and ~28% of the live one's; no dashboard or alert read them.
        // The lag the dashboard's "Consumer lag" panel and the alert read is ours, as the other services'.
        io.micrometer.core.instrument.Gauge.builder("strideback.consumer.lag", lag, ConsumerBacklog::records)
                .tag("consumer", "load-monitor")
                .description("records waiting on the load monitor's input partitions").register(metrics);
        s.start();
        lag.watch(s);
    }

    void stop(@Observes ShutdownEvent event) {
        if (backlog != null) {
            backlog.stop();
        }
        KafkaStreams s = streams;
        if (s != null) {
            s.close(closeTimeout);
        }
    }

    /** The running instance; null when disabled. */
    public KafkaStreams streams() {
        return streams;
    }

    public KafkaStreams.State state() {
        return state;
    }

    /** When the current state began. */
    public Instant stateSince() {
        return stateSince;
    }

    /** True once the instance has been RUNNING: a later REBALANCING is a rebalance, not the start. */
    public boolean everRunning() {
        return everRunning;
    }

    /** Athletes whose new events wait for their analysis on this instance. */
    public long awaitingAnalysis() {
        return progress.awaiting();
    }

    /**
     * How long athletes have waited with no analysis step running on their stream thread (zero when none waits or
     * each thread with waiting athletes stepped since they began waiting): the monitor, or one of its stream
     * threads, is not analysing.
     */
    public Duration analysisStalledFor() {
        return progress.stalledFor(System.currentTimeMillis());
    }

    /** When the last analysis step ran on this instance; null before the first. */
    public Instant lastAnalysisStep() {
        long last = progress.lastStep();
        return last == 0 ? null : Instant.ofEpochMilli(last);
    }

    /** This instance as the others reach it ({@code application.server}). */
    public HostInfo self() {
        return self;
    }

    /**
     * DOMAIN.md "over the plan": the task of partition p judges an athlete's runs with the plan events of partition
     * p, so the plan topic must have the activity log's partitions (k8s/base/kafka/topics.yaml). Streams does not
     * check this for a processor with two sources; say it loudly rather than judge runs against no plan.
     */
    private static void checkPlanEventsCoPartitioned(Admin admin, int activityPartitions) throws InterruptedException {
        try {
            int plans = admin.describeTopics(List.of(Topic.PLAN_EVENTS.topicName())).allTopicNames().get()
                    .get(Topic.PLAN_EVENTS.topicName()).partitions().size();
            if (plans != activityPartitions) {
                LOG.errorf("%s has %d partitions and %s %d: they must be equal, or athletes' runs are judged against"
                                + " no plan (no adherence findings for them)", Topic.PLAN_EVENTS.topicName(), plans,
                        Topic.ATHLETE_ACTIVITY.topicName(), activityPartitions);
            }
        } catch (ExecutionException e) {
            LOG.warnf("cannot describe %s: %s", Topic.PLAN_EVENTS.topicName(), e.getCause());
        }
    }

    /**
     * The settings topic is the load monitor's own: created here, compacted, with as many partitions as the
     * activity log (co-partitioning: the task of partition p reads both topics' partition p).
     */
    private void ensureSettingsTopic() throws InterruptedException {
        java.util.Map<String, Object> adminConfig = new java.util.HashMap<>(
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
        io.strideback.support.kafka.KafkaClientSecurity.addTo(adminConfig);
        try (Admin admin = Admin.create(adminConfig)) {
            Map<String, TopicDescription> described = admin.describeTopics(List.of(Topic.ATHLETE_ACTIVITY.topicName()))
                    .allTopicNames().get();
            int partitions = described.get(Topic.ATHLETE_ACTIVITY.topicName()).partitions().size();
            checkPlanEventsCoPartitioned(admin, partitions);
            NewTopic settings = new NewTopic(MonitorTopology.SETTINGS_TOPIC, Optional.of(partitions), Optional.empty())
                    .configs(Map.of("cleanup.policy", "compact"));
            // Its DLQ as the contract's DLQs are (k8s/base/kafka/topics.yaml): one partition, 30 days to read why.
            NewTopic deadLetters = new NewTopic(MonitorTopology.SETTINGS_DEAD_LETTERS, Optional.of(1), Optional.empty())
                    .configs(Map.of("cleanup.policy", "delete", "retention.ms", "2592000000"));
            var created = admin.createTopics(List.of(settings, deadLetters)).values();
            for (var topic : created.entrySet()) {
                try {
                    topic.getValue().get();
                    LOG.infof("created %s", topic.getKey());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        // Streams reports a missing or mis-partitioned topic itself; say why here too.
                        LOG.warnf("cannot make sure %s exists: %s", topic.getKey(), e.getCause());
                    }
                }
            }
        } catch (ExecutionException e) {
            LOG.warnf("cannot make sure %s exists: %s", MonitorTopology.SETTINGS_TOPIC, e.getCause());
        }
    }
}
