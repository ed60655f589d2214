package io.strideback.support.kafka;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import java.util.List;
import java.util.Map;

/**
 * How every Kafka client a service builds by hand (producers, the revocation reader, intake's log
 * search) authenticates to the broker (issue 16 item 4). The SmallRye channels take the same
 * {@code kafka.*} settings from the configuration by themselves; these clients copy them from there:
 * {@code kafka.security.protocol} (SASL_PLAINTEXT locally, SASL_SSL on Kubernetes),
 * {@code kafka.sasl.mechanism} (SCRAM-SHA-512), {@code kafka.sasl.jaas.config} (from a Secret:
 * KAFKA_SASL_JAAS_CONFIG) and the truststore of the broker's TLS listener. Absent settings leave the
 * client on PLAINTEXT, the local run's default.
 */
public final class KafkaClientSecurity {

    /** The client settings copied, by their Kafka names (each is {@code kafka.<name>} in the configuration). */
    static final List<String> SETTINGS = List.of("security.protocol", "sasl.mechanism", "sasl.jaas.config",
            "ssl.truststore.location", "ssl.truststore.password", "ssl.truststore.type",
            "ssl.endpoint.identification.algorithm");

    private KafkaClientSecurity() {
    }

    /** Adds the configured security settings to {@code clientConfig}; a client outside a service gets none. */
    public static void addTo(Map<String, Object> clientConfig) {
        Config config;
        try {
            config = ConfigProvider.getConfig();
        } catch (RuntimeException | LinkageError noConfiguration) {
            return; // a test's own producer, outside any service
        }
        for (String name : SETTINGS) {
            config.getOptionalValue("kafka." + name, String.class).ifPresent(v -> clientConfig.put(name, v));
        }
    }
}
