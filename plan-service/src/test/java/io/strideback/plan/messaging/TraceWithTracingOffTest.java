package io.strideback.plan.messaging;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
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
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15: with tracing off (the default here) the Kafka connector makes no CONSUMER span per record, and the
 * trace an event came in with still goes on: the plan event it causes carries the incoming {@code traceparent}
 * (read from the record's headers, stored with the outbox row, passed on by the relay unchanged).
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "plan"))
@QuarkusTestResource(LocalKeysResource.class)
class TraceWithTracingOffTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @ConfigProperty(name = "quarkus.otel.sdk.disabled")
    boolean tracingOff;
    @ConfigProperty(name = "mp.messaging.connector.smallrye-kafka.tracing-enabled")
    boolean consumerSpans;

    @Test
    void no_consumer_spans_and_the_incoming_trace_goes_on() {
        assertThat(tracingOff).as("this test's premise: tracing off").isTrue();
        assertThat(consumerSpans).as("the connector's CONSUMER spans follow tracing").isFalse();

        String clinic = "clinic-" + UUID.randomUUID();
        Instant now = Instant.now();
        EventEnvelope<AthleteEnrolled> enrolment = EventEnvelope.of(EventType.ATHLETE_ENROLLED, "/test", now, clinic,
                "runner-o", new AthleteEnrolled("runner-o", clinic, "Runner", Diagnosis.CALF_STRAIN_SOLEUS, Side.LEFT,
                        LocalDate.now().minusDays(20), null, now));
        String traceparent = "00-" + UUID.randomUUID().toString().replace("-", "") + "-00f067aa0ba902b7-01";
        ProducerRecord<String, byte[]> record = EventCodec.toRecord(enrolment);
        record.headers().add(KafkaTracing.TRACEPARENT, traceparent.getBytes(StandardCharsets.UTF_8));
        TopicRecords.send(bootstrap, record);

        ConsumerRecord<String, byte[]> created = TopicRecords.read(bootstrap, Topic.PLAN_EVENTS.topicName(),
                r -> clinic.equals(EventCodec.header(r.headers(), EventCodec.CLINIC))
                        && "plan.created".equals(EventCodec.header(r.headers(), EventCodec.TYPE)),
                found -> !found.isEmpty(), Duration.ofSeconds(90)).get(0);
        assertThat(EventCodec.header(created.headers(), KafkaTracing.TRACEPARENT))
                .as("the enrolment's trace context, passed on as it came").isEqualTo(traceparent);
    }
}
