package io.strideback.deploy;

import io.strideback.events.Topic;
import io.strimzi.api.kafka.model.topic.KafkaTopic;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Partitions and retention per topic, as Kubernetes (KafkaTopic) and compose (create-topics.sh) declare them. */
record TopicPlan(int partitions, long retentionMs) {

    static Map<String, TopicPlan> fromKafkaTopics(List<KafkaTopic> topics) {
        Map<String, TopicPlan> out = new LinkedHashMap<>();
        for (KafkaTopic t : topics) {
            String name = t.getSpec().getTopicName() == null ? t.getMetadata().getName() : t.getSpec().getTopicName();
            Object retention = t.getSpec().getConfig() == null ? null : t.getSpec().getConfig().get("retention.ms");
            out.put(name, new TopicPlan(t.getSpec().getPartitions(),
                    retention == null ? 604_800_000L : Long.parseLong(retention.toString())));
        }
        return out;
    }

    private static final Pattern CREATE = Pattern.compile("(?m)^create (\\S+) (\\d+) (-?\\d+)\\s*$");

    static Map<String, TopicPlan> fromComposeScript() {
        Map<String, TopicPlan> out = new LinkedHashMap<>();
        Matcher m = CREATE.matcher(Repo.read("compose/create-topics.sh"));
        while (m.find()) {
            out.put(m.group(1), new TopicPlan(Integer.parseInt(m.group(2)), Long.parseLong(m.group(3))));
        }
        return out;
    }

    private static final Pattern COMPACTED = Pattern.compile("(?m)^compacted (\\S+) (\\d+)\\s*$");

    /** Issue 14: the load monitor's compacted topics compose creates (kept forever: retention -1). */
    static Map<String, TopicPlan> compactedFromComposeScript() {
        Map<String, TopicPlan> out = new LinkedHashMap<>();
        Matcher m = COMPACTED.matcher(Repo.read("compose/create-topics.sh"));
        while (m.find()) {
            out.put(m.group(1), new TopicPlan(Integer.parseInt(m.group(2)), -1L));
        }
        return out;
    }

    /**
     * The topics each service's consumer channels read, from its configuration
     * ({@code mp.messaging.incoming.<channel>.topic=...} in application.properties).
     */
    static List<Topic> consumedBy(String service) {
        Pattern incoming = Pattern.compile("(?m)^mp\\.messaging\\.incoming\\.[^.=]+\\.topic=(\\S+)\\s*$");
        return incoming.matcher(Repo.read(service + "/src/main/resources/application.properties")).results()
                .map(r -> java.util.Arrays.stream(Topic.values()).filter(t -> t.topicName().equals(r.group(1)))
                        .findFirst().orElseThrow(() -> new AssertionError(service + " reads " + r.group(1)
                                + ", which is not a topic of the contract")))
                .distinct().toList();
    }
}
