package io.strideback.support.tracing;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The connector's CONSUMER spans are on exactly when tracing is on, unless a service says otherwise (issue 15). */
class ConsumerSpansFollowTracingTest {

    private static SmallRyeConfig config(Map<String, String> properties) {
        return new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(properties, "test", 100))
                .addDefaultInterceptors()
                .withInterceptors(new ConsumerSpansFollowTracing())
                .build();
    }

    private static boolean consumerSpans(SmallRyeConfig config) {
        return config.getValue(ConsumerSpansFollowTracing.CONSUMER_SPANS, Boolean.class);
    }

    @Test
    void tracing_off_means_no_consumer_spans() {
        assertThat(consumerSpans(config(Map.of("quarkus.otel.sdk.disabled", "true")))).isFalse();
    }

    @Test
    void tracing_on_means_consumer_spans() {
        assertThat(consumerSpans(config(Map.of("quarkus.otel.sdk.disabled", "false")))).isTrue();
        assertThat(consumerSpans(config(Map.of()))).as("the SDK's own default: on").isTrue();
    }

    @Test
    void tracing_read_through_an_expression_counts() {
        assertThat(consumerSpans(config(Map.of("quarkus.otel.sdk.disabled", "${tracing.off}", "tracing.off", "true"))))
                .isFalse();
    }

    @Test
    void a_value_set_by_the_service_wins() {
        assertThat(consumerSpans(config(Map.of("quarkus.otel.sdk.disabled", "true",
                ConsumerSpansFollowTracing.CONSUMER_SPANS, "true")))).isTrue();
    }
}
