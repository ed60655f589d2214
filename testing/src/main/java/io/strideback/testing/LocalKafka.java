package io.strideback.testing;

import io.smallrye.reactive.messaging.kafka.companion.test.EmbeddedKafkaBroker;
import io.strideback.events.Topic;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * A real single-node Apache Kafka broker in KRaft mode, from the Maven Central jars.
 *
 * <p>Used in-process by the tests and as its own JVM by {@code ./strideback up} (see {@link #main}).
 * The settings below are the ones measured to matter on a small machine: the log cleaner's 128 MiB
 * dedupe buffer OOMs a small heap, and internal topics with replication factor 3 never become
 * ready on one node, so consumer groups and transactions hang.
 */
public final class LocalKafka implements AutoCloseable {

    /** Partitions per topic locally: enough to show per-athlete ordering across partitions. */
    public static final int LOCAL_PARTITIONS = 6;

    private final EmbeddedKafkaBroker broker;

    private LocalKafka(EmbeddedKafkaBroker broker) {
        this.broker = broker;
    }

    /**
     * Starts a broker on {@code port} (0 = a free one). With a {@code logDir} the log survives a
     * restart; without one it lives in a temporary directory deleted on close.
     */
    public static LocalKafka start(int port, Path logDir) {
        int kafkaPort = port == 0 ? FreePorts.next() : port;
        int controllerPort = FreePorts.next();
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker()
                .withNodeId(1)
                .withClusterId("strideback-local-cluster")
                .withKafkaHost("127.0.0.1")
                .withKafkaPort(kafkaPort)
                .withControllerPort(controllerPort)
                .withDeleteLogDirsOnClose(logDir == null)
                .withAdditionalProperties(p -> {
                    p.put("log.cleaner.dedupe.buffer.size", Integer.toString(4 * 1024 * 1024));
                    p.put("offsets.topic.replication.factor", "1");
                    p.put("offsets.topic.num.partitions", "10");
                    p.put("transaction.state.log.replication.factor", "1");
                    p.put("transaction.state.log.min.isr", "1");
                    p.put("transaction.state.log.num.partitions", "4");
                    p.put("share.coordinator.state.topic.replication.factor", "1");
                    p.put("share.coordinator.state.topic.min.isr", "1");
                    p.put("min.insync.replicas", "1");
                    p.put("default.replication.factor", "1");
                    p.put("num.partitions", Integer.toString(LOCAL_PARTITIONS));
                    p.put("group.initial.rebalance.delay.ms", "0");
                    p.put("auto.create.topics.enable", "true");
                    if (logDir != null) {
                        p.put("log.dirs", logDir.toAbsolutePath().toString());
                    }
                });
        if (logDir != null) {
            try {
                Files.createDirectories(logDir);
            } catch (java.io.IOException e) {
                throw new IllegalStateException("cannot create " + logDir, e);
            }
        }
        broker.start();
        LocalKafka kafka = new LocalKafka(broker);
        kafka.createContractTopics();
        return kafka;
    }

    public String bootstrapServers() {
        return broker.getAdvertisedListeners().replaceFirst("^[A-Z_]+://", "");
    }

    /** Creates every topic of the contract and its DLQ, so no service depends on auto-creation. */
    public void createContractTopics() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            List<NewTopic> topics = Topic.allTopicNames().stream()
                    .map(name -> new NewTopic(name, LOCAL_PARTITIONS, (short) 1)).toList();
            for (NewTopic topic : topics) {
                try {
                    admin.createTopics(List.of(topic)).all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + topic.name(), e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        broker.close();
    }

    /** {@code LocalKafka <port> <logDir>}: the local run's broker, until the JVM is stopped. */
    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 9092;
        Path dir = Path.of(args.length > 1 ? args[1] : ".strideback/kafka");
        LocalKafka kafka = start(port, dir);
        Runtime.getRuntime().addShutdownHook(new Thread(kafka::close));
        System.out.println("kafka ready on " + kafka.bootstrapServers() + " data " + dir.toAbsolutePath());
        Thread.currentThread().join();
    }
}
