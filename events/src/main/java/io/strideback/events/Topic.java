package io.strideback.events;

import java.util.Arrays;
import java.util.List;

/**
 * The one registry of Kafka topics (CONTRACT.md "Kafka"). Every topic is keyed by
 * {@code clinicId/athleteId} so one athlete's events stay in order on one partition, and has
 * exactly one writing service. Names are never string literals anywhere else.
 */
public enum Topic {
    ATHLETE_ACTIVITY("strideback.athlete-activity.v1", "intake-service"),
    LOAD_FINDINGS("strideback.load-findings.v1", "load-monitor-service"),
    PLAN_ADJUSTMENTS("strideback.plan-adjustments.v1", "load-monitor-service"),
    PLAN_EVENTS("strideback.plan-events.v1", "plan-service"),
    /**
     * Issue 16: tokens an operator revoked (by {@code jti} or by subject), read by every replica of every
     * service from the start; keyed {@code jti/<id>} or {@code sub/<subject>}. Kept a day: no token
     * lives longer than 12 h, so an older revocation has nothing left to refuse.
     */
    TOKEN_REVOCATIONS("strideback.token-revocations.v1", "intake-service"),
    /**
     * Issue 16: the load monitor's audit records (a clinic's rule settings changed), read by
     * plan-service into the append-only audit log. One audit topic per writing service, so each
     * topic keeps exactly one writer; keyed {@code clinicId/clinic}.
     */
    LOAD_MONITOR_AUDIT("strideback.load-monitor-audit.v1", "load-monitor-service");

    /** Header on a dead-lettered record that says why it could not be read. */
    public static final String DLQ_REASON_HEADER = "dead-letter-reason";

    private final String topicName;
    private final String writer;

    Topic(String topicName, String writer) {
        this.topicName = topicName;
        this.writer = writer;
    }

    public String topicName() {
        return topicName;
    }

    /** Where records of this topic that cannot be read are parked: {@code <topic>.dlq}. */
    public String deadLetterTopicName() {
        return topicName + ".dlq";
    }

    public String writer() {
        return writer;
    }

    public List<EventType> eventTypes() {
        return Arrays.stream(EventType.values()).filter(t -> t.topic() == this).toList();
    }

    /** The record key: one athlete's events share a partition and so keep their order. */
    public static String key(String clinicId, String athleteId) {
        return clinicId + "/" + athleteId;
    }

    public static List<String> allTopicNames() {
        return Arrays.stream(values()).flatMap(t -> List.of(t.topicName(), t.deadLetterTopicName()).stream()).toList();
    }
}
