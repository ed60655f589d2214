package io.strideback.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.strideback.deploy.ComposeFile.Service;
import io.strideback.events.Topic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** docker-compose.yml, checked for what would break `docker compose up` or leave a service misconfigured. */
class DockerComposeTest {

    private static ComposeFile compose;

    @BeforeAll
    static void load() {
        compose = ComposeFile.load();
    }

    static List<String> services() {
        return Repo.SERVICES;
    }

    private static Service service(String name) {
        Service s = compose.services().get(name);
        assertThat(s).as("compose service %s", name).isNotNull();
        return s;
    }

    @Test
    void it_runs_kafka_postgres_the_three_services_prometheus_and_grafana() {
        assertThat(compose.services()).containsKeys("kafka", "kafka-init", "postgres", "intake-service",
                "load-monitor-service", "plan-service", "prometheus", "grafana");
    }

    @Test
    void every_image_is_pinned_to_a_version() {
        compose.services().forEach((name, s) -> {
            assertThat(s.image()).as("%s image", name).isNotBlank();
            String image = ComposeFile.interpolate(s.image());
            assertThat(image).as("%s image", name).matches("[a-z0-9./_-]+:[A-Za-z0-9._-]+").doesNotEndWith(":latest");
        });
    }

    @Test
    void kafka_is_the_official_image_in_kraft_mode_at_the_clients_version() {
        Service kafka = service("kafka");
        // The broker the tests run (Maven Central jars) and the clients are this version: compose runs the same.
        assertThat(kafka.image()).isEqualTo("apache/kafka:" + AppInfoParser.getVersion());
        assertThat(service("kafka-init").image()).isEqualTo(kafka.image());
        Map<String, String> env = kafka.environment();
        assertThat(env.get("KAFKA_PROCESS_ROLES")).contains("broker").contains("controller");
        assertThat(env.keySet()).noneMatch(k -> k.contains("ZOOKEEPER"));
        // Issue 16: the controller listens on the broker's loopback only.
        assertThat(env.get("KAFKA_CONTROLLER_QUORUM_VOTERS")).isEqualTo(env.get("KAFKA_NODE_ID") + "@127.0.0.1:9093");
        assertThat(Uuid.fromString(env.get("CLUSTER_ID").split("\\s")[0])).as("CLUSTER_ID is a Kafka Uuid").isNotNull();
        assertThat(env.get("KAFKA_ADVERTISED_LISTENERS")).contains("SASL://kafka:9092");
        assertThat(env.get("KAFKA_AUTO_CREATE_TOPICS_ENABLE")).isEqualTo("false");
        assertThat(kafka.healthcheck()).isNotNull();
        assertThat(String.join(" ", kafka.healthcheck().test())).contains("--bootstrap-server 127.0.0.1:9094");
    }

    @Test
    void kafka_init_creates_every_topic_of_the_events_module_as_kubernetes_does() {
        Service init = service("kafka-init");
        assertThat(init.volumes()).anySatisfy(v -> assertThat(v).startsWith("./compose/create-topics.sh:"));
        assertThat(init.depends_on().get("kafka").condition()).isEqualTo("service_healthy");
        Map<String, TopicPlan> created = new java.util.LinkedHashMap<>(TopicPlan.fromComposeScript());
        // the load monitor's own DLQ is checked with its own topics (below)
        created.remove(AccessPlan.LOAD_MONITOR_SETTINGS_DEAD_LETTERS);
        assertThat(created.keySet()).containsExactlyInAnyOrderElementsOf(Topic.allTopicNames());
        Map<String, TopicPlan> k8s = TopicPlan.fromKafkaTopics(
                Manifests.ofKind(Manifests.parse(Repo.path("k8s/base/kafka/topics.yaml")),
                        io.strimzi.api.kafka.model.topic.KafkaTopic.class));
        assertThat(created).as("compose and Kubernetes give each topic the same partitions and retention")
                .isEqualTo(k8s);
    }

