package io.strideback.e2e;

import io.strideback.events.Topic;
import io.strideback.testing.PlatformStack;
import io.strideback.tools.ApiClient;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 16 item 4: the three services run against a broker that takes them only through SASL/SCRAM
 * (SCRAM-SHA-512 users with ACLs, as compose and Strimzi set them up), and the whole loop works:
 * enrolment through intake, the plan made by plan-service, a symptom analysed by the load monitor. A
 * client without credentials, with a wrong password, or with a service's credentials on a topic that
 * service does not write is refused; no password reaches a log.
 */
class KafkaSaslIT {

    private static PlatformStack stack;

    @BeforeAll
    static void start() {
        stack = PlatformStack.startWithKafkaSasl("e2e-tests/target/e2e-sasl-logs");
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void the_services_work_through_their_scram_users() {
        String clinic = "clinic-" + UUID.randomUUID();
        ApiClient clinician = ApiClient.forClinic(stack.url("intake-service"), stack.url("load-monitor-service"),
                stack.url("plan-service"), clinic, "clinician");
        ApiClient.Answer enrolled = clinician.postIntake("/api/v1/athletes", Map.of(
                "displayName", "Sasl runner", "diagnosis", "CALF_STRAIN_GASTROCNEMIUS", "side", "RIGHT",
                "injuryDate", "2026-10-01", "symptomFreeRunKm", 3.0));
        assertThat(enrolled.status()).as("intake wrote the enrolment as intake-service").isEqualTo(201);
        String athleteId = enrolled.body().get("athleteId").asText();
        await().atMost(Duration.ofSeconds(60)).until(
                () -> clinician.getPlan("/api/v1/athletes/" + athleteId + "/plan").status(), s -> s == 200);

        assertThat(clinician.postIntake("/api/v1/athletes/" + athleteId + "/symptoms", Map.of(
                "observedAt", Instant.now().minusSeconds(3600).toString(), "pain", 3, "side", "RIGHT",
                "location", "MID_CALF", "character", List.of("ACHE"), "context", "AT_REST",
                "redFlags", List.of("SWELLING"))).status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).until(
                () -> clinician.getPlan("/api/v1/athletes/" + athleteId + "/plan").body(),
                p -> p.path("flags").path("urgentReferral").asBoolean());
    }

    @Test
    void a_client_without_credentials_or_with_a_wrong_password_is_refused() {
        Map<String, Object> anonymous = producerConfig();
        assertThat(refusedToWrite(anonymous, Topic.PLAN_ADJUSTMENTS.topicName())).as("no credentials").isTrue();

        Map<String, Object> wrong = producerConfig();
        wrong.put("security.protocol", "SASL_PLAINTEXT");
        wrong.put("sasl.mechanism", "SCRAM-SHA-512");
        wrong.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required"
                + " username=\"intake-service\" password=\"guessed\";");
        assertThat(failure(() -> send(wrong, Topic.ATHLETE_ACTIVITY.topicName())))
                .as("a wrong password").isInstanceOf(org.apache.kafka.common.errors.SaslAuthenticationException.class);
    }

    @Test
    void a_services_credentials_write_only_the_topics_it_owns() throws Exception {
        Map<String, Object> intake = producerConfig();
        intake.put("security.protocol", "SASL_PLAINTEXT");
        intake.put("sasl.mechanism", "SCRAM-SHA-512");
        intake.put("sasl.jaas.config", stack.kafka().jaasConfig("intake-service"));
        assertThat(failure(() -> send(intake, Topic.PLAN_ADJUSTMENTS.topicName())))
                .as("intake may not forge a proposal")
                .isInstanceOf(org.apache.kafka.common.errors.TopicAuthorizationException.class);
    }

    @Test
    void no_scram_password_is_in_the_logs() throws Exception {
        Path logs = PlatformStack.repo().resolve("e2e-tests/target/e2e-sasl-logs");
        List<String> passwords = Stream.of("intake-service", "load-monitor-service", "plan-service")
                .map(s -> stack.kafka().jaasConfig(s).replaceAll(".*password=\"([^\"]+)\".*", "$1")).toList();
        try (Stream<Path> files = Files.list(logs)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String text = Files.readString(f);
                for (String p : passwords) {
                    assertThat(text).as("%s holds a SCRAM password", f.getFileName()).doesNotContain(p);
                }
            }
        }
    }

    interface Attempt {
        void run() throws Exception;
    }

    /** The Kafka error behind a failed attempt (the client wraps it in an ExecutionException, or not). */
    private static Throwable failure(Attempt attempt) {
        try {
            attempt.run();
        } catch (Exception e) {
            Throwable t = e;
            while (t instanceof ExecutionException || (t.getCause() != null
                    && !(t instanceof org.apache.kafka.common.errors.ApiException))) {
                t = t.getCause();
            }
            return t;
        }
        throw new AssertionError("the attempt succeeded");
    }

    private Map<String, Object> producerConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().saslBootstrapServers());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 5000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 4000);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        return config;
    }

    /** True when nothing was written: an unauthenticated client on a SASL listener never gets metadata. */
    private static boolean refusedToWrite(Map<String, Object> config, String topic) {
        try {
            send(config, topic);
            return false;
        } catch (Exception refused) {
            return true;
        }
    }

    private static void send(Map<String, Object> config, String topic) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            producer.send(new ProducerRecord<>(topic, "forged/forged", "{}")).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e;
        }
    }
}
