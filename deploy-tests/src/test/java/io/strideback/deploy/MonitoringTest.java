package io.strideback.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.strideback.support.metrics.OperationsMeters;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Grafana dashboard and the alert rules read series the services really expose, and the
 * dashboard has the panels README "Operate" explains.
 */
class MonitoringTest {

    private static JsonNode dashboard;
    private static Set<String> exposed;

    @BeforeAll
    static void load() throws Exception {
        dashboard = Repo.JSON.readTree(Repo.read("monitoring/grafana/dashboards/strideback.json"));
        exposed = MetricNames.exposed();
    }

    private static List<JsonNode> panels() {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode p : dashboard.path("panels")) {
            if (!p.path("type").asText().equals("row")) {
                out.add(p);
            }
        }
        return out;
    }

    private static List<String> expressions() {
        List<String> out = new ArrayList<>();
        panels().forEach(p -> p.path("targets").forEach(t -> out.add(t.path("expr").asText())));
        return out;
    }

    @Test
    void the_code_exposes_the_series_the_issue_asks_for() {
        assertThat(exposed).contains(
                "strideback_events_in_total", "strideback_events_out_total",
                "strideback_flareups_total", "strideback_plan_adjustments_total",
                "strideback_consumer_lag", "strideback_dlq_total",
                "strideback_pipeline_delay_seconds_bucket", "strideback_intake_accepted_total",
                "strideback_intake_rejected_total");
    }

    @Test
    void the_dashboard_has_a_panel_for_each_thing_to_watch() {
        List<String> titles = panels().stream().map(p -> p.path("title").asText()).toList();
        assertThat(titles).contains("Ingest rate", "Rejections", "Consumer lag", "Dead-lettered records",
                "Flare-ups by classification", "Plan adjustments", "End-to-end delay p50 / p99");
        panels().forEach(p -> assertThat(p.path("description").asText())
                .as("panel %s says what it means", p.path("title").asText()).isNotBlank());
        String delay = panels().stream().filter(p -> p.path("title").asText().startsWith("End-to-end delay"))
                .findFirst().orElseThrow().path("targets").toString();
        assertThat(delay).contains("histogram_quantile(0.5,").contains("histogram_quantile(0.99,")
                .contains("strideback_pipeline_delay_seconds_bucket");
    }

    @Test
    void every_series_the_dashboard_reads_is_exposed_by_the_services() {
        assertThat(expressions()).isNotEmpty();
        for (String expr : expressions()) {
            for (String series : MetricNames.referencedBy(expr)) {
                assertThat(exposed.contains(series) || MetricNames.FRAMEWORK.contains(series))
                        .as("dashboard query %s reads %s, which no service exposes", expr, series).isTrue();
            }
        }
    }

    @Test
    void quantiles_come_from_histogram_buckets_of_timers_that_have_them() {
        Pattern bucket = Pattern.compile("(strideback_[a-z_]+)_seconds_bucket");
        Set<String> bucketed = new TreeSet<>();
        OperationsMeters.HISTOGRAMS.keySet().forEach(n -> bucketed.add(n.replace('.', '_')));
        List<String> all = new ArrayList<>(expressions());
        all.addAll(alertExpressions());
        for (String expr : all) {
            Matcher m = bucket.matcher(expr);
            while (m.find()) {
                assertThat(bucketed).as("%s needs publishPercentileHistogram (OperationsMeters.HISTOGRAMS)", m.group(1))
                        .contains(m.group(1));
            }
            if (expr.contains("histogram_quantile")) {
                assertThat(expr).as("quantiles aggregate buckets across replicas by le").contains("by (le");
            }
        }
    }

    @Test
    void the_dashboard_works_with_any_prometheus_datasource() {
        JsonNode variable = dashboard.path("templating").path("list").get(0);
        assertThat(variable.path("type").asText()).isEqualTo("datasource");
        assertThat(variable.path("query").asText()).isEqualTo("prometheus");
        panels().forEach(p -> assertThat(p.path("datasource").path("uid").asText()).isEqualTo("${datasource}"));
        assertThat(dashboard.path("uid").asText()).isNotBlank();
    }

    @Test
    void every_alert_reads_exposed_series_and_says_what_to_do() {
        JsonNode groups = Repo.yaml("monitoring/prometheus/alerts.yml").path("groups");
        assertThat(groups).isNotEmpty();
        for (JsonNode group : groups) {
            for (JsonNode rule : group.path("rules")) {
                String expr = rule.path("expr").asText();
                for (String series : MetricNames.referencedBy(expr)) {
                    assertThat(exposed.contains(series) || MetricNames.FRAMEWORK.contains(series))
                            .as("alert %s reads %s, which no service exposes", rule.path("alert").asText(), series).isTrue();
                }
                assertThat(rule.path("labels").path("severity").asText()).isIn("warning", "critical");
                assertThat(rule.path("annotations").path("description").asText()).isNotBlank();
            }
        }
        String readme = Repo.read("README.md");
        for (JsonNode group : groups) {
            for (JsonNode rule : group.path("rules")) {
                assertThat(readme).as("README \"Operate\" explains %s", rule.path("alert").asText())
                        .contains(rule.path("alert").asText());
            }
        }
    }

    @Test
    void label_values_in_queries_are_values_the_code_writes() {
        String intake = String.join("\n", Repo.mainSources("intake-service").values());
        Matcher m = Pattern.compile("reason=\"([a-z_]+)\"").matcher(String.join("\n", alertExpressions()) + String.join("\n", expressions()));
        while (m.find()) {
            assertThat(intake).as("intake rejects with reason %s", m.group(1)).contains("\"" + m.group(1) + "\"");
        }
    }

    private static List<String> alertExpressions() {
        List<String> out = new ArrayList<>();
        for (JsonNode group : Repo.yaml("monitoring/prometheus/alerts.yml").path("groups")) {
            group.path("rules").forEach(r -> out.add(r.path("expr").asText()));
        }
        return out;
    }
}
