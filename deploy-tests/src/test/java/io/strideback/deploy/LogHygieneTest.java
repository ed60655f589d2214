package io.strideback.deploy;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Logs carry ids, never an athlete's personal data: no log statement of the services may print a
 * display name, a note or a whole event body. (Production logs are JSON and shipped off the pod.)
 */
class LogHygieneTest {

    private static final Pattern LOG_CALL = Pattern.compile("\\bLOG\\.(?:trace|debug|info|warn|error|fatal)[a-z]*\\s*\\((.*?)\\);",
            Pattern.DOTALL);
    private static final Pattern PERSONAL = Pattern.compile(
            "displayName|\\bnote\\b|\\bnotes\\b|\\.note\\(\\)|payload|\\bbody\\b|\\.data\\(\\)(?!\\.getClass)|toString\\(\\)"
                    // Issue 16 item 3: neither the master key nor a data key, wrapped or not.
                    + "|masterKey|master-key|dataKey|wrapped");

    @Test
    void no_log_statement_prints_names_notes_or_event_bodies() {
        List<String> offending = new ArrayList<>();
        int calls = 0;
        for (String module : new String[]{"service-support", "intake-service", "load-monitor-service", "plan-service"}) {
            for (Map.Entry<Path, String> src : Repo.mainSources(module).entrySet()) {
                Matcher m = LOG_CALL.matcher(src.getValue());
                while (m.find()) {
                    calls++;
                    if (PERSONAL.matcher(m.group(1)).find()) {
                        offending.add(Repo.root().relativize(src.getKey()) + ": LOG." + m.group(0));
                    }
                }
            }
        }
        assertThat(calls).as("log statements found").isGreaterThan(3);
        assertThat(offending).isEmpty();
    }

    @Test
    void prod_logs_are_json_and_database_errors_leave_row_values_out() {
        for (String service : Repo.SERVICES) {
            ServiceConfig c = ServiceConfig.of(service);
            assertThat(c.get("%prod.quarkus.log.console.json.enabled")).as(service).isEqualTo("true");
            assertThat(c.get("quarkus.log.console.json.enabled")).as(service + " dev/test logs stay text").isEqualTo("false");
            if (c.hasDatabase()) {
                assertThat(c.get("quarkus.datasource.jdbc.additional-jdbc-properties.logServerErrorDetail"))
                        .as(service + ": PostgreSQL's 'Failing row contains (...)' never reaches a message").isEqualTo("false");
            } else {
                // Issue 14: no PostgreSQL at all (Kafka Streams stores), so no row values to leak.
                assertThat(c.get("quarkus.datasource.jdbc.url")).as(service + " has no database to log").isNull();
            }
            assertThat(c.get("quarkus.otel.sdk.disabled")).as(service + ": no exporter where no collector runs").isEqualTo("true");
        }
    }
}
