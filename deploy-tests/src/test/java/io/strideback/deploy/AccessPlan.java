package io.strideback.deploy;

import io.strideback.events.Topic;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issue 16: which Kafka user may do what, derived from the code: a topic's writer (events' {@link Topic})
 * writes it; a service's channels (its application.properties) read their topics, park on their DLQs
 * and use consumer groups named after the service; every service reads the token revocations; intake
 * also reads the activity log directly (its pending-key search). Compose (create-topics.sh) and
 * Kubernetes (KafkaUsers) must grant exactly this, nothing more.
 */
record AccessPlan(Set<Grant> grants) {

    /**
     * {@code operation}: WRITE or READ on a topic, GROUP on a consumer-group prefix, INTERNAL (read and write) on a
     * Kafka Streams app's internal-topic prefix, TRANSACTIONS on its transactional-id prefix.
     */
    record Grant(String user, String operation, String resource) implements Comparable<Grant> {
        @Override
        public int compareTo(Grant o) {
            return toString().compareTo(o.toString());
        }
    }

    /** Readers outside the channels: plain consumers a service builds itself. */
    static final Map<String, List<Topic>> DIRECT_READERS = Map.of(
            "intake-service", List.of(Topic.ATHLETE_ACTIVITY, Topic.TOKEN_REVOCATIONS),
            "load-monitor-service", List.of(Topic.TOKEN_REVOCATIONS),
            "plan-service", List.of(Topic.TOKEN_REVOCATIONS));

    /**
     * Issue 14: a service whose consumer is a Kafka Streams app, named by the property holding its application.id.
     * Streams reads with the consumer group {@code <application.id>}, keeps its stores in changelog topics named
     * {@code <application.id>-<store>-changelog} (k8s/base/kafka/load-monitor-topics.yaml) and, with exactly_once_v2,
     * writes in transactions whose ids start with the application.id.
     */
    static final Map<String, String> STREAMS_APPLICATION_ID_PROPERTY = Map.of(
            "load-monitor-service", "strideback.load-monitor.streams.application-id");

    /** The load monitor's own settings topic (MonitorTopology.SETTINGS_TOPIC): its API writes it, its topology reads it. */
    static final String LOAD_MONITOR_SETTINGS_TOPIC = "strideback.load-monitor-settings.v1";
    /** Where its topology parks a settings record it cannot take (MonitorTopology.SETTINGS_DEAD_LETTERS). */
    static final String LOAD_MONITOR_SETTINGS_DEAD_LETTERS = LOAD_MONITOR_SETTINGS_TOPIC + ".dlq";

    /**
     * What a Streams app reads and parks beyond the contract topics it writes: its sources (the MonitorTopology
     * sources) and the DLQ its processor parks unreadable records on.
     */
    static final Map<String, List<String>> STREAMS_SOURCES = Map.of(
            "load-monitor-service", List.of(Topic.ATHLETE_ACTIVITY.topicName(), Topic.PLAN_EVENTS.topicName(),
                    LOAD_MONITOR_SETTINGS_TOPIC));
    static final Map<String, List<String>> STREAMS_DEAD_LETTERS = Map.of(
            "load-monitor-service", List.of(Topic.ATHLETE_ACTIVITY.deadLetterTopicName(),
                    Topic.PLAN_EVENTS.deadLetterTopicName(), LOAD_MONITOR_SETTINGS_DEAD_LETTERS));
    /** Topics a service owns outside the contract and writes itself. */
    static final Map<String, List<String>> OWN_TOPICS = Map.of(
            "load-monitor-service", List.of(LOAD_MONITOR_SETTINGS_TOPIC));

    /** The application.id of the service's Kafka Streams app, or null when it has none. */
    static String streamsApplicationId(String service) {
        String property = STREAMS_APPLICATION_ID_PROPERTY.get(service);
        return property == null ? null : ServiceConfig.of(service).get(property);
    }

    static AccessPlan expected() {
        Set<Grant> out = new TreeSet<>();
        for (String service : Repo.SERVICES) {
            for (Topic t : Topic.values()) {
                if (t.writer().equals(service)) {
                    out.add(new Grant(service, "WRITE", t.topicName()));
                }
            }
            List<Topic> consumed = TopicPlan.consumedBy(service);
            for (Topic t : consumed) {
                out.add(new Grant(service, "READ", t.topicName()));
                out.add(new Grant(service, "WRITE", t.deadLetterTopicName()));
            }
            DIRECT_READERS.get(service).forEach(t -> out.add(new Grant(service, "READ", t.topicName())));
            // Round 19: the service that parks unreadable revocations (RevocationList) writes their DLQ.
            if ("true".equals(ServiceConfig.of(service).get("strideback.revocations.park-unreadable"))) {
                out.add(new Grant(service, "WRITE", Topic.TOKEN_REVOCATIONS.deadLetterTopicName()));
            }
            if (!consumed.isEmpty()) {
                out.add(new Grant(service, "GROUP", service));
            }
            OWN_TOPICS.getOrDefault(service, List.of()).forEach(t -> out.add(new Grant(service, "WRITE", t)));
            String applicationId = streamsApplicationId(service);
            if (applicationId != null) {
                STREAMS_SOURCES.get(service).forEach(t -> out.add(new Grant(service, "READ", t)));
                STREAMS_DEAD_LETTERS.get(service).forEach(t -> out.add(new Grant(service, "WRITE", t)));
                out.add(new Grant(service, "GROUP", applicationId));
                out.add(new Grant(service, "INTERNAL", applicationId + "-"));
                out.add(new Grant(service, "TRANSACTIONS", applicationId));
            }
        }
        return new AccessPlan(out);
    }

