package io.strideback.deploy;

import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.strideback.support.metrics.OperationsMeters;

import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Prometheus series names the services really expose: every meter their code registers
 * (found in the sources), registered again in Micrometer's own Prometheus registry with the
 * services' meter filter, and scraped. So a dashboard or alert naming a series the code does not
 * produce (a renamed counter, a missing {@code _total}, a {@code _bucket} of a timer without
 * histogram buckets) fails here instead of showing "No data".
 */
final class MetricNames {

    private static final Pattern COUNTER = Pattern.compile("(?:\\.counter|Counter\\.builder)\\(\\s*\"(strideback\\.[a-z0-9._]+)\"");
    private static final Pattern TIMER = Pattern.compile("(?:\\.timer|Timer\\.builder)\\(\\s*\"(strideback\\.[a-z0-9._]+)\"");
    private static final Pattern GAUGE = Pattern.compile("(?:\\.gauge|Gauge\\.builder)\\(\\s*\"(strideback\\.[a-z0-9._]+)\"");
    private static final Pattern SERIES = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*)");

    /** Series of Quarkus's own binders the dashboard may use. */
    static final Set<String> FRAMEWORK = Set.of("up", "http_server_requests_seconds_count",
            "http_server_requests_seconds_sum", "http_server_requests_seconds_bucket");

    private MetricNames() {
    }

    static Set<String> exposed() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().meterFilter(OperationsMeters.histograms());
        int meters = 0;
        for (String module : new String[]{"service-support", "intake-service", "load-monitor-service", "plan-service"}) {
            for (String src : Repo.mainSources(module).values()) {
                for (String name : all(COUNTER, src)) {
                    registry.counter(name).increment();
                    meters++;
                }
                for (String name : all(TIMER, src)) {
                    Timer.builder(name).register(registry).record(Duration.ofMillis(5));
                    meters++;
                }
                for (String name : all(GAUGE, src)) {
                    registry.gauge(name, 1.0);
                    meters++;
                }
            }
        }
        if (meters < 10) {
            throw new AssertionError("found only " + meters + " meters in the code: has the registration style changed?");
        }
        Set<String> names = new TreeSet<>();
        Matcher m = SERIES.matcher(registry.scrape());
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static Set<String> all(Pattern p, String src) {
        Set<String> out = new TreeSet<>();
        p.matcher(src).results().forEach(r -> out.add(r.group(1)));
        return out;
    }

    /** The series a PromQL expression reads (identifiers that are not functions, keywords or labels). */
    static Set<String> referencedBy(String promql) {
        String withoutMatchers = promql.replaceAll("\\{[^}]*}", "{}").replaceAll("\\[[^]]*]", "[]");
        String withoutGrouping = withoutMatchers.replaceAll("(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", "");
        Set<String> out = new TreeSet<>();
        Matcher m = Pattern.compile("\\b([a-zA-Z_:][a-zA-Z0-9_:]*)\\b(?!\\s*\\()").matcher(withoutGrouping);
        while (m.find()) {
            String id = m.group(1);
            if (!Set.of("by", "without", "on", "ignoring", "bool", "and", "or", "unless", "offset", "le").contains(id)
                    && !id.matches("\\d.*") && !id.startsWith("__")) {
                out.add(id);
            }
        }
        return out;
    }
}
