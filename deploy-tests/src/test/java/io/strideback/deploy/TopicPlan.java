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

    /** The topics each service's consumer loops read, from its code ({@code loops.start(name, group, List.of(Topic.X), ...)}). */
    static List<Topic> consumedBy(String service) {
        Pattern start = Pattern.compile("\\.start\\(\\s*\"[^\"]+\",\\s*[^,]+,\\s*(?:java\\.util\\.)?List\\.of\\(([^)]*)\\)");
        Pattern topic = Pattern.compile("Topic\\.([A-Z_]+)");
        return Repo.mainSources(service).values().stream()
                .flatMap(src -> start.matcher(src).results().map(r -> r.group(1)))
                .flatMap(list -> topic.matcher(list).results().map(r -> Topic.valueOf(r.group(1))))
                .distinct().toList();
    }
}
