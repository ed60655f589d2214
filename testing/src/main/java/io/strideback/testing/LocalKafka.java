package io.strideback.testing;

import io.smallrye.reactive.messaging.kafka.companion.test.EmbeddedKafkaBroker;
import io.strideback.events.Topic;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.auth.SecurityProtocol;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
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

    /**
     * Issue 16: what each service's SCRAM user may do when the broker runs with SASL, as
     * compose/create-topics.sh and k8s/base/security/kafka-users.yaml grant it: topics it writes, topics
     * it reads, and whether it has consumer groups (named after it).
     */
    record Access(List<Topic> writes, List<String> writesDeadLetters, List<Topic> reads, boolean groups) {
    }

    public static final Map<String, Access> SERVICE_ACCESS = Map.of(
            "intake-service", new Access(List.of(Topic.ATHLETE_ACTIVITY, Topic.TOKEN_REVOCATIONS),
                    List.of(Topic.TOKEN_REVOCATIONS.deadLetterTopicName()),
                    List.of(Topic.ATHLETE_ACTIVITY, Topic.TOKEN_REVOCATIONS), false),
            // The load monitor also reads the plan's events (DOMAIN.md "over the plan") and parks unreadable ones.
            "load-monitor-service", new Access(List.of(Topic.LOAD_FINDINGS, Topic.PLAN_ADJUSTMENTS, Topic.LOAD_MONITOR_AUDIT),
                    List.of(Topic.ATHLETE_ACTIVITY.deadLetterTopicName(), Topic.PLAN_EVENTS.deadLetterTopicName()),
                    List.of(Topic.ATHLETE_ACTIVITY, Topic.PLAN_EVENTS, Topic.TOKEN_REVOCATIONS), true),
            "plan-service", new Access(List.of(Topic.PLAN_EVENTS),
                    List.of(Topic.ATHLETE_ACTIVITY.deadLetterTopicName(), Topic.PLAN_ADJUSTMENTS.deadLetterTopicName(),
                            Topic.LOAD_MONITOR_AUDIT.deadLetterTopicName()),
                    List.of(Topic.ATHLETE_ACTIVITY, Topic.PLAN_ADJUSTMENTS, Topic.LOAD_MONITOR_AUDIT, Topic.TOKEN_REVOCATIONS),
                    true));

    private final EmbeddedKafkaBroker broker;
    private final int plainPort;
    /** The SASL/SCRAM listener's port, 0 without one. */
    private final int saslPort;
    /** Each service's SCRAM password (generated at start), empty without SASL. */
    private final Map<String, String> passwords;

    private LocalKafka(EmbeddedKafkaBroker broker, int plainPort, int saslPort, Map<String, String> passwords) {
        this.broker = broker;
        this.plainPort = plainPort;
        this.saslPort = saslPort;
        this.passwords = passwords;
    }

    /**
     * Starts a broker on {@code port} (0 = a free one). With a {@code logDir} the log survives a
     * restart; without one it lives in a temporary directory deleted on close.
     */
    public static LocalKafka start(int port, Path logDir) {
        return start(port, logDir, -1);
    }

    /**
     * Issue 16: with {@code saslPort} >= 0 (0 = a free one) the broker also listens with SASL_PLAINTEXT
     * SCRAM-SHA-512 on 127.0.0.1 for the three services' users (passwords generated, see
     * {@link #jaasConfig}), with ACLs ({@link #SERVICE_ACCESS}) and no access without one. The
     * PLAINTEXT listener on {@code port} stays for the broker itself and the tests' own clients
     * (anonymous super user), as compose keeps it on the broker's loopback.
     */
    public static LocalKafka start(int port, Path logDir, int saslPort) {
        kafkaLogsAtInfo();
        int kafkaPort = port == 0 ? FreePorts.next() : port;
        int controllerPort = FreePorts.next();
        int scramPort = saslPort < 0 ? 0 : saslPort == 0 ? FreePorts.next() : saslPort;
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker()
                .withNodeId(1)
                .withClusterId("strideback-local-cluster")
                .withKafkaHost("127.0.0.1")
                .withKafkaPort(kafkaPort)
                .withControllerPort(controllerPort)
                .withDeleteLogDirsOnClose(logDir == null);
        if (scramPort > 0) {
            // Both listeners are advertised: the broker talks to itself on PLAINTEXT (inter.broker.listener.name).
            broker.withAdvertisedListeners(
                    EmbeddedKafkaBroker.endpoint("PLAINTEXT", SecurityProtocol.PLAINTEXT, "127.0.0.1", kafkaPort),
                    EmbeddedKafkaBroker.endpoint("SASL", SecurityProtocol.SASL_PLAINTEXT, "127.0.0.1", scramPort));
        }
        broker.withAdditionalProperties(p -> {
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
                    // Issue 15 (round 13, h1): Kafka's own thread counts (3 network threads, 8 request handlers), overridable
                    // for A/B runs (-Dstrideback.kafka.network-threads / -Dstrideback.kafka.io-threads; the launcher passes
                    // STRIDEBACK_OPTS_kafka to the broker's JVM). 2 and 2 were measured once (figure 4 after a 120 s warm-up,
                    // load 7.7-9.0): the broker's CPU per event at 500/s 1.04 -> 0.86 ms, but p50 189 -> 698 ms at 500/s and
                    // 86 -> 184 ms at 200/s; the baseline again: 996 ms at 500/s, broker 0.79 ms: the spread, no gain; not kept.
                    p.put("num.network.threads", Integer.toString(Integer.getInteger("strideback.kafka.network-threads", 3)));
                    p.put("num.io.threads", Integer.toString(Integer.getInteger("strideback.kafka.io-threads", 8)));
                    if (logDir != null) {
                        p.put("log.dirs", logDir.toAbsolutePath().toString());
                    }
                    if (scramPort > 0) {
                        p.put("sasl.enabled.mechanisms", "SCRAM-SHA-512");
                        // The server side of SCRAM: credentials come from the cluster metadata, no users here.
                        p.put("listener.name.sasl.scram-sha-512.sasl.jaas.config",
                                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
                        p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
                        p.put("allow.everyone.if.no.acl.found", "false");
                        p.put("super.users", "User:ANONYMOUS");
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
        Map<String, String> passwords = new LinkedHashMap<>();
        if (scramPort > 0) {
            SecureRandom random = new SecureRandom();
            for (String service : SERVICE_ACCESS.keySet()) {
                byte[] secret = new byte[24];
                random.nextBytes(secret);
                passwords.put(service, HexFormat.of().formatHex(secret));
            }
        }
        LocalKafka kafka = new LocalKafka(broker, kafkaPort, scramPort, passwords);
        kafka.createContractTopics();
        if (scramPort > 0) {
            kafka.createUsersAndAcls();
        }
        return kafka;
    }

    /** The PLAINTEXT listener: the broker's own, and the tests' clients (no authentication). */
    public String bootstrapServers() {
        return "127.0.0.1:" + plainPort;
    }

    /** The SASL/SCRAM listener the services use, when the broker has one. */
    public String saslBootstrapServers() {
        if (saslPort == 0) {
            throw new IllegalStateException("this broker runs without SASL");
        }
        return "127.0.0.1:" + saslPort;
    }

    /** {@code service}'s {@code sasl.jaas.config} (its SCRAM user and generated password). */
    public String jaasConfig(String service) {
        String password = passwords.get(service);
        if (password == null) {
            throw new IllegalStateException("no SCRAM user " + service);
        }
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + service
                + "\" password=\"" + password + "\";";
    }

    private void createUsersAndAcls() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            List<org.apache.kafka.clients.admin.UserScramCredentialAlteration> users = new ArrayList<>();
            passwords.forEach((user, password) -> users.add(new UserScramCredentialUpsertion(user,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), password)));
            admin.alterUserScramCredentials(users).all().get();
            List<AclBinding> acls = new ArrayList<>();
            SERVICE_ACCESS.forEach((user, access) -> {
                access.writes().forEach(t -> topicAcl(acls, user, t.topicName(), AclOperation.WRITE));
                access.writesDeadLetters().forEach(t -> topicAcl(acls, user, t, AclOperation.WRITE));
                access.reads().forEach(t -> topicAcl(acls, user, t.topicName(), AclOperation.READ));
                if (access.groups()) {
                    acls.add(new AclBinding(new ResourcePattern(ResourceType.GROUP, user, PatternType.PREFIXED),
                            new AccessControlEntry("User:" + user, "*", AclOperation.READ, AclPermissionType.ALLOW)));
                }
            });
            // The load monitor is a Kafka Streams application (application.id strideback-load-monitor): its
            // consumer group, changelog topics, transactions (exactly_once_v2), its settings topic and that topic's DLQ.
            String monitor = "load-monitor-service";
            if (passwords.containsKey(monitor)) {
                for (ResourcePattern r : List.of(
                        new ResourcePattern(ResourceType.TOPIC, "strideback-load-monitor-", PatternType.PREFIXED),
                        new ResourcePattern(ResourceType.TOPIC, "strideback.load-monitor-settings.v1", PatternType.LITERAL),
                        new ResourcePattern(ResourceType.TOPIC, "strideback.load-monitor-settings.v1.dlq", PatternType.LITERAL),
                        new ResourcePattern(ResourceType.GROUP, "strideback-load-monitor", PatternType.PREFIXED),
                        new ResourcePattern(ResourceType.TRANSACTIONAL_ID, "strideback-load-monitor", PatternType.PREFIXED))) {
                    acls.add(new AclBinding(r, new AccessControlEntry("User:" + monitor, "*", AclOperation.ALL,
                            AclPermissionType.ALLOW)));
                }
            }
            admin.createAcls(acls).all().get();
            // The users exist once the broker describes them (KRaft applies metadata asynchronously).
            long deadline = System.currentTimeMillis() + 30_000;
            while (admin.describeUserScramCredentials(List.copyOf(passwords.keySet())).all().get().size() < passwords.size()) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("the SCRAM users did not appear");
                }
                Thread.sleep(100);
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create the SCRAM users and ACLs", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void topicAcl(List<AclBinding> acls, String user, String topic, AclOperation operation) {
        for (AclOperation op : List.of(operation, AclOperation.DESCRIBE)) {
            acls.add(new AclBinding(new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL),
                    new AccessControlEntry("User:" + user, "*", op, AclPermissionType.ALLOW)));
        }
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

    /**
     * {@code LocalKafka <port> <logDir> [<saslPort>]}: the local run's broker, until the JVM is stopped.
     * With a SASL port (issue 16, {@code ./strideback up --kafka-sasl}) each service's
     * {@code sasl.jaas.config} is written, readable by the owner only, to
     * {@code .strideback/kafka-sasl/<service>.jaas} for the launcher to hand to the service.
     */
    /**
     * Kafka's own loggers at INFO. Outside Quarkus nothing configures JBoss LogManager, whose loggers
     * then answer {@code isTraceEnabled() == true}: the broker formatted every request's debug and trace
     * lines only for the handler to drop them (JFR, 2026-11-30: a large share of the broker's CPU at
     * 200 events/s). Quarkus JVMs set their own levels over this at boot.
     */
    public static void kafkaLogsAtInfo() {
        for (String name : new String[]{"kafka", "org.apache.kafka", "state.change.logger", "org.apache.zookeeper"}) {
            java.util.logging.Logger.getLogger(name).setLevel(java.util.logging.Level.INFO);
        }
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 9092;
        Path dir = Path.of(args.length > 1 ? args[1] : ".strideback/kafka");
        int saslPort = args.length > 2 ? Integer.parseInt(args[2]) : -1;
        LocalKafka kafka = start(port, dir, saslPort);
        Runtime.getRuntime().addShutdownHook(new Thread(kafka::close));
        if (saslPort >= 0) {
            Path secrets = StridebackHome.dir().resolve("kafka-sasl");
            Files.createDirectories(secrets);
            for (String service : SERVICE_ACCESS.keySet()) {
                Path file = secrets.resolve(service + ".jaas");
                Files.deleteIfExists(file);
                Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
                Files.writeString(file, kafka.jaasConfig(service));
            }
            System.out.println("kafka SASL/SCRAM listener on " + kafka.saslBootstrapServers() + ", users' settings in " + secrets);
        }
        System.out.println("kafka ready on " + kafka.bootstrapServers() + " data " + dir.toAbsolutePath());
        Thread.currentThread().join();
    }
}
