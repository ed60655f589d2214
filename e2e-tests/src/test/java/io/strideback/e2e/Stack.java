package io.strideback.e2e;

import io.strideback.testing.FreePorts;
import io.strideback.testing.LocalKafka;
import io.strideback.testing.LocalKeys;
import io.strideback.testing.LocalPostgres;
import io.strideback.tools.ApiClient;

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

/**
 * The whole platform for black-box tests, started once per test JVM: a real KRaft broker and a
 * real PostgreSQL in this JVM, and the three packaged services (target/quarkus-app) as their own
 * processes, driven only through HTTP like a client.
 */
public final class Stack {

    public static final List<String> SERVICES = List.of("intake-service", "load-monitor-service", "plan-service");

    private static Stack instance;

    private final Path repo;
    private final Path logs;
    private final LocalKafka kafka;
    private final LocalPostgres postgres;
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private final Map<String, Process> processes = new LinkedHashMap<>();

    private Stack() {
        repo = Path.of(System.getProperty("strideback.repo", "..")).toAbsolutePath().normalize();
        logs = repo.resolve("e2e-tests/target/e2e-logs");
        kafka = LocalKafka.start(0, null);
        postgres = LocalPostgres.start(0, null);
        LocalKeys.loadOrCreate(LocalKeys.defaultDir());
        for (String s : SERVICES) {
            ports.put(s, FreePorts.next());
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

    public static synchronized Stack get() {
        if (instance == null) {
            instance = new Stack();
        }
        return instance;
    }

    public String url(String service) {
        return "http://127.0.0.1:" + ports.get(service);
    }

    public String kafkaBootstrap() {
        return kafka.bootstrapServers();
    }

    public ApiClient client(String clinicId, String role) {
        return ApiClient.forClinic(url("intake-service"), url("load-monitor-service"), url("plan-service"), clinicId, role);
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
                "-Dkafka.bootstrap.servers=" + kafka.bootstrapServers(),
                "-Dquarkus.datasource.jdbc.url=" + postgres.jdbcUrl(db),
                "-Dquarkus.datasource.username=" + LocalPostgres.USER,
                "-Dquarkus.datasource.password=" + LocalPostgres.PASSWORD,
                "-Dmp.jwt.verify.publickey.location=" + LocalKeys.publicKeyFile(LocalKeys.defaultDir()),
                "-Dstrideback.outbox.poll-ms=20",
                "-jar", jar.toString()));
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

    private void stopAll() {
        processes.values().forEach(Process::destroy);
        for (Process p : processes.values()) {
            try {
                if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        kafka.close();
        postgres.close();
    }
}
