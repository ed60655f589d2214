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
 */
public final class PlatformStack {

    public static final List<String> SERVICES = List.of("intake-service", "load-monitor-service", "plan-service");

    private static PlatformStack instance;

    private final Path repo;
    private final Path logs;
    private final LocalKafka kafka;
    private final LocalPostgres postgres;
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    /** Each service's management interface (issue 16: /q/metrics is served only there). */
    private final Map<String, Integer> managementPorts = new LinkedHashMap<>();
    private final Map<String, Process> processes = new LinkedHashMap<>();
    /** Issue 16: the services authenticate to the broker with their SCRAM users (SASL_PLAINTEXT). */
    private final boolean kafkaSasl;

    private PlatformStack(Path repo, Path logs, boolean kafkaSasl) {
        this.repo = repo;
        this.logs = logs;
        this.kafkaSasl = kafkaSasl;
        kafka = LocalKafka.start(0, null, kafkaSasl ? 0 : -1);
        postgres = LocalPostgres.start(0, null);
        LocalKeys.loadOrCreate(LocalKeys.defaultDir());
        for (String s : SERVICES) {
            ports.put(s, FreePorts.next());
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
        return "http://127.0.0.1:" + ports.get(service);
    }

    /** The service's management interface: {@code /q/metrics} (not public: not on {@link #url}). */
    public String managementUrl(String service) {
        return "http://127.0.0.1:" + managementPorts.get(service);
    }

    public String kafkaBootstrap() {
        return kafka.bootstrapServers();
    }

    public Path logs() {
        return logs;
    }

    /** kill -9 and start again: what a crash looks like to the rest of the platform. */
    public void crashAndRestart(String service) {
        Process p = processes.get(service);
        p.destroyForcibly();
        try {
            p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        launch(service);
        awaitReady(service);
    }

    private void launch(String service) {
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
                "-Dquarkus.http.port=" + ports.get(service),
                "-Dquarkus.management.port=" + managementPorts.get(service),
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
        } else if ("load-monitor-service".equals(service)) {
            cmd.add("-Dquarkus.http.cors.origins=" + url("plan-service") + ",http://localhost:" + ports.get("plan-service"));
        }
        cmd.addAll(List.of("-jar", jar.toString()));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve(service + ".log").toFile())).start();
            processes.put(service, p);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + service, e);
        }
    }

    private void awaitReady(String service) {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            if (!processes.get(service).isAlive()) {
                throw new IllegalStateException(service + " exited; read " + logs.resolve(service + ".log"));
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url(service) + "/q/health/ready"))
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
        throw new IllegalStateException(service + " not ready after 120 s; read " + logs.resolve(service + ".log"));
    }

    private synchronized void stopAll() {
        if (processes.isEmpty()) {
            return;
        }
        processes.values().forEach(Process::destroy);
        for (Process p : processes.values()) {
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        processes.clear();
        kafka.close();
        postgres.close();
    }
}
