package io.strideback.support.tracing;

import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.Priorities;
import jakarta.annotation.Priority;

/**
 * The Kafka connector's CONSUMER spans ({@code mp.messaging.connector.smallrye-kafka.tracing-enabled}) follow
 * {@code quarkus.otel.sdk.disabled}, unless a service or a channel sets them itself. Issue 15: with tracing off the
 * connector still built, drew ids for and ended a span for every record it read (the SDK is there, it only exports
 * nothing), ~5% of plan-service's CPU at 500 events/s, for nobody. With tracing on, nothing changes: README
 * "Traces and logs" promises plan-service's CONSUMER span. With the spans off, the incoming {@code traceparent}
 * is still carried on ({@code ConsumerChannels.traceOf} reads it from the record's headers).
 */
@Priority(Priorities.APPLICATION)
public class ConsumerSpansFollowTracing implements ConfigSourceInterceptor {

    static final String CONSUMER_SPANS = "mp.messaging.connector.smallrye-kafka.tracing-enabled";
    static final String SDK_DISABLED = "quarkus.otel.sdk.disabled";

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        ConfigValue value = context.proceed(name);
        if (value != null || !CONSUMER_SPANS.equals(name)) {
            return value;
        }
        ConfigValue disabled = context.restart(SDK_DISABLED);
        boolean tracingOff = disabled != null && Boolean.parseBoolean(disabled.getValue());
        return ConfigValue.builder().withName(name).withValue(Boolean.toString(!tracingOff))
                .withConfigSourceName(getClass().getSimpleName()).build();
    }
}
