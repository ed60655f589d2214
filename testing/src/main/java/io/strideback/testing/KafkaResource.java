package io.strideback.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * A real Kafka broker for {@code @QuarkusTest}s. Started once per test JVM and shared by every
 * test profile (a boot costs seconds on two cores); set {@code KAFKA_BOOTSTRAP_SERVERS} to use an
 * external broker instead.
 */
public class KafkaResource implements QuarkusTestResourceLifecycleManager {

    private static LocalKafka broker;

    public static synchronized String bootstrapServers() {
        String external = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
        if (external != null && !external.isBlank()) {
            return external;
        }
        if (broker == null) {
            broker = LocalKafka.start(0, null);
            Runtime.getRuntime().addShutdownHook(new Thread(broker::close));
        }
        return broker.bootstrapServers();
    }

    @Override
    public Map<String, String> start() {
        return Map.of("kafka.bootstrap.servers", bootstrapServers());
    }

    @Override
    public void stop() {
        // Kept for the next profile in this JVM; closed by the shutdown hook.
    }
}
