package io.strideback.bench;

import io.strideback.events.EventCodec;
import io.strideback.events.EventEnvelope;
import io.strideback.events.FindingEvents.AdjustmentProposed;
import io.strideback.events.Topic;
import io.strideback.events.vocabulary.AdjustmentType;
import io.strideback.testing.Tokens;
import io.strideback.tools.ApiClient;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Figure 7 (round 17): a flood of the load monitor's timers after an outage. {@code athletes} athletes whose settled
 * cap (DOMAIN "settled": 14 quiet days under the cap, RELAX_RUN_CAP) all come due at one instant; the load monitor is
 * killed (-9) before it, and started again once it has passed, so at its first tick every one of their timers is due.
 * Measured: how long until every RELAX_RUN_CAP is committed on the proposals topic; meanwhile, every 250 ms, a red-flag
 * report of another clinic, timed from its post to its URGENT_REFERRAL committed (read_committed, as plan-service
 * reads it); the monitor's liveness and readiness every 500 ms; its {@code awaiting_analysis} and overdue-timer gauges;
 * the CPU of every process from the restart to the last relax (the monitor's boot and restore included).
 */
final class TimerFlood {

    /** The history's first day lies this long before the due instant: the settled cap of the history below. */
    private static final Duration DAY0_BEFORE_DUE = Duration.ofDays(22).plusHours(10).plusMinutes(30);

    private final String intake;
    private final String loadMonitor;
    private final String plan;
    private final String kafka;
    private final Path home;
    private final Path launcher;
    private final HttpClient http;
    private final Consumer<String> say;

    TimerFlood(String intake, String loadMonitor, String plan, String kafka, Path home, Path launcher, HttpClient http,
               Consumer<String> say) {
        this.intake = intake;
        this.loadMonitor = loadMonitor;
        this.plan = plan;
        this.kafka = kafka;
        this.home = home;
        this.launcher = launcher;
        this.http = http;
        this.say = say;
    }

    record Result(int athletes, double seedSeconds, double bootSeconds, double firstRelaxSeconds,
                  double allFiredSeconds, int fired, Histogram probeMicros, int probesSent, int probesSeen,
                  int liveDown, int readyDown, int healthPolls, double awaitingMax, double overdueMax,
                  CpuMeter.Sample cpuBefore, CpuMeter.Sample cpuAfter) {
    }

    Result run(int athletes, String run, Duration seedWithin, BooleanSupplier caughtUp) throws Exception {
        String clinic = "bench-timers-" + run;
        String probeClinic = "bench-timers-probe-" + run;
        ApiClient clinician = ApiClient.forClinic(intake, loadMonitor, plan, clinic, "clinician");
        ApiClient probeClinician = ApiClient.forClinic(intake, loadMonitor, plan, probeClinic, "clinician");
        long seedStart = System.nanoTime();
        Instant due = Instant.now().plus(seedWithin).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        say.accept("timers: enrolling " + athletes + " athletes whose settled caps all come due at " + due);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<java.util.concurrent.Future<?>> posts = new ArrayList<>();
        for (int i = 0; i < athletes; i++) {
            String athlete = "t" + i;
            posts.add(pool.submit(() -> expect(201, clinician.postIntake("/api/v1/athletes", Map.of("athleteId", athlete,
                    "displayName", "Timer", "diagnosis", "CALF_STRAIN_SOLEUS", "side", "LEFT",
                    "injuryDate", "2026-06-01", "symptomFreeRunKm", 3.0)))));
        }
        for (int i = 0; i < 400; i++) {
            String athlete = "p" + i;
            posts.add(pool.submit(() -> expect(201, probeClinician.postIntake("/api/v1/athletes", Map.of(
                    "athleteId", athlete, "displayName", "Probe", "diagnosis", "CALF_STRAIN_GASTROCNEMIUS",
                    "side", "RIGHT", "injuryDate", "2026-06-01")))));
        }
        for (var f : posts) {
            f.get();
        }
        posts.clear();
        say.accept("timers: posting their histories (12 events each)");
        ApiClient device = new ApiClient(intake, loadMonitor, plan, Tokens.issue(clinic, "device"));
        Instant day0 = due.minus(DAY0_BEFORE_DUE);
        int perBatch = 500 / 12;
        for (int from = 0; from < athletes; from += perBatch) {
            int first = from;
            posts.add(pool.submit(() -> {
                List<Map<String, Object>> items = new ArrayList<>();
                for (int i = first; i < Math.min(athletes, first + perBatch); i++) {
                    items.addAll(history("t" + i, day0));
                }
                ApiClient.Answer a;
                do {
                    a = device.postIntake("/api/v1/events/batch", Map.of("items", items));
                } while (a.status() == 503);
                expect(200, a);
            }));
        }
        for (var f : posts) {
            f.get();
        }
        if (!caughtUp.getAsBoolean()) {
            throw new IllegalStateException("the consumers had not caught up with the seeding");
        }
        double seedSeconds = (System.nanoTime() - seedStart) / 1e9;
        if (!Instant.now().isBefore(due.minusSeconds(5))) {
            throw new IllegalStateException("seeding took " + seedSeconds + " s, past the due instant: raise "
                    + "bench.timers.seed-seconds");
        }

        // The outage: kill -9 before the caps come due, started again once they all are.
        long pid = Long.parseLong(Files.readString(home.resolve("pids/load-monitor-service.pid")).trim());
        say.accept("timers: kill -9 the load monitor (pid " + pid + "), restart 5 s after " + due);
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        ProcessHandle.of(pid).ifPresent(p -> p.onExit().join());

        ProposalWatch watch = new ProposalWatch(clinic, probeClinic);
        watch.start();
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), due.plusSeconds(5)).toMillis()));
        long restart = System.nanoTime();
        Process up = new ProcessBuilder(launcher.toString(), "up", "--detach").redirectErrorStream(true)
                .redirectOutput(home.resolve("logs/bench-timers-restart.log").toFile()).start();
        Path pidFile = home.resolve("pids/load-monitor-service.pid");
        while (Files.readString(pidFile).trim().equals(Long.toString(pid))) {
            Thread.sleep(20);
        }
        CpuMeter cpu = new CpuMeter(home);
        CpuMeter.Sample cpuBefore = cpu.sample();

        // Probes every 250 ms once the monitor answers, health and gauges every 500 ms, until every cap is relaxed.
        ApiClient probeDevice = new ApiClient(intake, loadMonitor, plan, Tokens.issue(probeClinic, "device"));
        AtomicInteger probesSent = new AtomicInteger();
        AtomicInteger liveDown = new AtomicInteger();
        AtomicInteger readyDown = new AtomicInteger();
        AtomicInteger healthPolls = new AtomicInteger();
        AtomicLong bootNanos = new AtomicLong();
        double[] gaugesMax = new double[2];
        long deadline = System.nanoTime() + Duration.ofSeconds(Long.getLong("bench.timers.max-seconds", 300)).toNanos();
        while (watch.relaxed() < athletes && System.nanoTime() < deadline) {
            long tick = System.nanoTime();
            boolean booted = bootNanos.get() > 0;
            if (!booted && status(loadMonitor + "/q/health/live") == 200) {
                bootNanos.set(System.nanoTime() - restart);
                booted = true;
            }
            // the probes go while the flood fires (not while the monitor restores its stores: that is its boot)
            if (watch.firstRelax.get() != 0 && probesSent.get() < 400) {
                String athlete = "p" + probesSent.getAndIncrement();
                watch.sentAt.put(athlete, System.nanoTime());
                pool.submit(() -> probeDevice.postIntake("/api/v1/athletes/" + athlete + "/symptoms", Map.of(
                        "observedAt", Instant.now().toString(), "pain", 4, "context", "AT_REST",
                        "redFlags", List.of("SWELLING"))));
            }
            // health and gauges while the flood fires (before it, the restart's restore shows as not ready)
            if (watch.firstRelax.get() != 0 && (tick / 250_000_000L) % 2 == 0) {
                healthPolls.incrementAndGet();
                if (status(loadMonitor + "/q/health/live") != 200) {
                    liveDown.incrementAndGet();
                }
                if (status(loadMonitor + "/q/health/ready") != 200) {
                    readyDown.incrementAndGet();
                }
                Map<String, Double> m = Bench.metrics(http, loadMonitor);
                gaugesMax[0] = Math.max(gaugesMax[0], m.getOrDefault("strideback_load_monitor_awaiting_analysis", 0.0));
                gaugesMax[1] = Math.max(gaugesMax[1], m.getOrDefault("strideback_load_monitor_timers_overdue", 0.0));
            }
            Thread.sleep(Math.max(0, 250 - (System.nanoTime() - tick) / 1_000_000));
        }
        CpuMeter.Sample cpuAfter = cpu.sample();
        // the probes sent in the flood's last moments: up to 30 s more for their referrals
        long probesDeadline = System.nanoTime() + 30_000_000_000L;
        while (watch.seenProbes() < probesSent.get() && System.nanoTime() < probesDeadline) {
            Thread.sleep(100);
        }
        watch.stop();
        up.waitFor(60, TimeUnit.SECONDS);
        pool.shutdownNow();
        return new Result(athletes, seedSeconds, bootNanos.get() / 1e9, watch.firstRelax.get() == 0 ? Double.NaN
                : (watch.firstRelax.get() - restart) / 1e9, (watch.lastRelax.get() - restart) / 1e9, watch.relaxed(),
                watch.probeMicros, probesSent.get(), watch.seenProbes(), liveDown.get(), readyDown.get(),
                healthPolls.get(), gaugesMax[0], gaugesMax[1], cpuBefore, cpuAfter);
    }

    /**
     * Two flare-ups after runs longer than the 3 km declared (runs capped at 3 km), then five runs under the cap every
     * other day and nothing after: settled is due 22 days and 10:30 after day 0 (TimePassingTest's story).
     */
    private static List<Map<String, Object>> history(String athlete, Instant day0) {
        List<Map<String, Object>> items = new ArrayList<>(List.of(
                run(athlete, "3k", day0, 0, 3.0), run(athlete, "5.2k", day0, 2, 5.2),
                symptom(athlete, day0.plus(Duration.ofDays(2)).plus(Duration.ofMinutes(630)), 6, "WALKING"),
                symptom(athlete, day0.plus(Duration.ofDays(4)).plus(Duration.ofMinutes(660)), 1, "AT_REST"),
                run(athlete, "6k", day0, 6, 6.0),
                symptom(athlete, day0.plus(Duration.ofDays(6)).plus(Duration.ofMinutes(630)), 6, "WALKING"),
                symptom(athlete, day0.plus(Duration.ofDays(8)).plus(Duration.ofMinutes(660)), 1, "AT_REST")));
        for (int d = 10; d <= 18; d += 2) {
            items.add(run(athlete, "capped-" + d, day0, d, 3.0));
        }
        return items;
    }

    private static Map<String, Object> run(String athlete, String session, Instant day0, int day, double km) {
        return Map.of("athleteId", athlete, "kind", "session", "body", Map.of("sessionId", session, "type", "RUN",
                "startedAt", day0.plus(Duration.ofDays(day)).plus(Duration.ofHours(7)).toString(),
                "durationMin", (int) (km * 6), "rpe", 4, "run", Map.of("distanceKm", km, "intensity", "EASY")));
    }

    private static Map<String, Object> symptom(String athlete, Instant at, int pain, String context) {
        return Map.of("athleteId", athlete, "kind", "symptom", "body", Map.of("observedAt", at.toString(), "pain", pain,
                "context", context, "side", "LEFT", "location", "MID_CALF", "character", List.of("ACHE")));
    }

    private static void expect(int status, ApiClient.Answer a) {
        if (a.status() != status) {
            throw new IllegalStateException("answered " + a.status() + ": " + a.body());
        }
    }

    private int status(String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    /**
     * The proposals topic as plan-service reads it (read_committed), from its end at the outage: the flood clinic's
     * RELAX_RUN_CAPs counted, the probe clinic's URGENT_REFERRALs timed against their posts.
     */
    private final class ProposalWatch {
        private final String clinic;
        private final String probeClinic;
        final Map<String, Long> sentAt = new ConcurrentHashMap<>();
        private final Map<String, Boolean> seen = new ConcurrentHashMap<>();
        private final Map<String, Boolean> relaxed = new ConcurrentHashMap<>();
        final Histogram probeMicros = new Histogram(3);
        final AtomicLong firstRelax = new AtomicLong();
        final AtomicLong lastRelax = new AtomicLong();
        private volatile boolean stopped;
        private Thread thread;

        ProposalWatch(String clinic, String probeClinic) {
            this.clinic = clinic;
            this.probeClinic = probeClinic;
        }

        void start() throws InterruptedException {
            java.util.concurrent.CountDownLatch assigned = new java.util.concurrent.CountDownLatch(1);
            thread = new Thread(() -> {
                try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka,
                        ConsumerConfig.GROUP_ID_CONFIG, "bench-timers-" + UUID.randomUUID(),
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
                    List<TopicPartition> partitions = consumer.partitionsFor(Topic.PLAN_ADJUSTMENTS.topicName()).stream()
                            .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                    consumer.assign(partitions);
                    consumer.seekToEnd(partitions);
                    partitions.forEach(consumer::position);
                    assigned.countDown();
                    while (!stopped) {
                        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                            seen(r, System.nanoTime());
                        }
                    }
                }
            }, "bench-timers-watch");
            thread.setDaemon(true);
            thread.start();
            assigned.await();
        }

        private void seen(ConsumerRecord<String, byte[]> r, long now) {
            String of = EventCodec.header(r.headers(), EventCodec.CLINIC);
            if (!clinic.equals(of) && !probeClinic.equals(of)) {
                return;
            }
            EventEnvelope<?> event = EventCodec.fromRecord(r);
            if (!(event.data() instanceof AdjustmentProposed p)) {
                return;
            }
            if (clinic.equals(of) && p.type() == AdjustmentType.RELAX_RUN_CAP
                    && relaxed.putIfAbsent(event.subject(), true) == null) {
                firstRelax.compareAndSet(0, now);
                lastRelax.set(now);
            } else if (probeClinic.equals(of) && p.type() == AdjustmentType.URGENT_REFERRAL) {
                Long sent = sentAt.get(event.subject());
                if (sent != null && seen.putIfAbsent(event.subject(), true) == null) {
                    probeMicros.recordValue(Math.max(0, (now - sent) / 1_000));
                }
            }
        }

        int relaxed() {
            return relaxed.size();
        }

        int seenProbes() {
            return seen.size();
        }

        void stop() throws InterruptedException {
            stopped = true;
            thread.join(5_000);
        }
    }
}
