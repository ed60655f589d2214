package io.strideback.bench;

import io.strideback.events.EventCodec;
import io.strideback.events.Topic;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Issue 15, figure 4: where a probe's time goes, hop by hop. Each probe athlete's first record after the start is
 * stamped (this JVM's {@code System.nanoTime}, the clock of the probes' due times) when a consumer here sees it on
 * the activity topic (intake's send), on the proposals topic as the load monitor writes it (read_uncommitted)
 * and as it commits (read_committed, what plan-service sees), and on the plan-events topic (plan-service's
 * transaction and outbox relay). The write-to-commit hop is the monitor's exactly-once commit wait; the others
 * are each a service's share (its polls and waits included).
 */
final class HopWatcher {

    /** What each stamp is: the topic, the isolation it is read with, and the record type it waits for (null: any). */
    private record Stage(String name, Topic topic, String isolation, String ceType) {
    }

    private static final List<Stage> STAGES = List.of(
            new Stage("on the activity topic", Topic.ATHLETE_ACTIVITY, "read_uncommitted", null),
            new Stage("proposal written", Topic.PLAN_ADJUSTMENTS, "read_uncommitted", null),
            new Stage("proposal committed", Topic.PLAN_ADJUSTMENTS, "read_committed", null),
            new Stage("plan changed", Topic.PLAN_EVENTS, "read_uncommitted", "plan.adjusted"));

    /** The hops' names, between the due time and each stage in turn. */
    private static final List<String> HOPS = List.of(
            "intake (post → activity topic)",
            "monitor (activity → proposal written: poll, punctuation, analysis)",
            "monitor's EOS commit (written → visible to read_committed)",
            "plan-service (proposal → plan event: consumer, transaction, outbox relay)");

    private final String clinic;
    private final Map<String, Long> dueAt;
    private final List<Map<String, Long>> seenAt = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    HopWatcher(String kafka, String clinic, Map<String, Long> dueAt) {
        this.clinic = clinic;
        this.dueAt = dueAt;
        for (Stage stage : STAGES) {
            Map<String, Long> seen = new ConcurrentHashMap<>();
            seenAt.add(seen);
            KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka,
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, stage.isolation(),
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                    ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                    ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
            List<TopicPartition> partitions = consumer.partitionsFor(stage.topic().topicName()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            Thread t = new Thread(() -> watch(consumer, stage, seen), "hop-watcher-" + stage.topic().topicName());
            t.setDaemon(true);
            threads.add(t);
        }
    }

    void start() {
        threads.forEach(Thread::start);
    }

    private void watch(KafkaConsumer<String, byte[]> consumer, Stage stage, Map<String, Long> seen) {
        try (consumer) {
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                    long now = System.nanoTime();
                    if (!clinic.equals(EventCodec.header(r.headers(), EventCodec.CLINIC))
                            || (stage.ceType() != null && !stage.ceType().equals(EventCodec.header(r.headers(), EventCodec.TYPE)))) {
                        continue;
                    }
                    seen.putIfAbsent(EventCodec.header(r.headers(), EventCodec.SUBJECT), now);
                }
            }
        }
    }

    void stop() throws InterruptedException {
        running = false;
        for (Thread t : threads) {
            t.join(5000);
        }
    }

    /**
     * Each hop's p50 / p99 in ms over the probes seen at every stage, e.g.
     * {@code intake (...) 12.1 / 40.2; monitor (...) 30.0 / 80.3; ...}.
     */
    String breakdown() {
        List<Histogram> hops = new ArrayList<>();
        STAGES.forEach(s -> hops.add(new Histogram(3)));
        int complete = 0;
        for (Map.Entry<String, Long> due : dueAt.entrySet()) {
            long previous = due.getValue();
            List<Long> stamps = new ArrayList<>();
            for (Map<String, Long> seen : seenAt) {
                stamps.add(seen.get(due.getKey()));
            }
            if (stamps.contains(null)) {
                continue;
            }
            complete++;
            for (int i = 0; i < stamps.size(); i++) {
                // A consumer here may see a stage a moment after the next one's consumer saw its record: 0, not < 0.
                long at = Math.max(previous, stamps.get(i));
                hops.get(i).recordValue(Math.max(1, (at - previous) / 1000));
                previous = at;
            }
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < HOPS.size(); i++) {
            out.append(i == 0 ? "" : "; ").append(HOPS.get(i)).append(' ')
                    .append(ms(hops.get(i), 50)).append(" / ").append(ms(hops.get(i), 99));
        }
        return out.append(" (").append(complete).append(" probes seen at every hop)").toString();
    }

    private static String ms(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? "-" : String.format("%.1f", h.getValueAtPercentile(percentile) / 1000.0);
    }
}