    @Test
    void kafka_init_creates_the_load_monitors_own_topics_as_kubernetes_does() {
        // Issue 14: the broker creates no topic (auto-create off), and the Streams app gets no Create ACL: its
        // settings topic and store changelogs exist before it starts, compacted, as in Kubernetes.
        List<io.strimzi.api.kafka.model.topic.KafkaTopic> declared = Manifests.ofKind(
                Manifests.parse(Repo.path("k8s/base/kafka/load-monitor-topics.yaml")), io.strimzi.api.kafka.model.topic.KafkaTopic.class);
        // Round 19: the settings topic's DLQ is declared with them, kept like the contract's DLQs.
        List<io.strimzi.api.kafka.model.topic.KafkaTopic> compacted = declared.stream()
                .filter(t -> !AccessPlan.LOAD_MONITOR_SETTINGS_DEAD_LETTERS.equals(t.getSpec().getTopicName())).toList();
        assertThat(compacted).isNotEmpty().hasSize(declared.size() - 1).allSatisfy(t ->
                assertThat(t.getSpec().getConfig()).containsEntry("cleanup.policy", "compact"));
        assertThat(TopicPlan.compactedFromComposeScript()).isEqualTo(TopicPlan.fromKafkaTopics(compacted));
        assertThat(TopicPlan.fromComposeScript().get(AccessPlan.LOAD_MONITOR_SETTINGS_DEAD_LETTERS))
                .isEqualTo(TopicPlan.fromKafkaTopics(declared).get(AccessPlan.LOAD_MONITOR_SETTINGS_DEAD_LETTERS))
                .isEqualTo(TopicPlan.fromKafkaTopics(Manifests.ofKind(Manifests.parse(Repo.path(
                        "k8s/base/kafka/topics.yaml")), io.strimzi.api.kafka.model.topic.KafkaTopic.class))
                        .get(Topic.PLAN_EVENTS.deadLetterTopicName()));
        assertThat(Repo.read("compose/create-topics.sh")).contains("--config cleanup.policy=compact");
    }

    @Test
    void postgres_creates_each_services_own_database() {
        Service pg = service("postgres");
        assertThat(pg.image()).startsWith("postgres:18");
        assertThat(pg.healthcheck().test()).first().isEqualTo("CMD-SHELL");
        String init = Repo.read("compose/postgres-init.sql");
        for (String s : Repo.SERVICES) {
            if (ServiceConfig.of(s).hasDatabase()) {
                assertThat(init).contains("CREATE DATABASE " + ServiceConfig.of(s).database() + ";");
            }
        }
        // Issue 14: the load monitor keeps its state in Kafka Streams stores; only the services with a datasource get a database.
        assertThat(init.lines().filter(l -> l.startsWith("CREATE DATABASE")).count())
                .isEqualTo(Repo.SERVICES.stream().filter(s -> ServiceConfig.of(s).hasDatabase()).count());
        assertThat(pg.volumes()).anySatisfy(v -> assertThat(v).startsWith("./compose/postgres-init.sql:/docker-entrypoint-initdb.d/"));
    }

    @ParameterizedTest
    @MethodSource("services")
    void each_service_runs_the_image_maven_builds_on_its_own_port_with_settings_it_reads(String name) {
        ServiceConfig config = ServiceConfig.of(name);
        Service s = service(name);
        assertThat(ComposeFile.interpolate(s.image())).isEqualTo(config.imageRepository() + ":" + Repo.version());
        assertThat(s.build().context()).isEqualTo("./" + name);
        assertThat(Repo.path(name).resolve(s.build().dockerfile())).exists();
        int port = config.httpPort();
        assertThat(s.ports()).containsExactly(port + ":" + port);

        Map<String, String> env = s.environment();
        env.keySet().forEach(variable -> assertThat(config.reads(variable))
                .as("%s sets %s, which names no property of %s/src/main/resources/application.properties",
                        name, variable, name).isTrue());
        assertThat(env).containsKeys("KAFKA_BOOTSTRAP_SERVERS", "MP_JWT_VERIFY_PUBLICKEY_LOCATION");
        if (config.hasDatabase()) {
            assertThat(env).containsKeys("QUARKUS_DATASOURCE_JDBC_URL", "QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD");
        } else {
            // Issue 14: the load monitor runs without PostgreSQL.
            assertThat(env.keySet()).as("%s runs without a database", name).noneMatch(v -> v.startsWith("QUARKUS_DATASOURCE_"));
        }
        assertThat(env.get("KAFKA_BOOTSTRAP_SERVERS")).isEqualTo("kafka:9092");
        // Issue 16: the service's own SCRAM user, its password generated into .env (compose/secrets.sh).
        assertThat(env.get("KAFKA_SECURITY_PROTOCOL")).isEqualTo("SASL_PLAINTEXT");
        assertThat(env.get("KAFKA_SASL_MECHANISM")).isEqualTo("SCRAM-SHA-512");
        assertThat(ComposeFile.interpolate(env.get("KAFKA_SASL_JAAS_CONFIG")))
                .startsWith("org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + name + "\"")
                .contains(" from .env>");
        if (config.hasDatabase()) {
            assertThat(env.get("QUARKUS_DATASOURCE_JDBC_URL")).isEqualTo("jdbc:postgresql://postgres:5432/" + config.database());
            assertThat(ComposeFile.interpolate(env.get("QUARKUS_DATASOURCE_PASSWORD")))
                    .isEqualTo(ComposeFile.interpolate(service("postgres").environment().get("POSTGRES_PASSWORD")));
            assertThat(env.get("QUARKUS_DATASOURCE_USERNAME")).isEqualTo(service("postgres").environment().get("POSTGRES_USER"));
        }
        String key = env.get("MP_JWT_VERIFY_PUBLICKEY_LOCATION");
        assertThat(s.volumes()).as("the public key is mounted where the service reads it")
                .anySatisfy(v -> assertThat(ComposeFile.interpolate(v)).endsWith(":" + key + ":ro"));

        assertThat(s.healthcheck().test()).first().isEqualTo("CMD-SHELL");
        assertThat(String.join(" ", s.healthcheck().test()))
                .contains("http://localhost:" + port + config.healthPath("ready"));
        assertThat(s.depends_on().get("kafka-init").condition()).isEqualTo("service_completed_successfully");
        if (config.hasDatabase()) {
            assertThat(s.depends_on().get("postgres").condition()).isEqualTo("service_healthy");
        } else {
            assertThat(s.depends_on()).as("%s waits for no database", name).doesNotContainKey("postgres");
        }
    }

