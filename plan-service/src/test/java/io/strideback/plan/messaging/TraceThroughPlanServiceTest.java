package io.strideback.plan.messaging;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.strideback.events.ActivityEvents.AthleteEnrolled;
import io.strideback.events.EventCodec;
import io.strideback.events.EventEnvelope;
import io.strideback.events.EventType;
import io.strideback.events.Topic;
import io.strideback.events.vocabulary.Diagnosis;
import io.strideback.events.vocabulary.Side;
import io.strideback.support.tracing.KafkaTracing;
import io.strideback.testing.KafkaResource;
import io.strideback.testing.LocalKeysResource;
import io.strideback.testing.PostgresResource;
import io.strideback.testing.TopicRecords;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With tracing on, a consumed record's trace goes on through plan-service: the connector's
 * CONSUMER span (quarkus-opentelemetry's messaging instrumentation) is current in the handler, the
 * outbox row written in its transaction stores its traceparent, and the relay's send carries the
 * same trace to {@code strideback.plan-events.v1}.
 */
@QuarkusTest
@TestProfile(TraceThroughPlanServiceTest.TracingOn.class)
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "plan"))
@QuarkusTestResource(LocalKeysResource.class)
class TraceThroughPlanServiceTest {

    public static class TracingOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // Spans recorded; the exporter has nowhere to send them, which does not matter here.
            return Map.of("quarkus.otel.sdk.disabled", "false",
                    "quarkus.otel.exporter.otlp.traces.endpoint", "http://127.0.0.1:1");
        }
    }

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    /** Follows tracing (service-support's ConsumerSpansFollowTracing): on here, so the CONSUMER span is made. */
    @ConfigProperty(name = "mp.messaging.connector.smallrye-kafka.tracing-enabled")
    boolean consumerSpans;

    @Test
    void the_plan_created_by_an_enrolment_is_published_in_the_enrolments_trace() {
        assertThat(consumerSpans).as("the connector's CONSUMER spans, with tracing on").isTrue();
        String clinic = "clinic-" + UUID.randomUUID();
        Instant now = Instant.now();
        EventEnvelope<AthleteEnrolled> enrolment = EventEnvelope.of(EventType.ATHLETE_ENROLLED, "/test", now, clinic,
                "runner-t", new AthleteEnrolled("runner-t", clinic, "Runner", Diagnosis.CALF_STRAIN_SOLEUS, Side.LEFT,
                        LocalDate.now().minusDays(20), null, now));
        String traceId = HexFormat.of().formatHex(UUID.randomUUID().toString().replace("-", "").substring(0, 16)
                .getBytes(StandardCharsets.US_ASCII));
        ProducerRecord<String, byte[]> record = EventCodec.toRecord(enrolment);
        record.headers().add(KafkaTracing.TRACEPARENT,
                ("00-" + traceId + "-00f067aa0ba902b7-01").getBytes(StandardCharsets.UTF_8));
        TopicRecords.send(bootstrap, record);

        ConsumerRecord<String, byte[]> created = TopicRecords.read(bootstrap, Topic.PLAN_EVENTS.topicName(),
                r -> clinic.equals(EventCodec.header(r.headers(), EventCodec.CLINIC))
                        && "plan.created".equals(EventCodec.header(r.headers(), EventCodec.TYPE)),
                found -> !found.isEmpty(), Duration.ofSeconds(90)).get(0);
        assertThat(EventCodec.header(created.headers(), KafkaTracing.TRACEPARENT))
                .as("the relay's send continues the enrolment's trace").startsWith("00-" + traceId + "-")
                .doesNotContain("00f067aa0ba902b7");
    }
}
