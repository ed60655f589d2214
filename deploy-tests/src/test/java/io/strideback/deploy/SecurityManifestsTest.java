package io.strideback.deploy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.strideback.events.Topic;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.kafka.KafkaAuthorizationSimple;
import io.strimzi.api.kafka.model.kafka.listener.KafkaListenerAuthenticationScramSha512;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserScramSha512ClientAuthentication;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16 items 4 and 5, read from the manifests as a security reviewer would: Kafka takes only
 * authenticated clients (SCRAM-SHA-512; TLS on Kubernetes), each service is a user whose ACLs give
 * every topic exactly one writer and only its readers (the same in compose and on Kubernetes, derived
 * from the code by {@link AccessPlan}), network policies let only the services reach the broker and
 * only Prometheus reach the metrics, and Grafana has a generated admin password and no anonymous
 * viewers.
 */
class SecurityManifestsTest {

    @Test
    void every_topic_has_exactly_one_writer_and_the_plan_covers_every_reader() {
        AccessPlan plan = AccessPlan.expected();
        for (Topic t : Topic.values()) {
            assertThat(plan.grants()).as("writers of %s", t.topicName())
                    .filteredOn(g -> g.operation().equals("WRITE") && g.resource().equals(t.topicName()))
                    .extracting(AccessPlan.Grant::user).containsExactly(t.writer());
        }
        for (String service : Repo.SERVICES) {
            assertThat(ServiceConfig.of(service).consumerGroups()).as("%s's consumer groups carry its name", service)
                    .allMatch(g -> g.startsWith(service));
        }
        // Issue 14: the access plan's name for the load monitor's settings topic is the one its topology reads.
        assertThat(Repo.read("load-monitor-service/src/main/java/io/strideback/loadmonitor/streams/MonitorTopology.java"))
                .contains("SETTINGS_TOPIC = \"" + AccessPlan.LOAD_MONITOR_SETTINGS_TOPIC + "\"");
        assertThat(AccessPlan.streamsApplicationId("load-monitor-service")).isEqualTo("strideback-load-monitor");
    }

    @Test
    void compose_grants_exactly_the_access_plan() {
        assertThat(AccessPlan.fromComposeScript().grants()).containsExactlyInAnyOrderElementsOf(AccessPlan.expected().grants());
    }

    @Test
    void kubernetes_kafka_users_grant_exactly_the_access_plan_and_authenticate_with_scram() {
        List<KafkaUser> users = Manifests.ofKind(Manifests.parse(Repo.path("k8s/base/security/kafka-users.yaml")), KafkaUser.class);
        assertThat(users).extracting(u -> u.getMetadata().getName()).containsExactlyInAnyOrderElementsOf(Repo.SERVICES);
        users.forEach(u -> {
            assertThat(u.getSpec().getAuthentication()).isInstanceOf(KafkaUserScramSha512ClientAuthentication.class);
            assertThat(u.getMetadata().getLabels()).containsEntry("strimzi.io/cluster", "strideback");
        });
        assertThat(AccessPlan.fromKafkaUsers(users).grants()).containsExactlyInAnyOrderElementsOf(AccessPlan.expected().grants());
    }

    @Test
    void the_kubernetes_broker_has_no_listener_without_tls_and_scram_and_only_the_services_reach_it() {
        Kafka kafka = Manifests.ofKind(Manifests.parse(Repo.path("k8s/base/kafka/kafka.yaml")), Kafka.class).get(0);
        assertThat(kafka.getSpec().getKafka().getListeners()).isNotEmpty().allSatisfy(l -> {
            assertThat(l.isTls()).as("listener %s TLS", l.getName()).isTrue();
            assertThat(l.getAuth()).as("listener %s authentication", l.getName())
                    .isInstanceOf(KafkaListenerAuthenticationScramSha512.class);
            assertThat(l.getNetworkPolicyPeers()).as("listener %s network policy peers", l.getName()).singleElement()
                    .satisfies(peer -> assertThat(peer.getPodSelector().getMatchExpressions()).singleElement()
                            .satisfies(e -> assertThat(e.getValues()).containsExactlyInAnyOrderElementsOf(Repo.SERVICES)));
        });
        assertThat(kafka.getSpec().getKafka().getAuthorization()).isInstanceOf(KafkaAuthorizationSimple.class);
        assertThat(kafka.getSpec().getEntityOperator().getUserOperator()).as("the User Operator makes the users").isNotNull();
    }