    @Test
    void plan_service_opens_personal_fields_at_intakes_address() {
        // Issue 16 item 3: names and notes rest sealed in plan-service; intake opens them (strideback.intake.url).
        assertThat(service("plan-service").environment().get("STRIDEBACK_INTAKE_URL"))
                .isEqualTo("http://intake-service:" + ServiceConfig.of("intake-service").httpPort());
    }

    @Test
    void depends_on_starts_everything_in_order() {
        Set<String> conditions = Set.of("service_started", "service_healthy", "service_completed_successfully");
        compose.services().forEach((name, s) -> {
            if (s.depends_on() == null) {
                return;
            }
            s.depends_on().forEach((target, dep) -> {
                assertThat(compose.services()).as("%s depends on %s", name, target).containsKey(target);
                assertThat(conditions).as("%s -> %s condition", name, target).contains(dep.condition());
                if (dep.condition().equals("service_healthy")) {
                    assertThat(compose.services().get(target).healthcheck()).as("%s has a health check", target).isNotNull();
                }
                assertThat(compose.services().get(target).profiles()).as("%s is started by default", target).isNull();
            });
        });
        // No cycle: a topological order exists.
        Set<String> done = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(compose.services().keySet());
        int guard = 0;
        while (!todo.isEmpty() && guard++ < 1000) {
            String next = todo.poll();
            Map<String, ComposeFile.Dependency> deps = compose.services().get(next).depends_on();
            if (deps == null || done.containsAll(deps.keySet())) {
                done.add(next);
            } else {
                todo.add(next);
            }
        }
        assertThat(todo).as("services in a depends_on cycle").isEmpty();
    }

    @Test
    void health_checks_durations_restart_policies_and_volumes_are_valid() {
        Pattern duration = Pattern.compile("(\\d+(ms|s|m|h))+");
        compose.services().forEach((name, s) -> {
            if (s.healthcheck() != null) {
                assertThat(s.healthcheck().test()).first().isIn("CMD", "CMD-SHELL");
                for (String d : new String[]{s.healthcheck().interval(), s.healthcheck().timeout(), s.healthcheck().start_period()}) {
                    if (d != null) {
                        assertThat(d).matches(duration);
                    }
                }
            }
            if (s.restart() != null) {
                assertThat(s.restart()).isIn("no", "always", "on-failure", "unless-stopped");
            }
            if (s.ports() != null) {
                // Issue 16: the broker's and Grafana's host ports are published on the loopback only.
                s.ports().forEach(p -> assertThat(p).matches("(127\\.0\\.0\\.1:)?\\d+:\\d+"));
            }
            if (s.volumes() != null) {
                for (String v : s.volumes()) {
                    String source = ComposeFile.interpolate(v).split(":")[0];
                    if (source.startsWith(".")) {
                        Path onDisk = Repo.root().resolve(source).normalize();
                        if (!source.startsWith("./.strideback")) { // made by ./strideback token, never committed
                            assertThat(onDisk).as("%s mounts %s", name, source).exists();
                        }
                    } else {
                        assertThat(compose.volumes()).as("%s uses volume %s", name, source).containsKey(source);
                    }
                }
            }
        });
    }

