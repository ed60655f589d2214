package io.strideback.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Kubernetes manifests read with the schema-aware models a cluster client uses: fabric8's
 * kubernetes-model (the version the Quarkus BOM manages) for core kinds and the Prometheus
 * Operator's, Strimzi's own api module for Kafka, KafkaNodePool and KafkaTopic. Both models keep
 * fields they do not know in {@code additionalProperties} instead of failing; {@link #strict}
 * turns any such field, anywhere in a resource, into a failure: a misspelt {@code readinesProbe}
 * or {@code partiton} would otherwise be silently dropped by the API server or the operator.
 */
final class Manifests {

    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    static {
        // The API version Strimzi 1.x serves (and the only one it accepts).
        SERIALIZATION.registerKubernetesResource("kafka.strimzi.io/v1", "Kafka", Kafka.class);
        SERIALIZATION.registerKubernetesResource("kafka.strimzi.io/v1", "KafkaNodePool", KafkaNodePool.class);
        SERIALIZATION.registerKubernetesResource("kafka.strimzi.io/v1", "KafkaTopic", KafkaTopic.class);
        SERIALIZATION.registerKubernetesResource("kafka.strimzi.io/v1", "KafkaUser",
                io.strimzi.api.kafka.model.user.KafkaUser.class);
    }

    private Manifests() {
    }

    /** A parsed resource and where it came from. */
    record Resource(HasMetadata object, String origin) {
        String kind() {
            return object.getKind();
        }

        String name() {
            return object.getMetadata().getName();
        }

        @Override
        public String toString() {
            return kind() + "/" + name() + " (" + origin + ")";
        }
    }

    /** Every document of a YAML file, typed and strictly checked. */
    static List<Resource> parse(Path file) {
        return parse(Repo.read(file), Repo.root().relativize(file).toString());
    }

    static List<Resource> parse(String yaml, String origin) {
        List<Resource> out = new ArrayList<>();
        for (JsonNode doc : Repo.yamlDocuments(yaml)) {
            String what = origin + " " + doc.path("kind").asText() + "/" + doc.path("metadata").path("name").asText();
            KubernetesResource typed;
            try {
                typed = SERIALIZATION.unmarshal(doc.toString());
            } catch (RuntimeException e) {
                throw new AssertionError(what + " does not fit its schema: " + e.getMessage(), e);
            }
            if (!(typed instanceof HasMetadata resource) || typed instanceof GenericKubernetesResource) {
                throw new AssertionError(what + ": no schema known for " + doc.path("apiVersion").asText() + " "
                        + doc.path("kind").asText() + " (a typo in apiVersion or kind?)");
            }
            List<String> unknown = strict(typed);
            if (!unknown.isEmpty()) {
                throw new AssertionError(what + " has fields its schema does not know: " + unknown);
            }
            out.add(new Resource(resource, origin));
        }
        return out;
    }

    /** The paths of every field a model did not recognise, anywhere in the object graph. */
    static List<String> strict(Object root) {
        List<String> unknown = new ArrayList<>();
        walk(root, "", unknown, java.util.Collections.newSetFromMap(new IdentityHashMap<>()));
        return unknown;
    }

    private static void walk(Object o, String path, List<String> unknown, Set<Object> seen) {
        if (o == null || !seen.add(o)) {
            return;
        }
        if (o instanceof Collection<?> c) {
            int i = 0;
            for (Object item : c) {
                walk(item, path + "[" + i++ + "]", unknown, seen);
            }
            return;
        }
        if (o instanceof Map<?, ?> m) {
            m.forEach((k, v) -> walk(v, path + "." + k, unknown, seen));
            return;
        }
        String pkg = o.getClass().getPackageName();
        if (!pkg.startsWith("io.fabric8.") && !pkg.startsWith("io.strimzi.")) {
            return; // a value (string, number, quantity text): nothing below it
        }
        for (Method m : o.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers()) || !m.getName().startsWith("get")
                    || m.getDeclaringClass() == Object.class || m.getReturnType().isPrimitive()
                    || m.getReturnType().isEnum() || m.getReturnType() == String.class || m.getReturnType() == Class.class) {
                continue;
            }
            Object value;
            try {
                value = m.invoke(o);
            } catch (ReflectiveOperationException | RuntimeException e) {
                continue;
            }
            if (m.getName().equals("getAdditionalProperties") && value instanceof Map<?, ?> extra) {
                extra.keySet().forEach(k -> unknown.add(path + "." + k));
                continue;
            }
            String field = Character.toLowerCase(m.getName().charAt(3)) + m.getName().substring(4);
            walk(value, path + "." + field, unknown, seen);
        }
    }

    /** The base's resources, file by file, as listed by k8s/base/kustomization.yaml (and its bases). */
    static List<Resource> base() {
        return kustomizationResources(Repo.path("k8s/base"));
    }

    private static List<Resource> kustomizationResources(Path dir) {
        JsonNode k = kustomization(dir);
        List<Resource> out = new ArrayList<>();
        for (JsonNode r : k.path("resources")) {
            Path p = dir.resolve(r.asText()).normalize();
            if (Files.isDirectory(p)) {
                out.addAll(kustomizationResources(p));
            } else {
                out.addAll(parse(p));
            }
        }
        return out;
    }

    static JsonNode kustomization(Path dir) {
        Path file = dir.resolve("kustomization.yaml");
        if (!Files.exists(file)) {
            throw new AssertionError(dir + " has no kustomization.yaml");
        }
        return Repo.yaml(Repo.root().relativize(file).toString());
    }

    /** kubectl on the PATH (its built-in kustomize renders overlays exactly as a deploy would). */
    static boolean kubectlAvailable() {
        try {
            Process p = new ProcessBuilder("kubectl", "version", "--client").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** {@code kubectl kustomize <dir>}: the documented render command. */
    static String render(String overlay) {
        try {
            Process p = new ProcessBuilder("kubectl", "kustomize", Repo.path(overlay).toString()).start();
            byte[] out = p.getInputStream().readAllBytes();
            byte[] err = p.getErrorStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError("kubectl kustomize " + overlay + " failed: " + new String(err));
            }
            return new String(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static <T extends HasMetadata> List<T> ofKind(List<Resource> resources, Class<T> type) {
        return resources.stream().map(Resource::object).filter(type::isInstance).map(r -> (T) r).toList();
    }

    /** The pod template of a service's Deployment, or of its StatefulSet (the load monitor, issue 14). */
    static io.fabric8.kubernetes.api.model.PodTemplateSpec podTemplate(List<Resource> resources, String name) {
        return ofKind(resources, io.fabric8.kubernetes.api.model.apps.Deployment.class).stream()
                .filter(d -> d.getMetadata().getName().equals(name)).map(d -> d.getSpec().getTemplate()).findFirst()
                .or(() -> ofKind(resources, io.fabric8.kubernetes.api.model.apps.StatefulSet.class).stream()
                        .filter(d -> d.getMetadata().getName().equals(name)).map(d -> d.getSpec().getTemplate()).findFirst())
                .orElseThrow(() -> new AssertionError("no Deployment or StatefulSet " + name));
    }

    static <T extends HasMetadata> T named(List<Resource> resources, Class<T> type, String name) {
        return ofKind(resources, type).stream().filter(r -> r.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
    }
}