    private static final Pattern SCRIPT = Pattern.compile("(?m)^(writes|reads|groups|internal|transactions) (\\S+) (\\S+)\\s*$");

    /** What compose/create-topics.sh grants. */
    static AccessPlan fromComposeScript() {
        Set<Grant> out = new TreeSet<>();
        Matcher m = SCRIPT.matcher(Repo.read("compose/create-topics.sh"));
        while (m.find()) {
            String op = switch (m.group(1)) {
                case "writes" -> "WRITE";
                case "reads" -> "READ";
                case "internal" -> "INTERNAL";
                case "transactions" -> "TRANSACTIONS";
                default -> "GROUP";
            };
            out.add(new Grant(m.group(2), op, m.group(3)));
        }
        return new AccessPlan(out);
    }

    /** What the KafkaUsers grant (Write or Read on a literal topic, Read on a prefixed group). */
    static AccessPlan fromKafkaUsers(List<io.strimzi.api.kafka.model.user.KafkaUser> users) {
        Set<Grant> out = new TreeSet<>();
        for (var user : users) {
            var authorization = (io.strimzi.api.kafka.model.user.KafkaUserAuthorizationSimple) user.getSpec().getAuthorization();
            for (var acl : authorization.getAcls()) {
                var ops = acl.getOperations().stream().map(Enum::name).toList();
                String name = user.getMetadata().getName();
                if (acl.getResource() instanceof io.strimzi.api.kafka.model.user.acl.AclRuleTopicResource t
                        && "prefix".equalsIgnoreCase(t.getPatternType().toValue())) {
                    // Only a Streams app's own internal topics (changelogs) are granted by prefix, to read and write.
                    String applicationId = streamsApplicationId(name);
                    if (applicationId == null || !t.getName().equals(applicationId + "-")) {
                        throw new AssertionError(name + ": a prefixed topic ACL on " + t.getName()
                                + " is more than its Streams app's internal topics");
                    }
                    if (!new TreeSet<>(ops).equals(new TreeSet<>(List.of("READ", "WRITE", "DESCRIBE")))) {
                        throw new AssertionError(name + ": its internal topics need Read, Write and Describe, not " + ops);
                    }
                    out.add(new Grant(name, "INTERNAL", t.getName()));
                } else if (acl.getResource() instanceof io.strimzi.api.kafka.model.user.acl.AclRuleTopicResource t) {
                    if (!"literal".equalsIgnoreCase(t.getPatternType().toValue())) {
                        throw new AssertionError(name + ": topic ACLs must be literal, not " + t.getPatternType());
                    }
                    for (String op : ops) {
                        if (op.equals("WRITE") || op.equals("READ")) {
                            out.add(new Grant(name, op, t.getName()));
                        } else if (!op.equals("DESCRIBE")) {
                            throw new AssertionError(name + " may " + op + " " + t.getName());
                        }
                    }
                } else if (acl.getResource() instanceof io.strimzi.api.kafka.model.user.acl.AclRuleGroupResource g) {
                    if (!ops.equals(List.of("READ"))) {
                        throw new AssertionError(name + ": a consumer group needs Read only, not " + ops);
                    }
                    out.add(new Grant(name, "GROUP", g.getName()));
                } else if (acl.getResource() instanceof io.strimzi.api.kafka.model.user.acl.AclRuleTransactionalIdResource x) {
                    // exactly_once_v2: the Streams app's producers' transactional ids start with its application.id.
                    if (!"prefix".equalsIgnoreCase(x.getPatternType().toValue())
                            || !new TreeSet<>(ops).equals(new TreeSet<>(List.of("WRITE", "DESCRIBE")))) {
                        throw new AssertionError(name + ": transactions need Write and Describe on a prefix, not "
                                + ops + " on " + x.getPatternType());
                    }
                    out.add(new Grant(name, "TRANSACTIONS", x.getName()));
                } else {
                    throw new AssertionError(name + ": an ACL on " + acl.getResource().getType() + " is more than a service needs");
                }
            }
        }
        return new AccessPlan(out);
    }
}