    /**
     * Round 18: on {@code docker compose stop} the load monitor commits, closes its tasks and leaves its consumer group
     * within its close-timeout; Compose's SIGKILL (default grace 10 s) must come later, or its partitions wait for its
     * session to time out (45 s) while the athletes it held answer 503.
     */
    @Test
    void the_load_monitor_has_time_to_leave_its_group_before_compose_kills_it() {
        java.time.Duration close = java.time.Duration.parse(
                ServiceConfig.of("load-monitor-service").get("strideback.load-monitor.streams.close-timeout"));
        String grace = compose.services().get("load-monitor-service").stop_grace_period();
        assertThat(grace).as("load-monitor-service stop_grace_period").isNotNull().matches("\\d+s");
        assertThat(java.time.Duration.ofSeconds(Long.parseLong(grace.substring(0, grace.length() - 1))))
                .as("stop_grace_period against the close-timeout and the rest of the shutdown")
                .isGreaterThanOrEqualTo(close.plusSeconds(10));
    }

    @Test
    void prometheus_scrapes_every_service_where_it_serves_metrics() {
        Service prometheus = service("prometheus");
        assertThat(prometheus.volumes()).contains("./monitoring/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro",
                "./monitoring/prometheus/alerts.yml:/etc/prometheus/alerts.yml:ro");
        JsonNode config = Repo.yaml("monitoring/prometheus/prometheus.yml");
        assertThat(config.path("rule_files").toString()).contains("/etc/prometheus/alerts.yml");
        for (String name : Repo.SERVICES) {
            ServiceConfig c = ServiceConfig.of(name);
            JsonNode job = null;
            for (JsonNode j : config.path("scrape_configs")) {
                if (j.path("job_name").asText().equals(name)) {
                    job = j;
                }
            }
            assertThat(job).as("scrape job %s", name).isNotNull();
            assertThat(job.path("metrics_path").asText()).isEqualTo(c.metricsPath());
            // Issue 16: metrics on the management port, which compose does not publish.
            assertThat(job.path("static_configs").get(0).path("targets").get(0).asText()).isEqualTo(name + ":" + c.managementPort());
            assertThat(service(name).ports()).noneMatch(p -> p.contains(String.valueOf(c.managementPort())));
        }
    }

    @Test
    void grafana_is_provisioned_with_the_dashboard_and_the_prometheus_datasource() {
        Service grafana = service("grafana");
        assertThat(grafana.volumes()).contains("./monitoring/grafana/provisioning:/etc/grafana/provisioning:ro");
        String dashboardsMount = grafana.volumes().stream().filter(v -> v.startsWith("./monitoring/grafana/dashboards:"))
                .findFirst().orElseThrow().split(":")[1];
        JsonNode provider = Repo.yaml("monitoring/grafana/provisioning/dashboards/strideback.yml").path("providers").get(0);
        assertThat(provider.path("options").path("path").asText()).isEqualTo(dashboardsMount);
        assertThat(Repo.path("monitoring/grafana/dashboards/strideback.json")).exists();
        JsonNode ds = Repo.yaml("monitoring/grafana/provisioning/datasources/prometheus.yml").path("datasources").get(0);
        assertThat(ds.path("type").asText()).isEqualTo("prometheus");
        Matcher url = Pattern.compile("http://([a-z-]+):(\\d+)").matcher(ds.path("url").asText());
        assertThat(url.matches()).isTrue();
        assertThat(compose.services()).containsKey(url.group(1));
        assertThat(service(url.group(1)).ports()).contains(url.group(2) + ":" + url.group(2));
        assertThat(grafana.depends_on()).containsKey("prometheus");
    }

    @Test
    void the_services_own_docker_files_are_what_compose_builds() throws Exception {
        for (String name : Repo.SERVICES) {
            Path dockerfile = Repo.path(name).resolve(service(name).build().dockerfile());
            String text = Files.readString(dockerfile);
            assertThat(text).contains("EXPOSE " + ServiceConfig.of(name).httpPort());
            assertThat(text).contains("COPY --chown=185 target/quarkus-app/lib/ /deployments/lib/");
            assertThat(text).contains("/deployments/quarkus-run.jar");
            assertThat(text).containsPattern("(?m)^USER 185$");
            assertThat(text).as("the compose health check calls curl").contains("install -y --no-install-recommends curl");
            // Quarkus's docker extension builds from this path (quarkus.docker.dockerfile-jvm-path default).
            assertThat(Repo.root().relativize(dockerfile).toString()).isEqualTo(name + "/src/main/docker/Dockerfile.jvm");
        }
    }
}
