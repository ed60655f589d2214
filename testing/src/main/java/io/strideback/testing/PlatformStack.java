package io.strideback.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The whole platform for black-box tests, started once per test JVM: a real KRaft broker and a
 * real PostgreSQL in this JVM, and the three packaged services (target/quarkus-app) as their own
 * processes on free ports, driven only through HTTP like a client. Used by e2e-tests and
 * browser-tests; each passes the folder where the services' logs go.
 *
 * <p>One instance of each service to begin with; {@link #scaleTo} adds or removes replicas (issue 14).
 * Replica k of a service is named {@code <service>-<k>} (replica 1 keeps the plain service name, as
 * its log file does), listens on a free port of its own and, for the load monitor, keeps its own state
 * directory and is told its own host:port for interactive queries.
 */
public final class PlatformStack {

    public static final List<String> SERVICES = List.of("intake-service", "load-monitor-service", "plan-service");

    private static PlatformStack instance;

    private final Path repo;
    private final Path logs;
    private final LocalKafka kafka;
    private final LocalPostgres postgres;
    /** By instance name ({@link #instance}): the port and the process of every replica. */
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    /** Each service's management interface (issue 16: /q/metrics is served only there). */
    private final Map<String, Integer> managementPorts = new LinkedHashMap<>();
    private final Map<String, Process> processes = new LinkedHashMap<>();
    private final Map<String, Integer> replicas = new LinkedHashMap<>();
    /** Issue 16: the services authenticate to the broker with their SCRAM users (SASL_PLAINTEXT). */
    private final boolean kafkaSasl;
    /**
     * Issue 16: the master key wrapping intake's data keys, random for each stack (base64 of 32 bytes), given to
     * intake through its environment as a deployment does; a test greps the logs for it.
     */
    private final String personalDataMasterKey = newMasterKey();

    private PlatformStack(Path repo, Path logs, boolean kafkaSasl) {
        this.repo = repo;
        this.logs = logs;
        this.kafkaSasl = kafkaSasl;
        kafka = LocalKafka.start(0, null, kafkaSasl ? 0 : -1);
        postgres = LocalPostgres.start(0, null);
        LocalKeys.loadOrCreate(LocalKeys.defaultDir());
        for (String s : SERVICES) {
            ports.put(s, FreePorts.next());
            replicas.put(s, 1);
            managementPorts.put(s, FreePorts.next());
        }
        try {
            Files.createDirectories(logs);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        SERVICES.forEach(this::launch);
        SERVICES.forEach(this::awaitReady);
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopAll));
    }

    /**
     * Issue 16: a stack of its own whose broker takes the services only through SASL/SCRAM with ACLs
     * (their logs in {@code logsUnderRepo}); {@link #close} it when done, it is not shared.
     */
    public static PlatformStack startWithKafkaSasl(String logsUnderRepo) {
        Path repo = repo();
        return new PlatformStack(repo, repo.resolve(logsUnderRepo), true);
    }

    /** Stops a stack started with {@link #startWithKafkaSasl}. */
    public void close() {
        stopAll();
    }

    /** The broker: its SASL listener and the services' SCRAM users, where it has them. */
    public LocalKafka kafka() {
        return kafka;
    }

    /** The repository root: {@code -Dstrideback.repo} (set by the test modules' failsafe), else the parent folder. */
    public static Path repo() {
        return Path.of(System.getProperty("strideback.repo", "..")).toAbsolutePath().normalize();
    }

    /**
     * The stack of this JVM, started on first call with the services' logs under {@code logsUnderRepo}
     * (a path relative to the repository root, e.g. {@code e2e-tests/target/e2e-logs}).
     */
    public static synchronized PlatformStack get(String logsUnderRepo) {
        if (instance == null) {
            Path repo = repo();
            instance = new PlatformStack(repo, repo.resolve(logsUnderRepo), false);
        }
        return instance;
    }

    public String url(String service) {
        return url(service, 1);
    }

    /** Replica {@code replica} (1 = the first) of the service. */
    public synchronized String url(String service, int replica) {
        return "http://127.0.0.1:" + ports.get(instance(service, replica));
    }

    /** Every replica's URL, the first first. */
    public synchronized List<String> urls(String service) {
        List<String> urls = new ArrayList<>();
        for (int k = 1; k <= replicas(service); k++) {
            urls.add(url(service, k));
        }
        return urls;
    }

    public synchronized int replicas(String service) {
        return replicas.get(service);
    }

    /** The instance's name: the service for replica 1, {@code <service>-<k>} for the others (logs, state). */
    public static String instance(String service, int replica) {
        return replica == 1 ? service : service + "-" + replica;
    }

    /**
     * Runs {@code n} replicas of every service: starts the missing ones (all at once, then waits until
     * each is ready) or stops the surplus ones (gracefully, the last first).
     */
    public synchronized void scaleTo(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("at least one replica: " + n);
        }
        List<String> started = new ArrayList<>();
        for (String s : SERVICES) {
            for (int k = replicas(s) + 1; k <= n; k++) {
                String name = instance(s, k);
                ports.putIfAbsent(name, FreePorts.next());
                managementPorts.putIfAbsent(name, FreePorts.next());
                launch(name);
                started.add(name);
            }
            for (int k = replicas(s); k > n; k--) {
                stop(processes.remove(instance(s, k)));
            }
            replicas.put(s, n);
        }
        started.forEach(this::awaitReady);
    }

    /** The process id of a replica (what {@code kill -9} would be given). */
    public synchronized long pid(String service, int replica) {
        return processes.get(instance(service, replica)).pid();
    }

    public synchronized boolean alive(String service, int replica) {
        Process p = processes.get(instance(service, replica));
        return p != null && p.isAlive();
    }

    /** kill -9 of one replica, which stays down until {@link #restart}. */
    public synchronized void kill(String service, int replica) {
        Process p = processes.get(instance(service, replica));
        p.destroyForcibly();
        try {
            p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * SIGTERM to one replica, as a rolling deploy or a scale-down stops a pod, and waits until it has exited (SIGKILL
     * after 20 s); it stays down until {@link #restart}.
     */
    public synchronized void stop(String service, int replica) {
        stop(processes.get(instance(service, replica)));
    }

    /** Starts a killed or stopped replica again, on its port and with its state directory, and waits until it is ready. */
    public synchronized void restart(String service, int replica) {
        String name = instance(service, replica);
        if (processes.get(name).isAlive()) {
            throw new IllegalStateException(name + " still runs");
        }
        launch(name);
        awaitReady(name);
    }

    /** The service's management interface: {@code /q/metrics} (not public: not on {@link #url}). */
    public String managementUrl(String service) {
        return "http://127.0.0.1:" + managementPorts.get(service);
    }

    /** The master key this stack's intake wraps the athletes' data keys with (never in a log). */
    public String personalDataMasterKey() {
        return personalDataMasterKey;
    }

    private static String newMasterKey() {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        return java.util.Base64.getEncoder().encodeToString(key);
    }

    public String kafkaBootstrap() {
        return kafka.bootstrapServers();
    }

    public Path logs() {
        return logs;
    }

    /** kill -9 and start again: what a crash looks like to the rest of the platform. */
    public synchronized void crashAndRestart(String service) {
        kill(service, 1);
        restart(service, 1);
    }

    /** Starts the instance (a service's replica, {@link #instance}) on its port; logs to {@code <name>.log}. */
    private void launch(String name) {
        String service = SERVICES.stream().filter(s -> name.equals(s) || name.startsWith(s + "-")).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(name));
        Path jar = repo.resolve(service).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build the services first (./mvnw verify builds them)");
        }
        String db = Map.of("intake-service", "intake", "load-monitor-service", "loadmonitor", "plan-service", "plan")
                .get(service);
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx320m",
                "-XX:TieredStopAtLevel=1",
                "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
                "-Dquarkus.http.port=" + ports.get(name),
                "-Dquarkus.management.port=" + managementPorts.get(name),
                "-Dkafka.bootstrap.servers=" + (kafkaSasl ? kafka.saslBootstrapServers() : kafka.bootstrapServers()),
                "-Dquarkus.datasource.jdbc.url=" + postgres.jdbcUrl(db),
                "-Dquarkus.datasource.username=" + LocalPostgres.USER,
                "-Dquarkus.datasource.password=" + LocalPostgres.PASSWORD,
                "-Dmp.jwt.verify.publickey.location=" + LocalKeys.publicKeyFile(LocalKeys.defaultDir()),
                "-Dstrideback.outbox.poll-ms=20"));
        if (kafkaSasl) {
            cmd.add("-Dkafka.security.protocol=SASL_PLAINTEXT");
            cmd.add("-Dkafka.sasl.mechanism=SCRAM-SHA-512");
            cmd.add("-Dkafka.sasl.jaas.config=" + kafka.jaasConfig(service));
        }
        // The clinician pages (served by plan-service) read the load monitor from the browser:
        // plan-service tells the page where it is, the load monitor lets that origin in (CORS).
        if ("plan-service".equals(service)) {
            cmd.add("-Dstrideback.web.load-monitor-url=" + url("load-monitor-service"));
            cmd.add("-Dstrideback.web.intake-url=" + url("intake-service"));
            // Issue 16: plan-service opens the personal fields it keeps sealed at intake's open endpoint.
            cmd.add("-Dstrideback.intake.url=" + url("intake-service"));
        } else if ("load-monitor-service".equals(service) || "intake-service".equals(service)) {
            // The runner's page (/me) posts to intake from the browser too.
            cmd.add("-Dquarkus.http.cors.origins=" + url("plan-service") + ",http://localhost:" + ports.get("plan-service"));
            // Each replica its own state (kept across a crash and restart of this stack, never shared with an
            // earlier stack, whose broker is gone, nor with another stack of the same JVM) and its own address for the interactive queries the others
            // forward to it (strideback.load-monitor.streams.*).
            cmd.add("-Dstrideback.load-monitor.streams.state-dir=" + logs.resolveSibling(logs.getFileName() + "-streams-state")
                    .resolve(Long.toString(ProcessHandle.current().pid())).resolve(name));
            cmd.add("-Dstrideback.load-monitor.streams.advertised-host=127.0.0.1");
            cmd.add("-Dstrideback.load-monitor.streams.advertised-port=" + ports.get(name));
        }
        cmd.addAll(List.of("-jar", jar.toString()));
        try {
            ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve(name + ".log").toFile()));
            if ("intake-service".equals(service)) {
                builder.environment().put("STRIDEBACK_PERSONAL_DATA_MASTER_KEY", personalDataMasterKey);
            }
            Process p = builder.start();
            processes.put(name, p);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + name, e);
        }
    }

    /** Waits until the instance ({@link #instance}) answers its readiness check. */
    private void awaitReady(String name) {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            if (!processes.get(name).isAlive()) {
                throw new IllegalStateException(name + " exited; read " + logs.resolve(name + ".log"));
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + ports.get(name) + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        throw new IllegalStateException(name + " not ready after 120 s; read " + logs.resolve(name + ".log"));
    }

    /**
     * SIGTERM, and SIGKILL after 20 s: more than the load monitor's close-timeout (10 s, round 18: killed before it
     * leaves its group, its partitions wait for its session to time out).
     */
    private static void stop(Process p) {
        p.destroy();
        try {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void stopAll() {
        if (processes.isEmpty()) {
            return;
        }
        processes.values().forEach(Process::destroy);
        processes.values().forEach(PlatformStack::stop);
        processes.clear();
        kafka.close();
        postgres.close();
    }
}
