package io.strideback.loadmonitor.streams;

import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue #14, the replay's pace: while the monitor's input is behind (a replay, a fresh instance), marked athletes
 * wait the catch-up interval rather than 20 ms, so a backlog's events are analysed in batches; caught up, every
 * 20 ms again. Nothing marked is ever left: the athletes waiting are counted for /q/metrics (the bench's replay
 * waits for none).
 */
class CatchUpPaceTest {

    @TempDir
    Path stateDir;

    private final AtomicLong backlog = new AtomicLong();
    private final AtomicInteger awaiting = new AtomicInteger();
    private final MonitorMeters meters = new MonitorMeters() {
        @Override
        public void awaitingAnalysis(int change) {
            awaiting.addAndGet(change);
        }
    };
    private final AnalysisPace pace = new AnalysisPace(MonitorTopology.DEFAULT_ANALYSIS_INTERVAL,
            Duration.ofSeconds(1), 1_000, backlog::get);

    @Test
    void caught_up_a_red_flag_is_analysed_at_the_next_tick() {
        backlog.set(3);
        try (MonitorDriver m = new MonitorDriver(stateDir, "clinic-1", "ath-1", meters, pace)) {
            m.pipe(m.enrolment(3.0));

            m.pipe(m.redFlag("swelling", MonitorDriver.day(0, "10:00"), io.strideback.events.vocabulary.RedFlag.SWELLING));

            assertThat(m.currentPatterns()).anySatisfy(p -> assertThat(p).startsWith("RED_FLAG|"));
            assertThat(awaiting).hasValue(0);
        }
    }

    @Test
    void behind_the_marked_athletes_wait_the_catch_up_interval_then_are_analysed_once() {
        try (MonitorDriver m = new MonitorDriver(stateDir, "clinic-1", "ath-1", meters, pace)) {
            m.pipe(m.enrolment(3.0));
            backlog.set(50_000);

            m.pipe(m.redFlag("swelling", MonitorDriver.day(0, "10:00"), io.strideback.events.vocabulary.RedFlag.SWELLING));
            m.pipe(m.run("r1", MonitorDriver.day(1, "18:00"), 5.0, io.strideback.events.vocabulary.RunIntensity.EASY));

            assertThat(m.currentPatterns()).as("behind: not analysed at the next 20 ms tick").isEmpty();
            assertThat(m.toAnalyse().get(m.key())).isNotNull();
            assertThat(awaiting).hasValue(1);

            m.wallClock(Duration.ofSeconds(1));

            assertThat(m.currentPatterns()).anySatisfy(p -> assertThat(p).startsWith("RED_FLAG|"));
            assertThat(m.toAnalyse().get(m.key())).isNull();
            assertThat(awaiting).hasValue(0);
        }
    }

    @Test
    void the_backlog_drained_the_waiting_athletes_are_analysed_at_the_next_tick() {
        try (MonitorDriver m = new MonitorDriver(stateDir, "clinic-1", "ath-1", meters, pace)) {
            m.pipe(m.enrolment(3.0));
            backlog.set(50_000);
            m.pipe(m.redFlag("swelling", MonitorDriver.day(0, "10:00"), io.strideback.events.vocabulary.RedFlag.SWELLING));
            assertThat(m.currentPatterns()).isEmpty();

            backlog.set(0);
            m.analyse();

            assertThat(m.currentPatterns()).anySatisfy(p -> assertThat(p).startsWith("RED_FLAG|"));
            assertThat(awaiting).hasValue(0);
        }
    }

    @Test
    void the_backlog_is_the_main_consumers_per_partition_lag_not_the_restore_consumers() {
        Map<MetricName, Metric> metrics = new LinkedHashMap<>();
        metrics.put(lag("app-1-StreamThread-1-consumer", "3"), value(40));
        metrics.put(lag("app-1-StreamThread-2-consumer", "7"), value(2));
        metrics.put(lag("app-1-StreamThread-1-restore-consumer", "3"), value(900));
        metrics.put(new MetricName("records-lag-max", "consumer-fetch-manager-metrics", "",
                Map.of("client-id", "app-1-StreamThread-1-consumer", "topic", "t", "partition", "3")), value(77));
        metrics.put(new MetricName("records-lag", "consumer-fetch-manager-metrics", "",
                Map.of("client-id", "app-1-StreamThread-1-consumer", "topic", "t")), value(55));

        List<Metric> lags = ConsumerBacklog.mainConsumerLags(metrics);

        assertThat(lags).extracting(Metric::metricValue).containsExactlyInAnyOrder(40.0, 2.0);
    }

    private static MetricName lag(String client, String partition) {
        return new MetricName("records-lag", "consumer-fetch-manager-metrics", "",
                Map.of("client-id", client, "topic", "strideback.athlete-activity.v1", "partition", partition));
    }

    private static Metric value(double v) {
        return new Metric() {
            @Override
            public MetricName metricName() {
                return null;
            }

            @Override
            public Object metricValue() {
                return v;
            }
        };
    }
}
