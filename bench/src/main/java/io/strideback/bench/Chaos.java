package io.strideback.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.strideback.events.EventCodec;
import io.strideback.events.Topic;
import io.strideback.testing.Tokens;
import io.strideback.tools.ApiClient;
import io.strideback.tools.Simulator;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.*;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code ./strideback chaos [seconds]}: under a steady simulated load, kill -9 each service in
 * turn, restart the broker, stop PostgreSQL for 10 s; the client retries like a wearable (same
 * Idempotency-Key or source id). Then check from the topics and the APIs that nothing was lost and
 * nothing applied twice, and print the table. Exits 1 when a check fails.
 * <p>
 * {@code ./strideback chaos [seconds] --replicas N} (CONTRACT "Local scale-out"): the stack runs N instances of each
 * service; each kill -9 takes one replica while the others keep serving (the load goes to every intake replica and a
 * retry to the next one), and the checks add that every replica answers every read alike.
 */
public final class Chaos {

    /** The launcher's STRIDEBACK_PORT_OFFSET: a stack beside another one on the same machine. */
    private static final int PORT_OFFSET = Integer.getInteger("bench.port-offset", 0);
    /** {@code ./strideback chaos --replicas N}: N instances of each service (replica k on port + 1000 x (k - 1)). */
    private static final int REPLICAS = Integer.getInteger("bench.replicas", 1);
    /** The consumer groups that must have caught up: the load monitor's Streams application and plan-service's. */
    private static final List<String> GROUPS = List.of("strideback-load-monitor", "plan-service-activity-and-record",
            "plan-service-adjustments", "plan-service-audit");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String launcher;
    private final Path home = Path.of(System.getProperty("strideback.home", ".strideback"));
    private final String intake = "http://127.0.0.1:" + (8081 + PORT_OFFSET);
    private final String plan = "http://127.0.0.1:" + (8082 + PORT_OFFSET);
    private final String loadMonitor = "http://127.0.0.1:" + (8083 + PORT_OFFSET);
    private final String kafka = System.getProperty("bench.kafka", "127.0.0.1:9092");
    private final List<String> faults = new ArrayList<>();
    /** Restarts the launcher gave up waiting for (a busy machine): the run goes on, and the checks tell. */
    private final List<String> slowRestarts = new ArrayList<>();

    private Chaos(String launcher) {
        this.launcher = launcher;
    }

    public static void main(String[] args) throws Exception {
        io.strideback.testing.LocalKafka.kafkaLogsAtInfo(); // the load generator's own Kafka clients
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 90;
        int code = new Chaos(args[0]).run(seconds);
        System.exit(code);
    }