    @Test
    void each_service_has_a_network_policy_that_lets_only_prometheus_reach_its_metrics() {
        List<NetworkPolicy> policies = Manifests.ofKind(Manifests.parse(Repo.path("k8s/base/security/network-policies.yaml")),
                NetworkPolicy.class);
        for (String service : Repo.SERVICES) {
            NetworkPolicy p = policies.stream().filter(x -> x.getMetadata().getName().equals(service)).findFirst()
                    .orElseThrow(() -> new AssertionError("no NetworkPolicy for " + service));
            assertThat(p.getSpec().getPodSelector().getMatchLabels()).containsEntry("app.kubernetes.io/name", service);
            assertThat(p.getSpec().getPolicyTypes()).contains("Ingress");
            var management = p.getSpec().getIngress().stream()
                    .filter(r -> r.getPorts().stream().anyMatch(port -> "management".equals(port.getPort().getStrVal())))
                    .toList();
            assertThat(management).singleElement().satisfies(r -> {
                assertThat(r.getFrom()).as("%s: who reaches the metrics", service).isNotEmpty();
                assertThat(r.getFrom()).allSatisfy(peer -> assertThat(peer.getNamespaceSelector()).isNotNull());
            });
            assertThat(p.getSpec().getIngress()).as("%s: the other rules open only the API port", service)
                    .filteredOn(r -> !management.contains(r))
                    .allSatisfy(r -> assertThat(r.getPorts()).allSatisfy(port -> assertThat(port.getPort().getStrVal()).isEqualTo("http")));
            if (AccessPlan.streamsApplicationId(service) != null) {
                // Issue 14: the load monitor's pods forward interactive queries to each other on the API port.
                assertThat(p.getSpec().getIngress()).as("%s: its own pods reach each other's API port", service)
                        .anySatisfy(r -> {
                            assertThat(r.getPorts()).anySatisfy(port -> assertThat(port.getPort().getStrVal()).isEqualTo("http"));
                            assertThat(r.getFrom() == null || r.getFrom().isEmpty() || r.getFrom().stream().anyMatch(peer ->
                                    peer.getNamespaceSelector() == null && peer.getPodSelector() != null
                                            && service.equals(peer.getPodSelector().getMatchLabels().get("app.kubernetes.io/name"))))
                                    .isTrue();
                        });
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s/overlays/dev", "k8s/overlays/prod"})
    void each_rendered_service_authenticates_to_kafka_as_its_own_user_over_tls(String overlay) {
        Assumptions.assumeTrue(Manifests.kubectlAvailable(), "kubectl is not on the PATH: rendering skipped");
        var rendered = Manifests.parse(Manifests.render(overlay), overlay + " (rendered)");
        Map<String, String> shared = Manifests.ofKind(rendered, ConfigMap.class).stream()
                .filter(c -> c.getMetadata().getName().startsWith("strideback-config")).findFirst().orElseThrow().getData();
        assertThat(shared).containsEntry("KAFKA_SECURITY_PROTOCOL", "SASL_SSL").containsEntry("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512")
                .containsEntry("KAFKA_SSL_TRUSTSTORE_TYPE", "PEM");
        String caDir = shared.get("KAFKA_SSL_TRUSTSTORE_LOCATION").substring(0, shared.get("KAFKA_SSL_TRUSTSTORE_LOCATION").lastIndexOf('/'));
        for (String service : Repo.SERVICES) {
            var template = Manifests.podTemplate(rendered, service);
            Container c = template.getSpec().getContainers().get(0);
            var jaas = c.getEnv().stream().filter(e -> e.getName().equals("KAFKA_SASL_JAAS_CONFIG")).findFirst()
                    .orElseThrow(() -> new AssertionError(service + " has no Kafka credentials"));
            assertThat(jaas.getValueFrom().getSecretKeyRef().getName()).as("%s: its own KafkaUser's Secret", service).isEqualTo(service);
            assertThat(jaas.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("sasl.jaas.config");
            String volume = c.getVolumeMounts().stream().filter(m -> m.getMountPath().equals(caDir)).findFirst()
                    .orElseThrow(() -> new AssertionError(service + " mounts no cluster CA at " + caDir)).getName();
            assertThat(template.getSpec().getVolumes()).filteredOn(v -> v.getName().equals(volume)).singleElement()
                    .satisfies(v -> assertThat(v.getSecret().getSecretName()).isEqualTo("strideback-cluster-ca-cert"));
            assertThat(c.getPorts()).anySatisfy(p -> {
                assertThat(p.getName()).isEqualTo("management");
                assertThat(p.getContainerPort()).isEqualTo(ServiceConfig.of(service).managementPort());
            });
        }
    }

    @Test
    void compose_kafka_has_no_unauthenticated_listener_reachable_from_another_container() {
        ComposeFile.Service kafka = ComposeFile.load().services().get("kafka");
        Map<String, String> env = kafka.environment();
        Map<String, String> protocols = List.of(env.get("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP").split(",")).stream()
                .map(x -> x.split(":")).collect(Collectors.toMap(x -> x[0], x -> x[1]));
        for (String listener : env.get("KAFKA_LISTENERS").split(",")) {
            String name = listener.substring(0, listener.indexOf(':'));
            String host = listener.substring(listener.indexOf("//") + 2, listener.lastIndexOf(':'));
            if (!protocols.get(name).startsWith("SASL")) {
                assertThat(host).as("listener %s (%s) is bound to the broker's loopback", name, protocols.get(name))
                        .isEqualTo("127.0.0.1");
            }
        }
        assertThat(env.get("KAFKA_SASL_ENABLED_MECHANISMS")).isEqualTo("SCRAM-SHA-512");
        assertThat(env.get("KAFKA_AUTHORIZER_CLASS_NAME")).endsWith("StandardAuthorizer");
        assertThat(env.get("KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND")).isEqualTo("false");
        assertThat(kafka.ports()).allMatch(p -> p.startsWith("127.0.0.1:"));
        ComposeFile.Service init = ComposeFile.load().services().get("kafka-init");
        assertThat(init.network_mode()).as("kafka-init reaches the loopback listener from inside").isEqualTo("service:kafka");
    }

    /** Issue 16 item 3: the master key wrapping the athletes' data keys is a generated secret, never a default. */
    @Test
    void intakes_personal_data_master_key_comes_from_a_secret_in_compose_and_on_kubernetes() {
        Map<String, String> env = ComposeFile.load().services().get("intake-service").environment();
        assertThat(env.get("STRIDEBACK_PERSONAL_DATA_MASTER_KEY")).as("no default: compose/secrets.sh generates it")
                .matches("\\$\\{STRIDEBACK_PERSONAL_DATA_MASTER_KEY:\\?[^}]*}");
        assertThat(Repo.read("compose/secrets.sh")).contains("STRIDEBACK_PERSONAL_DATA_MASTER_KEY=$(head -c 32 /dev/urandom | base64)");

        var deployment = Manifests.ofKind(Manifests.parse(Repo.path("k8s/base/services/intake-service.yaml")),
                io.fabric8.kubernetes.api.model.apps.Deployment.class).get(0);
        Container intake = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(intake.getEnv()).filteredOn(e -> e.getName().equals("STRIDEBACK_PERSONAL_DATA_MASTER_KEY"))
                .singleElement().satisfies(e -> {
                    assertThat(e.getValue()).as("never a literal").isNull();
                    assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("intake-service-personal-data");
                    assertThat(e.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("master-key");
                });
        assertThat(Repo.read("k8s/overlays/prod/kustomization.yaml")).as("prod generates no secret")
                .doesNotContain("master-key=").contains("intake-service-personal-data");
        assertThat(Repo.read("intake-service/src/main/resources/application.properties"))
                .as("only dev and tests have a fixed master key")
                .doesNotContainPattern("(?m)^strideback\\.personal-data\\.master-key=")
                .doesNotContainPattern("(?m)^%prod\\.strideback\\.personal-data\\.master-key=");
    }

    @Test
    void grafana_has_a_generated_admin_password_and_no_anonymous_access() {
        Map<String, String> env = ComposeFile.load().services().get("grafana").environment();
        assertThat(env.get("GF_SECURITY_ADMIN_PASSWORD")).as("no default: compose/secrets.sh generates it")
                .matches("\\$\\{GRAFANA_ADMIN_PASSWORD:\\?[^}]*}");
        assertThat(env.get("GF_AUTH_ANONYMOUS_ENABLED")).isEqualTo("false");
        assertThat(env).doesNotContainKey("GF_AUTH_ANONYMOUS_ORG_ROLE");
        assertThat(Repo.read("compose/secrets.sh")).contains("GRAFANA_ADMIN_PASSWORD", "KAFKA_PASSWORD_INTAKE",
                "KAFKA_PASSWORD_LOAD_MONITOR", "KAFKA_PASSWORD_PLAN", "/dev/urandom");
        assertThat(Repo.read(".gitignore")).contains(".env");
    }
}
