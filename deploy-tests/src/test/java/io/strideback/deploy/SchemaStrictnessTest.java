package io.strideback.deploy;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The checks are not a formality: the mistakes a review misses are caught by the schema-aware parse. */
class SchemaStrictnessTest {

    @Test
    void a_misspelt_probe_in_a_deployment_fails() {
        String yaml = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: x}
                spec:
                  selector: {matchLabels: {a: b}}
                  template:
                    metadata: {labels: {a: b}}
                    spec:
                      containers:
                        - name: x
                          image: x:1
                          readinesProbe: {httpGet: {path: /q/health/ready, port: http}}
                """;
        assertThatThrownBy(() -> Manifests.parse(yaml, "test")).hasMessageContaining("readinesProbe");
    }

    @Test
    void a_misspelt_field_in_a_kafka_topic_fails() {
        String yaml = """
                apiVersion: kafka.strimzi.io/v1
                kind: KafkaTopic
                metadata: {name: t, labels: {strimzi.io/cluster: c}}
                spec: {partiton: 12, replicas: 3}
                """;
        assertThatThrownBy(() -> Manifests.parse(yaml, "test")).hasMessageContaining("partiton");
    }

    @Test
    void an_unknown_kind_or_api_version_fails() {
        String yaml = """
                apiVersion: kafka.strimzi.io/v1beta3
                kind: KafkaTopic
                metadata: {name: t}
                spec: {partitions: 1}
                """;
        assertThatThrownBy(() -> Manifests.parse(yaml, "test")).hasMessageContaining("no schema known");
    }

    @Test
    void a_misspelt_key_in_a_service_monitor_fails() {
        String yaml = """
                apiVersion: monitoring.coreos.com/v1
                kind: ServiceMonitor
                metadata: {name: m}
                spec:
                  selector: {matchLabels: {a: b}}
                  endpoints: [{port: http, pth: /q/metrics}]
                """;
        assertThatThrownBy(() -> Manifests.parse(yaml, "test")).hasMessageContaining("pth");
    }

    @Test
    void a_misspelt_compose_key_fails() {
        assertThatThrownBy(() -> new com.fasterxml.jackson.databind.ObjectMapper(
                new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                .readValue("image: x:1\ndepend_on: {kafka: {condition: service_healthy}}\n", ComposeFile.Service.class))
                .hasMessageContaining("depend_on");
    }
}