    int run(int seconds) throws Exception {
        String clinic = "chaos-" + Long.toString(System.currentTimeMillis(), 36);
        Simulator.Simulation sim = Simulator.generate(System.currentTimeMillis() % 1000, 1, 20, 21, Instant.now());
        List<Simulator.Athlete> athletes = sim.athletes().stream()
                .map(a -> new Simulator.Athlete(clinic, a.athleteId(), a.enrolment())).toList();
        ApiClient clinician = ApiClient.forClinic(intake, loadMonitor, plan, clinic, "clinician");
        for (Simulator.Athlete a : athletes) {
            retrying(() -> clinician.postIntake("/api/v1/athletes", a.enrolment()), s -> s == 201 || s == 409);
        }
        // One client per intake replica: a delivery goes to the next replica in turn, and so does its retry.
        String deviceToken = Tokens.issue(clinic, "device");
        List<ApiClient> devices = new ArrayList<>();
        for (int k = 1; k <= REPLICAS; k++) {
            devices.add(new ApiClient(replica(intake, k), loadMonitor, plan, deviceToken));
        }
        AtomicInteger turn = new AtomicInteger();
        List<Simulator.Delivery> deliveries = sim.deliveries();
        double rate = Math.min(40, deliveries.size() / (double) seconds);
        say("chaos: " + deliveries.size() + " deliveries at " + String.format("%.0f", rate) + "/s for " + seconds
                + " s, " + athletes.size() + " athletes, clinic " + clinic);

        Set<String> accepted = ConcurrentHashMap.newKeySet();
        AtomicLong sent = new AtomicLong();
        AtomicLong serverErrors = new AtomicLong();
        AtomicLong retries = new AtomicLong();
        AtomicInteger rejected = new AtomicInteger();
        AtomicInteger answered202 = new AtomicInteger();
        Thread load = new Thread(() -> {
            long start = System.nanoTime();
            for (int i = 0; i < deliveries.size(); i++) {
                long due = start + (long) (i * 1e9 / rate);
                sleepNanos(due - System.nanoTime());
                Simulator.Delivery d = deliveries.get(i);
                sent.incrementAndGet();
                ApiClient.Answer a = retrying(() -> devices.get(Math.floorMod(turn.getAndIncrement(), devices.size()))
                                .postIntake(d.path(), d.body(), d.idempotencyKey()), s -> s < 500, serverErrors, retries);
                if (a != null && a.status() == 202) {
                    answered202.incrementAndGet();
                    accepted.add(a.body().get("eventId").asText());
                } else {
                    rejected.incrementAndGet();
                }
            }
        }, "chaos-load");
        load.start();

        long slice = seconds * 1000L / 6;
        Thread.sleep(slice);
        // With replicas: the first intake, the second load monitor, the first plan-service (the others serve on).
        kill9(replicaName("intake-service", 1));
        Thread.sleep(slice);
        kill9(replicaName("load-monitor-service", Math.min(2, REPLICAS)));
        Thread.sleep(slice);
        kill9(replicaName("plan-service", 1));
        Thread.sleep(slice);
        stopAndRestart("kafka", 0);
        Thread.sleep(slice);
        stopAndRestart("postgres", 10);
        load.join();
        say("chaos: load done; checking");

        // Quiet: consumers caught up.
        // The groups' committed offsets against the ends of their partitions (read_committed), not a service's
        // gauge: the load monitor (Kafka Streams) has no strideback_consumer_lag, and with replicas each instance
        // sees only its own partitions.
        boolean caughtUp = waitFor(Duration.ofSeconds(120), () -> behind().isEmpty());
        Map<String, Long> stillBehind = caughtUp ? Map.of() : behind();
        // Every accepted event on the activity topic, once.
        Map<String, Integer> copies = new HashMap<>();
        List<ConsumerRecord<String, byte[]>> activity = read(Topic.ATHLETE_ACTIVITY.topicName(), clinic,
                recs -> recs.stream().map(r -> EventCodec.header(r.headers(), EventCodec.ID)).filter(accepted::contains)
                        .distinct().count() >= accepted.size());
        activity.forEach(r -> copies.merge(EventCodec.header(r.headers(), EventCodec.ID), 1, Integer::sum));
        long lost = accepted.stream().filter(id -> !copies.containsKey(id)).count();
        long duplicatedOnTopic = accepted.stream().filter(id -> copies.getOrDefault(id, 0) > 1).count();

        // Every proposal applied exactly once.
        waitFor(Duration.ofSeconds(60), () -> {
            Set<String> proposals = proposals(clinic);
            return applied(clinician, athletes).keySet().containsAll(proposals);
        });
        Set<String> proposals = proposals(clinic);
        Map<String, Integer> applied = applied(clinician, athletes);
        long adjustmentsLost = proposals.stream().filter(id -> !applied.containsKey(id)).count();
        long doubleApplied = applied.values().stream().filter(c -> c > 1).count();

        // Every plan equals the rebuild from its events.
        Map<String, JsonNode> live = new HashMap<>();
        for (Simulator.Athlete a : athletes) {
            live.put(a.athleteId(), clinician.getPlan("/api/v1/athletes/" + a.athleteId() + "/plan").body());
        }
        int rebuildStatus = rebuildPlans();
        long mismatched = athletes.stream().filter(a -> !live.get(a.athleteId())
                .equals(clinician.getPlan("/api/v1/athletes/" + a.athleteId() + "/plan").body())).count();
        // CONTRACT "Local scale-out": every replica answers every read for its clinic's athletes, alike.
        long replicasDiffer = 0;
        for (int k = 2; k <= REPLICAS; k++) {
            ApiClient other = ApiClient.forClinic(replica(intake, k), replica(loadMonitor, k), replica(plan, k), clinic,
                    "clinician");
            for (Simulator.Athlete a : athletes) {
                String athlete = "/api/v1/athletes/" + a.athleteId();
                if (!clinician.getPlan(athlete + "/plan").body().equals(other.getPlan(athlete + "/plan").body())
                        || !clinician.getLoadMonitor(athlete + "/patterns").body()
                        .equals(other.getLoadMonitor(athlete + "/patterns").body())
                        || !clinician.getLoadMonitor(athlete + "/flare-ups").body()
                        .equals(other.getLoadMonitor(athlete + "/flare-ups").body())) {
                    replicasDiffer++;
                }
            }
        }

        String[][] table = {
                {"faults injected", String.join(", ", faults)},
                {"events sent", Long.toString(sent.get())},
                {"answered 202 (repeat deliveries get the first eventId)", Integer.toString(answered202.get())},
                {"distinct events accepted", Integer.toString(accepted.size())},
                {"rejected after retries (4xx)", Integer.toString(rejected.get())},
                {"retried (503 or connection refused)", Long.toString(retries.get())},
                {"answers 5xx other than 503", Long.toString(serverErrors.get())},
                {"lost (accepted, not on the topic)", Long.toString(lost)},
                {"on the topic twice (same ce_id; consumers drop the copy)", Long.toString(duplicatedOnTopic)},
                {"adjustments proposed", Integer.toString(proposals.size())},
                {"adjustments never applied", Long.toString(adjustmentsLost)},
                {"double-applied", Long.toString(doubleApplied)},
                {"plans differing from their rebuild", rebuildStatus == 200 ? Long.toString(mismatched) : "rebuild failed " + rebuildStatus},
                {"replicas", Integer.toString(REPLICAS)},
                {"restarts not ready within the launcher's wait", slowRestarts.isEmpty() ? "none"
                        : String.join(", ", slowRestarts)},
                {"athletes whose reads differ between replicas", REPLICAS > 1 ? Long.toString(replicasDiffer) : "n/a"},
                {"consumers caught up (lag 0)", caughtUp ? "true" : "false, behind: " + stillBehind},
        };
        StringBuilder md = new StringBuilder("| check | result |\n|---|---|\n");
        for (String[] row : table) {
            md.append("| ").append(row[0]).append(" | ").append(row[1]).append(" |\n");
        }
        System.out.println();
        System.out.println(md);
        Path out = Path.of(System.getProperty("bench.repo", ".")).resolve(REPLICAS > 1
                ? "bench/results/chaos-replicas-latest.md" : "bench/results/chaos-latest.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, "# Strideback chaos run\n\nRun " + Instant.now() + ", " + seconds + " s"
                + (REPLICAS > 1 ? ", " + REPLICAS + " replicas of each service" : "") + ".\n\n" + md);
        boolean ok = lost == 0 && doubleApplied == 0 && adjustmentsLost == 0 && serverErrors.get() == 0
                && mismatched == 0 && rebuildStatus == 200 && caughtUp && replicasDiffer == 0;
        say(ok ? "chaos: nothing lost, nothing applied twice" : "chaos: CHECKS FAILED");
        return ok ? 0 : 1;
    }

