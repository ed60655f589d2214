package io.strideback.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.strideback.deploy.Manifests.Resource;
import io.strideback.events.Topic;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.kafka.JbodStorage;
import io.strimzi.api.kafka.model.kafka.PersistentClaimStorage;
import io.strimzi.api.kafka.model.kafka.listener.GenericKafkaListener;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.nodepool.ProcessRoles;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * k8s/: every manifest parsed with the Kubernetes, Prometheus Operator and Strimzi schemas, and
 * checked against the services' configuration and the events module for what would break a
 * deploy. The checks run on the base files, and on each overlay as `kubectl kustomize` renders it
 * when kubectl is on the PATH (the documented render command).
 */
class KubernetesManifestsTest {

    @Test
    void every_manifest_and_patch_under_k8s_fits_its_schema() {
        List<Path> files = Repo.files("k8s", ".yaml", ".yml");
        int parsed = 0;
        for (Path f : files) {
            if (f.getFileName().toString().equals("kustomization.yaml")) {
                continue;
            }
            parsed += Manifests.parse(f).size();
        }
        assertThat(parsed).isGreaterThan(20);
    }

    @Test
    void kustomizations_reference_what_exists() {
        for (String dir : List.of("k8s/base", "k8s/overlays/dev", "k8s/overlays/prod", "monitoring")) {
            Path root = Repo.path(dir);
            JsonNode k = Manifests.kustomization(root);
            for (JsonNode r : k.path("resources")) {
                Path p = root.resolve(r.asText()).normalize();
                assertThat(p).as("%s resource %s", dir, r.asText()).exists();
                if (Files.isDirectory(p)) {
                    assertThat(p.resolve("kustomization.yaml")).exists();
                }
            }
            for (JsonNode patch : k.path("patches")) {
                if (patch.has("path")) {
                    assertThat(root.resolve(patch.path("path").asText())).exists();
                }
            }
            for (JsonNode gen : k.path("configMapGenerator")) {
                for (JsonNode file : gen.path("files")) {
                    String source = file.asText().contains("=") ? file.asText().split("=", 2)[1] : file.asText();
                    assertThat(root.resolve(source)).as("%s generator file", dir).exists();
                }
            }
        }
    }

