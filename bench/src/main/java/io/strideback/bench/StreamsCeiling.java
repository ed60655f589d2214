package io.strideback.bench;

import io.strideback.events.EventCodec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Issue 14, figure 3: what the engine itself can do with the replay's records, measured in the same run. A minimal
 * Kafka Streams application over the same input topic, with the load monitor's processing guarantee, commit
 * interval, poll and producer retry settings (load-monitor-service application.properties, {@code MonitorStreams})
 * and one persistent, changelogged store: each record is one put under its athlete and event id (the key the
 * monitor's {@code athlete-events} store uses), nothing else: no parse, no analysis, no output topic. Read-only:
 * its own application id, its state under the bench's temp dir, both removed afterwards (its changelog topic too).
 */
final class StreamsCeiling {

    /** The load monitor's settings (application.properties): measured with the same, or the ceiling is another engine's. */
    static final String PROCESSING_GUARANTEE = System.getProperty("bench.streams-ceiling.processing-guarantee",
            StreamsConfig.EXACTLY_ONCE_V2);
    static final long COMMIT_INTERVAL_MS = Long.getLong("bench.streams-ceiling.commit-interval-ms", 50);
    static final long POLL_MS = Long.getLong("bench.streams-ceiling.poll-ms", 20);
    static final String STORE = "ceiling-events";

    private final String kafka;
    private final Path tempDir;

    StreamsCeiling(String kafka, Path tempDir) {
        this.kafka = kafka;
        this.tempDir = tempDir;
    }

    /** One pass: a fresh application reads the topic from the start until {@code records} were put. */
    record Pass(long records, double seconds) {
        double rate() {
            return records / seconds;
        }
    }

    /**
     * Runs a fresh application over {@code topic} until it has put {@code records} records, timed from its first
     * record to its last (as the replay's figure is), and removes its state and changelog.
     */
    Pass run(String topic, long records, String applicationId, Duration max) throws Exception {
        Path stateDir = tempDir.resolve(applicationId);
        Files.createDirectories(stateDir);
        AtomicLong put = new AtomicLong();
        AtomicLong firstAt = new AtomicLong();
        AtomicLong lastAt = new AtomicLong();
        Topology topology = new Topology();
        topology.addSource("input", new StringDeserializer(), new ByteArrayDeserializer(), topic);
        topology.addProcessor("put", () -> new PutEach(put, firstAt, lastAt), "input");
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE),
                Serdes.String(), Serdes.ByteArray()).withLoggingEnabled(Map.of()), "put");
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, PROCESSING_GUARANTEE);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Long.toString(COMMIT_INTERVAL_MS));
        props.put(StreamsConfig.POLL_MS_CONFIG, Long.toString(POLL_MS));
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        props.put(StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MS_CONFIG), "5");
        KafkaStreams streams = new KafkaStreams(topology, props);
        try {
            streams.start();
            long deadline = System.nanoTime() + max.toNanos();
            while (put.get() < records && System.nanoTime() < deadline
                    && streams.state() != KafkaStreams.State.ERROR && streams.state() != KafkaStreams.State.NOT_RUNNING) {
                Thread.sleep(20);
            }
            if (put.get() < records) {
                throw new IllegalStateException("the Streams ceiling put " + put.get() + " of " + records
                        + " records (state " + streams.state() + ")");
            }
            return new Pass(put.get(), (lastAt.get() - firstAt.get()) / 1e9);
        } finally {
            streams.close(Duration.ofSeconds(30));
            streams.cleanUp();
            deleteTree(stateDir);
            deleteInternalTopics(applicationId);
        }
    }

    /** Each record: one put under its athlete (the record key) and event id ({@code ce_id}); nothing else. */
    private static final class PutEach implements Processor<String, byte[], Void, Void> {
        private final AtomicLong put;
        private final AtomicLong firstAt;
        private final AtomicLong lastAt;
        private KeyValueStore<String, byte[]> store;

        PutEach(AtomicLong put, AtomicLong firstAt, AtomicLong lastAt) {
            this.put = put;
            this.firstAt = firstAt;
            this.lastAt = lastAt;
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore(STORE);
        }

        @Override
        public void process(Record<String, byte[]> record) {
            String id = EventCodec.header(record.headers(), EventCodec.ID);
            store.put(record.key() + "/" + id, record.value() == null ? new byte[0] : record.value());
            long now = System.nanoTime();
            firstAt.compareAndSet(0, now);
            lastAt.set(now);
            put.incrementAndGet();
        }
    }

    private void deleteInternalTopics(String applicationId) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka))) {
            Set<String> own = admin.listTopics().names().get().stream()
                    .filter(t -> t.startsWith(applicationId + "-")).collect(Collectors.toSet());
            if (!own.isEmpty()) {
                admin.deleteTopics(own).all().get();
            }
        } catch (Exception e) {
            Bench.say("Streams ceiling: could not delete " + applicationId + "'s changelog: " + e);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
