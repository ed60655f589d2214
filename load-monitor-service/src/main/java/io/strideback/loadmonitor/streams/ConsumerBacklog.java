package io.strideback.loadmonitor.streams;

import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The records waiting on the load monitor's input partitions: the sum of its stream threads' consumers' per-partition
 * {@code records-lag} (recorded when a fetch returns records of the partition). Read every {@value #EVERY_MS} ms by one
 * daemon thread and kept here, so a scrape reads a number, not Kafka Streams' thousands of metrics; the metrics to sum
 * are listed again every {@value #RELIST_EVERY} reads (partitions move). A gauge for the dashboard and the alert only:
 * the analysis pace ({@link AnalysisPace}) reads how far behind the processed records are in time instead.
 */
final class ConsumerBacklog {

    static final long EVERY_MS = 200;
    static final int RELIST_EVERY = 25;

    private final ScheduledExecutorService reader = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "load-monitor-backlog");
        t.setDaemon(true);
        return t;
    });
    private volatile long records;
    private List<Metric> lags = List.of();
    private int reads;

    /** Records waiting, as last read (0 before the first fetch). */
    long records() {
        return records;
    }

    void watch(KafkaStreams streams) {
        reader.scheduleWithFixedDelay(() -> read(streams), EVERY_MS, EVERY_MS, TimeUnit.MILLISECONDS);
    }

    void stop() {
        reader.shutdownNow();
    }

    private void read(KafkaStreams streams) {
        try {
            if (reads++ % RELIST_EVERY == 0 || lags.isEmpty()) {
                lags = mainConsumerLags(streams.metrics());
            }
            long sum = 0;
            for (Metric lag : lags) {
                if (lag.metricValue() instanceof Number n && !Double.isNaN(n.doubleValue())) {
                    sum += Math.max(0, n.longValue());
                }
            }
            records = sum;
        } catch (RuntimeException e) {
            // a metrics read failing must not stop the next one
            records = 0;
        }
    }

    /** The per-partition lag of the stream threads' main consumers (not the restore consumers: changelogs). */
    static List<Metric> mainConsumerLags(Map<MetricName, ? extends Metric> metrics) {
        List<Metric> out = new ArrayList<>();
        metrics.forEach((name, metric) -> {
            String client = name.tags().getOrDefault("client-id", "");
            if ("records-lag".equals(name.name()) && "consumer-fetch-manager-metrics".equals(name.group())
                    && name.tags().containsKey("partition") && client.endsWith("-consumer")
                    && !client.contains("restore")) {
                out.add(metric);
            }
        });
        return out;
    }
}