    @Test
    void the_base_is_deployable() {
        checkDeployable(Manifests.base(), "base", false);
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s/overlays/dev", "k8s/overlays/prod"})
    void each_overlay_renders_to_deployable_manifests(String overlay) {
        Assumptions.assumeTrue(Manifests.kubectlAvailable(), "kubectl is not on the PATH: rendering skipped");
        List<Resource> rendered = Manifests.parse(Manifests.render(overlay), overlay + " (rendered)");
        checkDeployable(rendered, overlay, true);
        String namespace = Manifests.kustomization(Repo.path(overlay)).path("namespace").asText();
        for (Resource r : rendered) {
            if (!(r.object() instanceof Namespace)) {
                assertThat(r.object().getMetadata().getNamespace()).as("%s namespace", r).isEqualTo(namespace);
            }
        }
        List<Secret> secrets = Manifests.ofKind(rendered, Secret.class);
        Set<String> referenced = referencedSecrets(rendered);
        if (overlay.endsWith("prod")) {
            assertThat(secrets).as("prod renders no Secret: they are created outside git").isEmpty();
            String readme = Repo.read("README.md");
            referenced.forEach(s -> assertThat(readme).as("README says how to create (or where Strimzi makes) Secret %s", s)
                    .contains(s));
        } else {
            Set<String> names = new HashSet<>();
            secrets.forEach(s -> names.add(s.getMetadata().getName()));
            // Strimzi makes the KafkaUsers' Secrets and the cluster CA's (issue 16).
            Set<String> byStrimzi = new HashSet<>(Repo.SERVICES);
            byStrimzi.add("strideback-cluster-ca-cert");
            referenced.stream().filter(s -> !s.equals("strideback-jwt") && !byStrimzi.contains(s))
                    .forEach(s -> assertThat(names).as("dev generates Secret %s", s).contains(s));
            secrets.forEach(s -> assertThat(s.getData().values().toString() + s.getStringData())
                    .as("dev secrets are placeholders").doesNotContainIgnoringCase("BEGIN PRIVATE KEY"));
        }
    }

    @Test
    void no_secret_with_values_is_committed() {
        for (Path f : Repo.files("k8s", ".yaml", ".yml")) {
            if (f.getFileName().toString().equals("kustomization.yaml")) {
                continue;
            }
            for (Resource r : Manifests.parse(f)) {
                assertThat(r.object()).as("%s: Secrets are referenced, never committed", r).isNotInstanceOf(Secret.class);
            }
        }
        JsonNode prod = Manifests.kustomization(Repo.path("k8s/overlays/prod"));
        assertThat(prod.has("secretGenerator")).as("prod generates no Secret").isFalse();
    }

    @Test
    void the_prometheus_rule_carries_the_alerts_of_monitoring() throws Exception {
        PrometheusRule rule = Manifests.named(Manifests.base(), PrometheusRule.class, "strideback");
        JsonNode fromK8s = Repo.JSON.valueToTree(rule.getSpec().getGroups());
        JsonNode fromFile = Repo.yaml("monitoring/prometheus/alerts.yml").path("groups");
        assertThat(Repo.JSON.readTree(fromK8s.toString()).toString()).isEqualTo(normalise(fromFile).toString());
    }

    private static JsonNode normalise(JsonNode node) {
        // fabric8 writes "for" and every field it knows; compare through the same model.
        try {
            PrometheusRule probe = Manifests.SERIALIZATION.unmarshal(
                    "{\"apiVersion\":\"monitoring.coreos.com/v1\",\"kind\":\"PrometheusRule\",\"metadata\":{\"name\":\"x\"},"
                            + "\"spec\":{\"groups\":" + node + "}}", PrometheusRule.class);
            return Repo.JSON.valueToTree(probe.getSpec().getGroups());
        } catch (RuntimeException e) {
            throw new AssertionError("monitoring/prometheus/alerts.yml does not fit the PrometheusRule schema", e);
        }
    }

    @Test
    void the_base_load_monitor_keeps_its_state_per_pod_and_scales_by_partitions() {
        checkLoadMonitorState(Manifests.base(), "base");
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s/overlays/dev", "k8s/overlays/prod"})
    void each_overlays_load_monitor_keeps_its_state_per_pod_and_scales_by_partitions(String overlay) {
        Assumptions.assumeTrue(Manifests.kubectlAvailable(), "kubectl is not on the PATH: rendering skipped");
        checkLoadMonitorState(Manifests.parse(Manifests.render(overlay), overlay + " (rendered)"), overlay);
    }

    /**
     * Issue 14: the load monitor on Kafka Streams as a StatefulSet. Its state directory is a volume
     * of its own per pod (volumeClaimTemplates), it advertises its stable per-pod name in a headless
     * Service for interactive queries, its changelog and settings topics are KafkaTopics
     * co-partitioned with the activity topic, the HPA stays at or below that partition count, and a
     * PodDisruptionBudget keeps one pod up.
     */
    private static void checkLoadMonitorState(List<Resource> resources, String where) {
        String name = "load-monitor-service";
        assertThat(Manifests.ofKind(resources, Deployment.class)).as(where + ": the load monitor is no Deployment")
                .noneMatch(d -> d.getMetadata().getName().equals(name));
        StatefulSet set = Manifests.named(resources, StatefulSet.class, name);
        Map<String, String> podLabels = set.getSpec().getTemplate().getMetadata().getLabels();
        Container c = set.getSpec().getTemplate().getSpec().getContainers().get(0);
        Map<String, EnvVar> env = new java.util.HashMap<>();
        c.getEnv().forEach(e -> env.put(e.getName(), e));

        // Round 18: on SIGTERM the pod commits, closes its tasks and leaves the group within its close-timeout; the
        // kubelet's SIGKILL must come later, or its partitions wait for its session to time out (45 s).
        java.time.Duration close = java.time.Duration.parse(
                ServiceConfig.of(name).get("strideback.load-monitor.streams.close-timeout"));
        assertThat(set.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
                .as(where + ": terminationGracePeriodSeconds against the close-timeout and the rest of the shutdown")
                .isGreaterThanOrEqualTo(close.plusSeconds(10).toSeconds());
        assertThat(env).as(where + ": the close-timeout is the service's own").doesNotContainKey(
                ServiceConfig.envName("strideback.load-monitor.streams.close-timeout"));

        // The state directory is on the pod's own claim, not on the container's (read-only) root or an emptyDir.
        EnvVar stateDir = env.get(LoadMonitorState.STATE_DIR_ENV);
        assertThat(stateDir).as(where + ": " + LoadMonitorState.STATE_DIR_ENV).isNotNull();
        String claim = c.getVolumeMounts().stream().filter(m -> stateDir.getValue().startsWith(m.getMountPath()))
                .findFirst().orElseThrow(() -> new AssertionError(where + ": nothing is mounted at " + stateDir.getValue()))
                .getName();
        assertThat(set.getSpec().getVolumeClaimTemplates()).as(where + ": the state volume is a claim per pod")
                .anySatisfy(t -> {
                    assertThat(t.getMetadata().getName()).isEqualTo(claim);
                    assertThat(t.getSpec().getResources().getRequests()).containsKey("storage");
                });
        assertThat(set.getSpec().getTemplate().getSpec().getVolumes()).as(where + ": no pod volume hides the claim")
                .noneMatch(v -> v.getName().equals(claim));

        // Each pod advertises <pod>.<headless service>: what the others forward interactive queries to.
        Service headless = Manifests.named(resources, Service.class, set.getSpec().getServiceName());
        assertThat(headless.getSpec().getClusterIP()).as(where + ": the StatefulSet's Service is headless").isEqualTo("None");
        assertThat(headless.getSpec().getSelector().entrySet()).isSubsetOf(podLabels.entrySet());
        assertThat(headless.getSpec().getPorts()).anyMatch(p -> p.getPort().equals(ServiceConfig.of(name).httpPort()));
        assertThat(env.get("POD_NAME").getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");
        assertThat(env.get(LoadMonitorState.ADVERTISED_HOST_ENV).getValue()).as(where + ": advertised host")
                .startsWith("$(POD_NAME)." + headless.getMetadata().getName() + ".");
        ServiceMonitor monitor = Manifests.ofKind(resources, ServiceMonitor.class).get(0);
        assertThat(monitor.getSpec().getSelector().getMatchExpressions()).as(where + ": metrics scraped once per pod")
                .anySatisfy(e -> {
                    assertThat(e.getOperator()).isEqualTo("DoesNotExist");
                    assertThat(headless.getMetadata().getLabels()).containsKey(e.getKey());
                });

        // The state topics: co-partitioned with what the tasks read, compacted, kept.
        Map<String, TopicPlan> plans = TopicPlan.fromKafkaTopics(Manifests.ofKind(resources, KafkaTopic.class));
        int partitions = plans.get(Topic.ATHLETE_ACTIVITY.topicName()).partitions();
        for (KafkaTopic t : Manifests.ofKind(resources, KafkaTopic.class)) {
            if (LoadMonitorState.topics().contains(t.getSpec().getTopicName())) {
                assertThat(t.getSpec().getPartitions()).as("%s: %s partitions", where, t.getSpec().getTopicName())
                        .isEqualTo(partitions);
                assertThat(t.getSpec().getConfig()).as("%s: %s", where, t.getSpec().getTopicName())
                        .containsEntry("cleanup.policy", "compact").containsEntry("retention.ms", -1);
            }
        }
        assertThat(plans.keySet()).containsAll(LoadMonitorState.topics());
        // DOMAIN.md "over the plan": the monitor's task reads an athlete's plan events beside their activity.
        assertThat(plans.get(Topic.PLAN_EVENTS.topicName()).partitions())
                .as("%s: plan events co-partitioned with the activity log", where).isEqualTo(partitions);

        HorizontalPodAutoscaler hpa = Manifests.named(resources, HorizontalPodAutoscaler.class, name);
        assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("StatefulSet");
        assertThat(hpa.getSpec().getMaxReplicas()).as(where + ": no more load monitors than partitions")
                .isLessThanOrEqualTo(partitions);
        assertThat(set.getSpec().getReplicas()).isBetween(hpa.getSpec().getMinReplicas(), hpa.getSpec().getMaxReplicas());
        PodDisruptionBudget pdb = Manifests.named(resources, PodDisruptionBudget.class, name);
        assertThat(pdb.getSpec().getSelector().getMatchLabels().entrySet()).isSubsetOf(podLabels.entrySet());
        assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).as(where + ": one pod at a time").isEqualTo(1);
    }

    /** The load monitor's Kafka Streams names (application.id strideback-load-monitor; issue 14). */
    static final class LoadMonitorState {
        static final String APPLICATION_ID = "strideback-load-monitor";
        static final List<String> STORES = List.of("athletes", "athlete-events", "athletes-to-analyse", "athlete-timers",
                "clinic-settings", "findings-view", "adherence");
        static final String SETTINGS_TOPIC = "strideback.load-monitor-settings.v1";
        static final String STATE_DIR_ENV = "STRIDEBACK_LOAD_MONITOR_STREAMS_STATE_DIR";
        static final String ADVERTISED_HOST_ENV = "STRIDEBACK_LOAD_MONITOR_STREAMS_ADVERTISED_HOST";

        private LoadMonitorState() {
        }

        /** The settings topic and {@code <application.id>-<store>-changelog} of every store. */
        static List<String> topics() {
            List<String> out = new ArrayList<>(List.of(SETTINGS_TOPIC));
            STORES.forEach(s -> out.add(APPLICATION_ID + "-" + s + "-changelog"));
            return out;
        }
    }

    /** What runs a service's pods: a Deployment, or for the load monitor a StatefulSet (issue 14). */
    private record Workload(HasMetadata object, LabelSelector selector, PodTemplateSpec template, List<String> claims) {
        static Workload of(List<Resource> resources, String name, String where) {
            for (Deployment d : Manifests.ofKind(resources, Deployment.class)) {
                if (d.getMetadata().getName().equals(name)) {
                    return new Workload(d, d.getSpec().getSelector(), d.getSpec().getTemplate(), List.of());
                }
            }
            for (StatefulSet s : Manifests.ofKind(resources, StatefulSet.class)) {
                if (s.getMetadata().getName().equals(name)) {
                    return new Workload(s, s.getSpec().getSelector(), s.getSpec().getTemplate(),
                            s.getSpec().getVolumeClaimTemplates().stream().map(t -> t.getMetadata().getName()).toList());
                }
            }
            throw new AssertionError(where + ": no Deployment or StatefulSet " + name);
        }

        /** The pod's volumes and, for a StatefulSet, its per-pod claims. */
        List<String> volumeNames() {
            List<String> out = new ArrayList<>(claims);
            template.getSpec().getVolumes().forEach(v -> out.add(v.getName()));
            return out;
        }
    }

    // ------------------------------------------------------------------------------------------

    /** {@code rendered}: kustomize ran, so generated resources (the dashboard ConfigMap) are there too. */
    private static void checkDeployable(List<Resource> resources, String where, boolean rendered) {
        assertThat(resources).as(where).isNotEmpty();
        assertUniqueNames(resources, where);
        List<ConfigMap> configMaps = Manifests.ofKind(resources, ConfigMap.class);
        Kafka kafka = Manifests.ofKind(resources, Kafka.class).stream().findFirst()
                .orElseThrow(() -> new AssertionError(where + ": no Kafka cluster"));
        List<KafkaTopic> topics = Manifests.ofKind(resources, KafkaTopic.class);

        checkKafka(resources, kafka, where);
        checkTopics(kafka, topics, Manifests.ofKind(resources, KafkaNodePool.class), where);

        for (String name : Repo.SERVICES) {
            ServiceConfig config = ServiceConfig.of(name);
            Workload d = Workload.of(resources, name, where);
            checkDeployment(d, config, configMaps, kafka, where);
            checkService(Manifests.named(resources, Service.class, name), d, config);
            checkDisruptionBudget(Manifests.named(resources, PodDisruptionBudget.class, name), d);
            checkAutoscaler(Manifests.named(resources, HorizontalPodAutoscaler.class, name), d, topics, name);
        }
        // Issue 16 item 3: plan-service opens the personal fields it keeps sealed at intake's Service.
        Service intake = Manifests.named(resources, Service.class, "intake-service");
        assertThat(Workload.of(resources, "plan-service", where).template().getSpec().getContainers().get(0).getEnv()
                .stream().filter(e -> e.getName().equals("STRIDEBACK_INTAKE_URL")).map(EnvVar::getValue).toList())
                .as("%s: plan-service's STRIDEBACK_INTAKE_URL", where)
                .containsExactly("http://" + intake.getMetadata().getName() + ":" + intake.getSpec().getPorts().stream()
                        .filter(p -> "http".equals(p.getName())).findFirst().orElseThrow().getPort());
        checkServiceMonitor(Manifests.ofKind(resources, ServiceMonitor.class), Manifests.ofKind(resources, Service.class),
                rendered);
        assertThat(Manifests.ofKind(resources, PrometheusRule.class)).as(where + ": alert rules").hasSize(1);
        if (!rendered) {
            return;
        }
        ConfigMap dashboard = configMaps.stream()
                .filter(c -> c.getData() != null && c.getData().containsKey("strideback.json")).findFirst()
                .orElseThrow(() -> new AssertionError(where + ": the Grafana dashboard is not deployed"));
        assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
        assertThat(dashboard.getData().get("strideback.json")).isEqualTo(Repo.read("monitoring/grafana/dashboards/strideback.json"));
    }

    private static void assertUniqueNames(List<Resource> resources, String where) {
        Set<String> seen = new HashSet<>();
        for (Resource r : resources) {
            assertThat(seen.add(r.kind() + "/" + r.name())).as("%s: %s declared twice", where, r).isTrue();
        }
    }

    private static void checkKafka(List<Resource> resources, Kafka kafka, String where) {
        List<KafkaNodePool> pools = Manifests.ofKind(resources, KafkaNodePool.class);
        assertThat(pools).as(where + ": node pools").isNotEmpty();
        Set<ProcessRoles> roles = new HashSet<>();
        for (KafkaNodePool pool : pools) {
            assertThat(pool.getMetadata().getLabels()).containsEntry("strimzi.io/cluster", kafka.getMetadata().getName());
            roles.addAll(pool.getSpec().getRoles());
            assertThat(pool.getSpec().getStorage()).isInstanceOf(JbodStorage.class);
            ((JbodStorage) pool.getSpec().getStorage()).getVolumes().forEach(v ->
                    assertThat(v).as(where + ": Kafka data on persistent volumes").isInstanceOf(PersistentClaimStorage.class));
        }
        assertThat(roles).as(where + ": KRaft controllers and brokers").contains(ProcessRoles.CONTROLLER, ProcessRoles.BROKER);
        if (where.equals("base") || where.endsWith("prod")) {
            int brokers = pools.stream().filter(p -> p.getSpec().getRoles().contains(ProcessRoles.BROKER))
                    .mapToInt(p -> p.getSpec().getReplicas()).sum();
            assertThat(brokers).as(where + ": brokers").isEqualTo(3);
            assertThat(kafka.getSpec().getKafka().getConfig()).containsEntry("min.insync.replicas", 2)
                    .containsEntry("default.replication.factor", 3);
        }
        assertThat(kafka.getSpec().getEntityOperator().getTopicOperator())
                .as(where + ": the topic operator applies the KafkaTopics").isNotNull();
    }

    private static void checkTopics(Kafka kafka, List<KafkaTopic> topics, List<KafkaNodePool> pools, String where) {
        Map<String, TopicPlan> plans = TopicPlan.fromKafkaTopics(topics);
        List<String> expected = new ArrayList<>(Topic.allTopicNames());
        expected.addAll(LoadMonitorState.topics());
        expected.add(AccessPlan.LOAD_MONITOR_SETTINGS_DEAD_LETTERS);
        assertThat(plans.keySet()).as(where + ": a KafkaTopic for every topic of the events module and the load monitor's state")
                .containsExactlyInAnyOrderElementsOf(expected);
        int brokers = pools.stream().filter(p -> p.getSpec().getRoles().contains(ProcessRoles.BROKER))
                .mapToInt(p -> p.getSpec().getReplicas()).sum();
        for (KafkaTopic t : topics) {
            assertThat(t.getMetadata().getLabels()).as("%s cluster label", t.getMetadata().getName())
                    .containsEntry("strimzi.io/cluster", kafka.getMetadata().getName());
            assertThat(t.getSpec().getReplicas()).as("%s replicas", t.getMetadata().getName()).isLessThanOrEqualTo(brokers);
            Object minIsr = t.getSpec().getConfig().get("min.insync.replicas");
            assertThat(Integer.parseInt(minIsr.toString())).as("%s min.insync.replicas", t.getMetadata().getName())
                    .isLessThanOrEqualTo(Math.max(1, t.getSpec().getReplicas() - 1));
        }
        assertThat(plans.get(Topic.ATHLETE_ACTIVITY.topicName()).retentionMs())
                .as("the activity log is kept to rebuild state (k8s/base/kafka/topics.yaml says why)").isEqualTo(-1L);
    }

    private static void checkDeployment(Workload d, ServiceConfig config, List<ConfigMap> configMaps, Kafka kafka,
                                        String where) {
        String name = config.service;
        assertThat(d.selector().getMatchLabels().entrySet())
                .as("%s selector matches its pods", name).isSubsetOf(d.template().getMetadata().getLabels().entrySet());
        List<Container> containers = d.template().getSpec().getContainers();
        assertThat(containers).hasSize(1);
        Container c = containers.get(0);
        assertThat(c.getImage()).as("%s image", name).matches("(.+/)?" + config.imageRepository() + ":[A-Za-z0-9._-]+");
        ContainerPort http = c.getPorts().stream().filter(p -> "http".equals(p.getName())).findFirst()
                .orElseThrow(() -> new AssertionError(name + " declares no port named http"));
        assertThat(http.getContainerPort()).as("%s listens on quarkus.http.port", name).isEqualTo(config.httpPort());

        checkProbe(c.getReadinessProbe(), c, config.healthPath("ready"), name + " readiness");
        checkProbe(c.getLivenessProbe(), c, config.healthPath("live"), name + " liveness");
        if (c.getStartupProbe() != null) {
            checkProbe(c.getStartupProbe(), c, config.healthPath("started"), name + " startup");
        }
        assertThat(c.getResources().getRequests()).as("%s requests", name).containsKeys("cpu", "memory");
        assertThat(c.getResources().getLimits()).as("%s limits", name).containsKey("memory");

        Set<String> variables = new HashSet<>();
        for (EnvVar e : c.getEnv()) {
            // A variable only there to be expanded in another's value ($(POD_NAME)) sets no property.
            if (c.getEnv().stream().noneMatch(o -> o.getValue() != null && o.getValue().contains("$(" + e.getName() + ")"))) {
                variables.add(e.getName());
            }
            if (e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null) {
                assertThat(e.getValueFrom().getSecretKeyRef().getName()).isNotBlank();
                assertThat(e.getValueFrom().getSecretKeyRef().getKey()).isNotBlank();
            }
        }
        Map<String, String> shared = new java.util.HashMap<>();
        for (EnvFromSource from : c.getEnvFrom()) {
            assertThat(from.getConfigMapRef()).as("%s envFrom", name).isNotNull();
            ConfigMap cm = configMaps.stream().filter(m -> m.getMetadata().getName().equals(from.getConfigMapRef().getName()))
                    .findFirst().orElseThrow(() -> new AssertionError(name + " reads missing ConfigMap " + from.getConfigMapRef().getName()));
            shared.putAll(cm.getData());
            variables.addAll(cm.getData().keySet());
        }
        variables.forEach(v -> assertThat(config.reads(v))
                .as("%s (%s) sets %s, which names no property of %s/src/main/resources/application.properties",
                        name, where, v, name).isTrue());
        assertThat(variables).contains("KAFKA_BOOTSTRAP_SERVERS", "MP_JWT_VERIFY_PUBLICKEY_LOCATION");
        if (config.hasDatabase()) {
            assertThat(variables).contains("QUARKUS_DATASOURCE_JDBC_URL", "QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD");
        } else {
            // Issue 14: no datasource, so no database address or credentials to leak or keep in sync.
            assertThat(variables).as("%s runs without a database", name).noneMatch(v -> v.startsWith("QUARKUS_DATASOURCE_"));
            assertThat(c.getEnv()).as("%s reads no database Secret", name).noneMatch(e -> e.getValueFrom() != null
                    && e.getValueFrom().getSecretKeyRef() != null && e.getValueFrom().getSecretKeyRef().getName().endsWith("-db"));
        }

        // Issue 16: the services' listener is TLS with SCRAM-SHA-512 (KafkaSecurityTest checks the rest).
        GenericKafkaListener listener = kafka.getSpec().getKafka().getListeners().stream().findFirst().orElseThrow();
        assertThat(shared.get("KAFKA_BOOTSTRAP_SERVERS")).as("the Strimzi bootstrap Service")
                .isEqualTo(kafka.getMetadata().getName() + "-kafka-bootstrap:" + listener.getPort());

        String keyFile = shared.get("MP_JWT_VERIFY_PUBLICKEY_LOCATION");
        String keyDir = keyFile.substring(0, keyFile.lastIndexOf('/'));
        String volumeName = c.getVolumeMounts().stream().filter(m -> m.getMountPath().equals(keyDir)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " mounts nothing at " + keyDir)).getName();
        Volume volume = d.template().getSpec().getVolumes().stream()
                .filter(v -> v.getName().equals(volumeName)).findFirst().orElseThrow();
        assertThat(volume.getSecret()).as("%s public key volume", name).isNotNull();
        assertThat(volume.getSecret().getItems()).anySatisfy(i ->
                assertThat(i.getPath()).isEqualTo(keyFile.substring(keyFile.lastIndexOf('/') + 1)));
        c.getVolumeMounts().forEach(m -> assertThat(d.volumeNames())
                .as("%s mount %s", name, m.getName()).contains(m.getName()));

        var security = d.template().getSpec().getSecurityContext();
        assertThat(security.getRunAsNonRoot()).isTrue();
    }

    private static void checkProbe(Probe probe, Container c, String path, String what) {
        assertThat(probe).as(what).isNotNull();
        HTTPGetAction get = probe.getHttpGet();
        assertThat(get).as(what + " is an HTTP probe").isNotNull();
        assertThat(get.getPath()).as(what + " path").isEqualTo(path);
        Object port = get.getPort().getStrVal() != null ? get.getPort().getStrVal() : get.getPort().getIntVal();
        assertThat(c.getPorts()).as(what + " port " + port + " is a port of the container")
                .anyMatch(p -> Objects.equals(p.getName(), port) || Objects.equals(p.getContainerPort(), port));
    }

    private static void checkService(Service s, Workload d, ServiceConfig config) {
        Map<String, String> podLabels = d.template().getMetadata().getLabels();
        assertThat(s.getSpec().getSelector().entrySet()).as("%s Service selects its pods", config.service)
                .isSubsetOf(podLabels.entrySet());
        // The API port, named http (k8s/base/security adds the management port beside it).
        ServicePort port = s.getSpec().getPorts().stream().filter(p -> "http".equals(p.getName())).findFirst()
                .orElseThrow(() -> new AssertionError(config.service + " Service has no port named http"));
        assertThat(port.getPort()).isEqualTo(config.httpPort());
        assertThat(port.getTargetPort().getStrVal()).isEqualTo("http");
    }

    private static void checkDisruptionBudget(PodDisruptionBudget pdb, Workload d) {
        assertThat(pdb.getSpec().getSelector().getMatchLabels().entrySet())
                .isSubsetOf(d.template().getMetadata().getLabels().entrySet());
        assertThat(pdb.getSpec().getMaxUnavailable() != null || pdb.getSpec().getMinAvailable() != null).isTrue();
    }

    private static void checkAutoscaler(HorizontalPodAutoscaler hpa, Workload d, List<KafkaTopic> topics, String service) {
        assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo(d.object().getKind());
        assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo(d.object().getMetadata().getName());
        assertThat(hpa.getSpec().getMinReplicas()).isLessThanOrEqualTo(hpa.getSpec().getMaxReplicas());
        // Its channels' topics, or (issue 14) its Kafka Streams app's sources: a replica beyond their partitions idles.
        List<String> consumed = new ArrayList<>(TopicPlan.consumedBy(service).stream().map(Topic::topicName).toList());
        consumed.addAll(AccessPlan.STREAMS_SOURCES.getOrDefault(service, List.of()));
        if (!service.equals("intake-service")) {
            assertThat(consumed).as("%s consumes topics (found in its code)", service).isNotEmpty();
        }
        Map<String, TopicPlan> plans = TopicPlan.fromKafkaTopics(topics);
        for (String t : consumed) {
            assertThat(plans).as("%s reads %s, which no KafkaTopic declares", service, t).containsKey(t);
            assertThat(hpa.getSpec().getMaxReplicas())
                    .as("%s scales to no more replicas than %s has partitions", service, t)
                    .isLessThanOrEqualTo(plans.get(t).partitions());
        }
    }

    /** {@code rendered}: the management ports come from k8s/base/security patches, applied only by kustomize. */
    private static void checkServiceMonitor(List<ServiceMonitor> monitors, List<Service> services, boolean rendered) {
        assertThat(monitors).hasSize(1);
        ServiceMonitor m = monitors.get(0);
        Map<String, String> selector = m.getSpec().getSelector().getMatchLabels();
        for (String name : Repo.SERVICES) {
            Service s = services.stream().filter(x -> x.getMetadata().getName().equals(name)).findFirst().orElseThrow();
            assertThat(s.getMetadata().getLabels().entrySet()).as("ServiceMonitor selects %s", name)
                    .containsAll(selector.entrySet());
            m.getSpec().getEndpoints().forEach(e -> {
                assertThat(e.getPort()).as("metrics are scraped on the management port (issue 16)").isEqualTo("management");
                if (rendered) {
                    assertThat(s.getSpec().getPorts()).anySatisfy(p -> {
                        assertThat(p.getName()).isEqualTo(e.getPort());
                        assertThat(p.getPort()).isEqualTo(ServiceConfig.of(name).managementPort());
                    });
                }
                assertThat(e.getPath()).isEqualTo(ServiceConfig.of(name).metricsPath());
            });
        }
    }

    private static Set<String> referencedSecrets(List<Resource> resources) {
        Set<String> out = new HashSet<>();
        for (Deployment d : Manifests.ofKind(resources, Deployment.class)) {
            var spec = d.getSpec().getTemplate().getSpec();
            spec.getVolumes().stream().filter(v -> v.getSecret() != null).forEach(v -> out.add(v.getSecret().getSecretName()));
            Stream.concat(spec.getContainers().stream(), spec.getInitContainers().stream())
                    .flatMap(c -> c.getEnv().stream())
                    .filter(e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null)
                    .forEach(e -> out.add(e.getValueFrom().getSecretKeyRef().getName()));
        }
        for (var s : Manifests.ofKind(resources, io.fabric8.kubernetes.api.model.apps.StatefulSet.class)) {
            s.getSpec().getTemplate().getSpec().getContainers().stream().flatMap(c -> c.getEnv().stream())
                    .filter(e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null)
                    .forEach(e -> out.add(e.getValueFrom().getSecretKeyRef().getName()));
        }
        return out;
    }

    @SuppressWarnings("unused")
    private static List<HasMetadata> objects(List<Resource> resources) {
        List<HasMetadata> out = new ArrayList<>();
        resources.forEach(r -> out.add(r.object()));
        return out;
    }
}
