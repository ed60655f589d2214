package io.strideback.support.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How every service's meters are published for the dashboard: an {@code application} tag on each
 * series, and Prometheus histogram buckets for the timers whose p50/p99 the dashboard shows.
 * Buckets (not client-side percentiles) because quantiles must be aggregated across replicas:
 * {@code histogram_quantile(0.99, sum by (le) (rate(..._bucket[5m])))}.
 */
@Singleton
public class OperationsMeters {

    /** Timer → the range its buckets cover (Micrometer's bucket series, cut to this range). */
    public static final Map<String, List<Duration>> HISTOGRAMS = Map.of(
            // ce_time of the symptom → the plan change it caused: seconds when live, days for a late sync.
            "strideback.pipeline.delay", List.of(Duration.ofMillis(10), Duration.ofDays(7)),
            "strideback.consumer.processing", List.of(Duration.ofMillis(1), Duration.ofSeconds(30)),
            "strideback.intake.publish.latency", List.of(Duration.ofMillis(1), Duration.ofSeconds(10)));

    @ConfigProperty(name = "quarkus.application.name")
    String application;

    @Produces
    @Singleton
    MeterFilter applicationTag() {
        return MeterFilter.commonTags(List.of(Tag.of("application", application)));
    }

    @Produces
    @Singleton
    MeterFilter histogramBuckets() {
        return histograms();
    }

    /** The bucket filter alone, for a registry built outside CDI (deploy-tests check the dashboard against it). */
    public static MeterFilter histograms() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                List<Duration> range = HISTOGRAMS.get(id.getName());
                if (range == null) {
                    return config;
                }
                return DistributionStatisticConfig.builder()
                        .percentilesHistogram(true)
                        .minimumExpectedValue((double) range.get(0).toNanos())
                        .maximumExpectedValue((double) range.get(1).toNanos())
                        .build()
                        .merge(config);
            }
        };
    }
}
