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
 * stamped (this JVM's {@code System.nanoTime}, the clock of the probes' due times) at four stages: intake's 202
 * answer to the probe's post (read by the load generator; intake answers only after the activity topic acked the
 * event, acks=all), the proposal on the proposals topic as the load monitor writes it (read_uncommitted) and as it
 * commits (read_committed, what plan-service sees), both read by consumers here, and the plan event (the figure's
 * own {@link Bench.PlanWatcher}). The write-to-commit hop is the monitor's exactly-once commit wait; the others are
 * each a service's share (its polls and waits included).
 *
 * <p>Why the first stage is the 202 and not a consumer of the activity topic (round 14): that consumer read every
 * event of the figure to find its 5 probes a second, and at fetch.min.bytes=1 it fetched once for each of intake's
 * produce requests: 232 of the broker's 326 fetches a second at 500/s (round 13, h1, README "Speed"), load on the
 * two cores the platform under measurement shares, which a deployment does not pay. The plan-events stage was a
 * second consumer of that topic beside the figure's own watcher.
 */
final class HopWatcher {

    /** The stages read here: the proposals topic as written, then as committed. */
    private static final List<String> PROPOSAL_ISOLATIONS = List.of("read_uncommitted", "read_committed");

    /** The hops' names, between the due time and each stage in turn. */
    private static final List<String> HOPS = List.of(
            "intake (post → 202, sent after the activity topic acked it)",
            "monitor (activity → proposal written: poll, punctuation, analysis)",
            "monitor's EOS commit (written → visible to read_committed)",
            "plan-service (proposal → plan event: consumer, transaction, outbox relay)");

    private final String clinic;
    private final Map<String, Long> dueAt;
    /** Each stage's stamps by probe athlete, in the order of {@link #HOPS}. */
    private final List<Map<String, Long>> seenAt = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    /**
     * @param answeredAt    each probe's 202, stamped by the load generator
     * @param planChangedAt each probe's plan event, stamped by the figure's plan watcher
     */
    HopWatcher(String kafka, String clinic, Map<String, Long> dueAt, Map<String, Long> answeredAt,
               Map<String, Long> planChangedAt) {
        this.clinic = clinic;
        this.dueAt = dueAt;
        seenAt.add(answeredAt);
        for (String isolation : PROPOSAL_ISOLATIONS) {
            Map<String, Long> seen = new ConcurrentHashMap<>();
            seenAt.add(seen);
            KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka,
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation,
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                    ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                    ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
            List<TopicPartition> partitions = consumer.partitionsFor(Topic.PLAN_ADJUSTMENTS.topicName()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            Thread t = new Thread(() -> watch(consumer, seen), "hop-watcher-" + isolation);
            t.setDaemon(true);
            threads.add(t);
        }
        seenAt.add(planChangedAt);
    }

    void start() {
        threads.forEach(Thread::start);
    }

    private void watch(KafkaConsumer<String, byte[]> consumer, Map<String, Long> seen) {
        try (consumer) {
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                    long now = System.nanoTime();
                    if (!clinic.equals(EventCodec.header(r.headers(), EventCodec.CLINIC))) {
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
        HOPS.forEach(h -> hops.add(new Histogram(3)));
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

    /**
     * Each probe's stamps, one line a probe in due order: when it was due (wall clock, ms since the epoch, to lay
     * beside a service's GC or commit log) and each hop's ms, empty where a stage never saw it. Round 19: whether a
     * figure's p99 is a few stalls (probes due together, slow together) or spread over the whole 45 s.
     */
    void writeProbes(java.nio.file.Path file, String figure) throws java.io.IOException {
        long wallMinusNano = System.currentTimeMillis() * 1_000_000L - System.nanoTime();
        StringBuilder out = new StringBuilder();
        if (!java.nio.file.Files.exists(file)) {
            out.append("figure,probe,due_epoch_ms,intake_ms,monitor_ms,commit_ms,plan_ms\n");
        }
        List<Map.Entry<String, Long>> due = new ArrayList<>(dueAt.entrySet());
        due.sort(Map.Entry.comparingByValue());
        for (Map.Entry<String, Long> d : due) {
            out.append(figure).append(',').append(d.getKey()).append(',')
                    .append((d.getValue() + wallMinusNano) / 1_000_000L);
            long previous = d.getValue();
            for (Map<String, Long> seen : seenAt) {
                Long at = seen.get(d.getKey());
                out.append(',');
                if (at != null) {
                    long end = Math.max(previous, at);
                    out.append(String.format("%.1f", (end - previous) / 1e6));
                    previous = end;
                }
            }
            out.append('\n');
        }
        java.nio.file.Files.writeString(file, out, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
    }

    private static String ms(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? "-" : String.format("%.1f", h.getValueAtPercentile(percentile) / 1000.0);
    }
}
