package io.strideback.support.messaging;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecord;
import io.smallrye.reactive.messaging.kafka.commit.KafkaCommitHandler;
import io.smallrye.reactive.messaging.health.HealthReport.ChannelInfo;
import io.strideback.events.Topic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 15 "Done when": the read of a partition's committed offset at its first record after an assignment
 * (the connector's throttled strategy) is retried while the broker cannot answer, where it used to end the channel
 * for good; what the broker refuses for good still ends it (the liveness check then restarts the service). And a
 * channel's failure is matched by its whole name: another channel's, or another consumer method's, is not its own.
 */
class RetriedCommitTest {

    private ConsumerChannels channels;
    private ConsumerChannel channel;

    @BeforeEach
    void channels() {
        channels = new ConsumerChannels();
        channels.metrics = new SimpleMeterRegistry();
        channels.maxBackoff = Duration.ofMillis(200);
        channel = new ConsumerChannel("clinical-record", "plan-service-clinical-record", Topic.ATHLETE_ACTIVITY);
        channels.registered(channel);
    }

    @Test
    void a_committed_offset_the_broker_cannot_give_yet_is_asked_again_until_it_can_and_the_record_goes_on() {
        AtomicInteger reads = new AtomicInteger();
        RetriedCommit commit = new RetriedCommit(strategy(record -> {
            if (reads.incrementAndGet() < 4) {
                return Uni.createFrom().failure(new TimeoutException(
                        "Timeout of 60000ms expired before the last committed offset for partitions [t-3] could be determined."));
            }
            return Uni.createFrom().item(record);
        }), "clinical-record", channels, null);
        IncomingKafkaRecord<String, byte[]> record = record();

        IncomingKafkaRecord<String, byte[]> received = commit.received(record).await().atMost(Duration.ofSeconds(30));

        assertThat(received).isSameAs(record);
        assertThat(reads).as("asked until the broker answered").hasValue(4);
        assertThat(channel.retryingSince()).as("flowing again").isEmpty();
    }

    @Test
    void while_it_cannot_the_channel_says_it_is_retrying_and_why() throws Exception {
        AtomicInteger reads = new AtomicInteger();
        java.util.concurrent.CountDownLatch answer = new java.util.concurrent.CountDownLatch(1);
        RetriedCommit commit = new RetriedCommit(strategy(record -> {
            reads.incrementAndGet();
            return answer.getCount() > 0 ? Uni.createFrom().failure(new TimeoutException("coordinator not available"))
                    : Uni.createFrom().item(record);
        }), "clinical-record", channels, null);

        var pending = commit.received(record()).subscribeAsCompletionStage();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> reads.get() >= 2);
        assertThat(channel.retryingSince()).isPresent();
        assertThat(channel.retryReason()).get(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .contains("committed offset of " + Topic.ATHLETE_ACTIVITY.topicName() + "-3").contains("TimeoutException");
        assertThat(pending).isNotDone();

        answer.countDown();
        assertThat(pending.toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS)).isNotNull();
        assertThat(channel.retryingSince()).isEmpty();
    }

    @Test
    void what_the_broker_refuses_for_good_is_not_retried() {
        AtomicInteger reads = new AtomicInteger();
        RetriedCommit commit = new RetriedCommit(strategy(record -> {
            reads.incrementAndGet();
            return Uni.createFrom().failure(new GroupAuthorizationException("not authorized to group"));
        }), "clinical-record", channels, null);

        assertThatThrownBy(() -> commit.received(record()).await().atMost(Duration.ofSeconds(30)))
                .isInstanceOf(GroupAuthorizationException.class);
        assertThat(reads).hasValue(1);
    }

    @Test
    void a_channel_fails_only_with_its_own_failure_or_its_own_consuming_methods() {
        Set<String> clinicalRecord = Set.of("clinical-record",
                "application-io.strideback.plan.messaging.ClinicalRecordConsumer#activity");
        List<ChannelInfo> otherMethodFailed = List.of(new ChannelInfo("clinical-record", true),
                new ChannelInfo("application-io.strideback.plan.messaging.PlanConsumers#activity", false, "timeout"),
                new ChannelInfo("clinical-record#2", false, "another channel's"),
                new ChannelInfo("clinical", false, "a prefix"));
        assertThat(ConsumerChannels.failureOf(clinicalRecord, otherMethodFailed)).isEmpty();

        List<ChannelInfo> ownMethodFailed = List.of(
                new ChannelInfo("application-io.strideback.plan.messaging.ClinicalRecordConsumer#activity", false, "timeout"));
        assertThat(ConsumerChannels.failureOf(clinicalRecord, ownMethodFailed)).get(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .contains("ClinicalRecordConsumer#activity").contains("timeout");
        assertThat(ConsumerChannels.failureOf(clinicalRecord, List.of(new ChannelInfo("clinical-record", false, "down"))))
                .isPresent();
    }

    private static IncomingKafkaRecord<String, byte[]> record() {
        return new IncomingKafkaRecord<>(new ConsumerRecord<>(Topic.ATHLETE_ACTIVITY.topicName(), 3, 41L, "k", new byte[0]),
                "clinical-record", 0, null, null, false);
    }

    @FunctionalInterface
    private interface Received {
        Uni<IncomingKafkaRecord<String, byte[]>> apply(IncomingKafkaRecord<String, byte[]> record);
    }

    /** The connector's strategy as far as this test needs it: its read of the committed offset. */
    private static KafkaCommitHandler strategy(Received received) {
        return new KafkaCommitHandler() {
            @Override
            @SuppressWarnings("unchecked")
            public <K, V> Uni<IncomingKafkaRecord<K, V>> received(IncomingKafkaRecord<K, V> record) {
                return (Uni<IncomingKafkaRecord<K, V>>) (Uni<?>) received.apply((IncomingKafkaRecord<String, byte[]>) (Object) record);
            }

            @Override
            public <K, V> Uni<Void> handle(IncomingKafkaRecord<K, V> record) {
                return Uni.createFrom().voidItem();
            }
        };
    }
}