    /**
     * The plan rebuild's status, or -1 when it did not answer: not ApiClient, whose 30 s timeout is
     * shorter than a rebuild of every plan of a stack that has run the bench (a chaos run of
     * 2026-11-30 died there, before writing its counts).
     */
    private int rebuildPlans() {
        try {
            return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                                    java.net.URI.create(plan + "/api/v1/admin/rebuild-plans"))
                            .header("Authorization", "Bearer " + Tokens.issue("ops", "ops"))
                            .timeout(Duration.ofMinutes(5)).POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            say("chaos: the plan rebuild did not answer: " + e);
            return -1;
        }
    }

    private void kill9(String component) throws Exception {
        long pid = Long.parseLong(Files.readString(home.resolve("pids/" + component + ".pid")).trim());
        say("chaos: kill -9 " + component + " (pid " + pid + ")");
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        ProcessHandle.of(pid).ifPresent(p -> p.onExit().join());
        faults.add("kill -9 " + component);
        restart(component);
    }

    private void stopAndRestart(String component, int downSeconds) throws Exception {
        long pid = Long.parseLong(Files.readString(home.resolve("pids/" + component + ".pid")).trim());
        say("chaos: stop " + component + (downSeconds > 0 ? " for " + downSeconds + " s" : " and restart"));
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        ProcessHandle.of(pid).ifPresent(p -> p.onExit().join());
        Thread.sleep(downSeconds * 1000L);
        faults.add(downSeconds > 0 ? "stop " + component + " " + downSeconds + " s" : "restart " + component);
        restart(component);
    }

    /** The launcher's name of replica k (k = 1 is the service itself; its pid file is pids/&lt;name&gt;.pid). */
    private static String replicaName(String service, int k) {
        return k == 1 ? service : service + "-" + k;
    }

    /** Replica k's address: the service's port + 1000 x (k - 1). */
    private static String replica(String base, int k) {
        java.net.URI u = java.net.URI.create(base);
        return u.getScheme() + "://" + u.getHost() + ":" + (u.getPort() + 1000 * (k - 1));
    }

    private void restart(String component) throws Exception {
        Process p = new ProcessBuilder(launcher, "up", "--detach", "--replicas", Integer.toString(REPLICAS))
                .redirectErrorStream(true)
                .redirectOutput(home.resolve("logs/chaos-restart.log").toFile()).start();
        if (p.waitFor() != 0) {
            // Not the end of the run: a slow start still comes up (the checks wait), one that never does fails them.
            say("chaos: the restart after " + component + " was not ready in time; read "
                    + home.resolve("logs/chaos-restart.log"));
            slowRestarts.add(component);
        }
    }

    private ApiClient.Answer retrying(java.util.function.Supplier<ApiClient.Answer> call,
                                      java.util.function.IntPredicate done) {
        return retrying(call, done, new AtomicLong(), new AtomicLong());
    }

    /** A wearable's retry: the same request until it is answered for good (2xx/4xx), for up to 3 minutes. */
    private static ApiClient.Answer retrying(java.util.function.Supplier<ApiClient.Answer> call,
                                             java.util.function.IntPredicate done, AtomicLong serverErrors,
                                             AtomicLong retries) {
        long deadline = System.currentTimeMillis() + 180_000;
        while (System.currentTimeMillis() < deadline) {
            try {
                ApiClient.Answer a = call.get();
                if (a.status() >= 500 && a.status() != 503) {
                    serverErrors.incrementAndGet();
                }
                if (done.test(a.status())) {
                    return a;
                }
            } catch (IllegalStateException connectionRefused) {
                // the service is restarting
            }
            retries.incrementAndGet();
            sleepNanos(500_000_000L);
        }
        return null;
    }

    /**
     * The partitions a consumer group has not caught up on: "group topic-partition" to the records behind. A
     * partition whose committed offset is short of its end only by transaction markers (the exactly-once load
     * monitor writes them after every commit) holds no record to read and counts as caught up. Unreachable: one
     * entry saying so.
     */
    private Map<String, Long> behind() {
        Map<String, Long> out = new TreeMap<>();
        // Both timeouts: the client refuses a default.api.timeout.ms under request.timeout.ms (30 s by default), and
        // this check then said "unreachable" on every run without asking the broker anything.
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000));
             KafkaConsumer<String, byte[]> reader = new KafkaConsumer<>(Map.of(
                     ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka,
                     ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                     ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                     ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                     ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            for (String group : GROUPS) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata().get();
                // Every partition of the topics it reads, also one it never committed on (records there wait).
                Set<String> topics = new TreeSet<>();
                committed.keySet().forEach(tp -> topics.add(tp.topic()));
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                admin.describeTopics(topics).allTopicNames().get().values().forEach(t -> t.partitions().forEach(
                        p -> latest.put(new TopicPartition(t.name(), p.partition()), OffsetSpec.latest())));
                var ends = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get();
                for (var e : ends.entrySet()) {
                    OffsetAndMetadata done = committed.get(e.getKey());
                    long gap = e.getValue().offset() - (done == null ? 0 : done.offset());
                    if (gap > 0 && holdsRecords(reader, e.getKey(), done == null ? 0 : done.offset(),
                            e.getValue().offset())) {
                        out.put(group + " " + e.getKey(), gap);
                    }
                }
            }
        } catch (Exception e) {
            out.put("unreachable: " + e + (e.getCause() == null ? "" : " (" + e.getCause() + ")"), -1L);
        }
        return out;
    }

    /** Whether a committed reader finds any record in [from, to) of the partition (not only markers). */
    private static boolean holdsRecords(KafkaConsumer<String, byte[]> reader, TopicPartition tp, long from, long to) {
        reader.assign(List.of(tp));
        reader.seek(tp, from);
        long deadline = System.currentTimeMillis() + 5_000;
        while (System.currentTimeMillis() < deadline) {
            if (!reader.poll(Duration.ofMillis(200)).isEmpty()) {
                return true;
            }
            if (reader.position(tp) >= to) {
                return false;
            }
        }
        return true;
    }

    private Set<String> proposals(String clinic) {
        Set<String> ids = new HashSet<>();
        for (ConsumerRecord<String, byte[]> r : read(Topic.PLAN_ADJUSTMENTS.topicName(), clinic, recs -> true)) {
            try {
                ids.add(JSON.readTree(r.value()).get("adjustmentId").asText());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return ids;
    }

    private static Map<String, Integer> applied(ApiClient clinician, List<Simulator.Athlete> athletes) {
        Map<String, Integer> applied = new HashMap<>();
        for (Simulator.Athlete a : athletes) {
            for (JsonNode e : clinician.getPlan("/api/v1/athletes/" + a.athleteId() + "/plan/history").body().path("events")) {
                String type = e.path("type").asText();
                if (type.equals("plan.adjusted") || type.equals("plan.adjustment-pending")) {
                    applied.merge(e.path("adjustment").path("adjustmentId").asText(), 1, Integer::sum);
                }
            }
        }
        return applied;
    }

    /** The clinic's records of a topic, read from the start until {@code done} holds or the topic is drained. */
    private List<ConsumerRecord<String, byte[]>> read(String topic, String clinic,
                                                      java.util.function.Predicate<List<ConsumerRecord<String, byte[]>>> done) {
        List<ConsumerRecord<String, byte[]>> mine = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka, ConsumerConfig.GROUP_ID_CONFIG, "chaos-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            consumer.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + 60_000;
            int emptyPolls = 0;
            while (System.currentTimeMillis() < deadline) {
                var records = consumer.poll(Duration.ofMillis(500));
                for (ConsumerRecord<String, byte[]> r : records) {
                    if (clinic.equals(EventCodec.header(r.headers(), EventCodec.CLINIC))) {
                        mine.add(r);
                    }
                }
                emptyPolls = records.isEmpty() && !consumer.assignment().isEmpty() ? emptyPolls + 1 : 0;
                if (emptyPolls >= 4 && done.test(mine)) {
                    break;
                }
            }
        }
        return mine;
    }

    private static boolean waitFor(Duration max, java.util.function.BooleanSupplier condition) {
        long deadline = System.currentTimeMillis() + max.toMillis();
        while (System.currentTimeMillis() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            sleepNanos(500_000_000L);
        }
        return condition.getAsBoolean();
    }

    private static void sleepNanos(long nanos) {
        if (nanos <= 0) {
            return;
        }
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void say(String s) {
        System.out.println(s);
    }
}
