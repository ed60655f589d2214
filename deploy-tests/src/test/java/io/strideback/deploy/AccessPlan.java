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

    /** {@code operation}: WRITE or READ on a topic, GROUP on a consumer-group prefix. */
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
            if (!consumed.isEmpty()) {
                out.add(new Grant(service, "GROUP", service));
            }
        }
        return new AccessPlan(out);
    }

    private static final Pattern SCRIPT = Pattern.compile("(?m)^(writes|reads|groups) (\\S+) (\\S+)\\s*$");

    /** What compose/create-topics.sh grants. */
    static AccessPlan fromComposeScript() {
        Set<Grant> out = new TreeSet<>();
        Matcher m = SCRIPT.matcher(Repo.read("compose/create-topics.sh"));
        while (m.find()) {
            String op = switch (m.group(1)) {
                case "writes" -> "WRITE";
                case "reads" -> "READ";
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
                if (acl.getResource() instanceof io.strimzi.api.kafka.model.user.acl.AclRuleTopicResource t) {
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
                } else {
                    throw new AssertionError(name + ": an ACL on " + acl.getResource().getType() + " is more than a service needs");
                }
            }
        }
        return new AccessPlan(out);
    }
}
