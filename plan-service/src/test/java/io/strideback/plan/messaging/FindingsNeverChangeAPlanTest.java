package io.strideback.plan.messaging;

import io.strideback.events.EventType;
import io.strideback.events.Topic;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * DOMAIN.md patterns table: "over the plan" (CONTRACT v2 pattern kind OVER_THE_PLAN, announced by the load monitor as a
 * {@code pattern.detected} on {@code strideback.load-findings.v1}, like every pattern) is "an adherence finding for the
 * clinician, no plan change". plan-service changes a plan only from what it reads, so: none of its channels reads the
 * findings topic, and the adjustments and activity channels act on none of the findings' types (a finding written
 * there by mistake is passed over by its {@code ce_type}, never applied).
 */
class FindingsNeverChangeAPlanTest {

    @Test
    void no_channel_reads_the_findings_topic() throws Exception {
        Properties config = new Properties();
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("application.properties")) {
            config.load(in);
        }
        var incomingTopics = config.stringPropertyNames().stream()
                .filter(k -> k.replaceFirst("^%[a-z]+\\.", "").matches("mp\\.messaging\\.incoming\\.[^.]+\\.topics?"))
                .map(config::getProperty).toList();

        assertThat(incomingTopics).as("plan-service's incoming channels").isNotEmpty()
                .contains(Topic.PLAN_ADJUSTMENTS.topicName())
                .noneMatch(t -> t.contains(Topic.LOAD_FINDINGS.topicName()));
    }

    @Test
    void no_finding_type_is_acted_on_by_the_adjustments_or_activity_channel() {
        for (EventType type : EventType.values()) {
            if (type.topic() == Topic.LOAD_FINDINGS) {
                assertThat(PlanConsumers.ADJUSTMENTS).as(type.ceType()).doesNotContain(type);
                assertThat(PlanConsumers.ACTIVITY).as(type.ceType()).doesNotContain(type);
            }
        }
        assertThat(EventType.PATTERN_DETECTED.topic()).isEqualTo(Topic.LOAD_FINDINGS);
    }
}
