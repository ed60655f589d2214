package io.strideback.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.strideback.events.EventCodec;
import io.strideback.events.Topic;
import io.strideback.testing.Tokens;
import io.strideback.tools.ApiClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * CONTRACT v2 erasure by crypto-shredding (issue 16 item 3) on the packaged services and a real broker. A clinic
 * enrols two athletes; the first posts a run from a wearable (a source id), a symptom with a note and a red flag, and
 * an assessment with a note, all with distinctive strings; plan-service shows the name (opened by intake) and the
 * notes in the FHIR export, the load monitor its findings. The clinic-admin erases the first athlete: within seconds
 * every service answers 404 for them and posts 404/410, {@code athlete.erased} is on the activity topic and the audit
 * log shows who erased whom; a raw read of EVERY topic of the broker (DLQs, the load monitor's changelogs, plan
 * events, internal topics) finds none of the distinctive strings in a key, a value or a header; the second athlete
 * still shows their name. A clinician's own words (a referral clearance's and a phase change's reason) are read back
 * through the API before the erasure and are found on no topic and in no answer after it.
 */
class ErasureIT {

    private final Stack stack = Stack.get();

    @Test
    void an_erased_athlete_is_404_everywhere_and_no_topic_holds_their_personal_data() throws Exception {
        String clinic = "clinic-" + UUID.randomUUID();
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String name = "Zebulon Quillfeather-" + tag;
        String note = "Knot behind the knee after Ravensworth hill " + tag;
        String assessmentNote = "Calf raises wobbly on the left " + tag;
        String externalId = "garmin-activity-" + tag + "-918273";
        String keptName = "Bertha Keepname-" + tag;
        // A clinician's own words about the athlete are personal data too (sealed by intake for plan-service).
        String clearanceWords = "seen by Dr Vantongeren at the Ashdown clinic, no DVT " + tag;
        String phaseWords = "pain came back after the Hollingbrook wedding " + tag;
        List<String> distinctive = List.of(name, "Quillfeather-" + tag, note, assessmentNote, externalId, keptName,
                "Vantongeren at the Ashdown clinic", "Hollingbrook wedding", clearanceWords, phaseWords);

        ApiClient clinician = stack.client(clinic, "clinician");
        ApiClient admin = stack.client(clinic, "clinic-admin");
        String erased = enrol(clinician, name);
        String kept = enrol(clinician, keptName);
        String athlete = "/api/v1/athletes/" + erased;
        Instant at = Instant.now().minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS);
        assertThat(clinician.postIntake(athlete + "/sessions", Map.of("type", "RUN", "startedAt", at.toString(),
                "durationMin", 30, "rpe", 4, "run", Map.of("distanceKm", 4.0, "intensity", "EASY"),
                "source", Map.of("kind", "WEARABLE", "provider", "garmin", "externalId", externalId))).status())
                .isEqualTo(202);
        assertThat(clinician.postIntake(athlete + "/symptoms", Map.of("observedAt", at.plusSeconds(3600).toString(),
                "pain", 6, "side", "LEFT", "location", "MID_CALF", "character", List.of("TIGHTNESS"),
                "context", "AFTER_RUN", "redFlags", List.of("SWELLING"), "note", note)).status()).isEqualTo(202);
        assertThat(clinician.postIntake(athlete + "/assessments", Map.of("recordedAt", at.plusSeconds(7200).toString(),
                "singleLegCalfRaises", Map.of("left", 12, "right", 25), "note", assessmentNote)).status()).isEqualTo(202);

        // Shown while the athlete is there: the name opened by intake for plan-service, the notes in the export.
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            assertThat(clinician.getPlan(athlete + "/plan").body().path("displayName").asText(null)).isEqualTo(name);
            String fhir = fhir(clinic, erased).body();
            assertThat(fhir).contains(name).contains(note).contains(assessmentNote);
            assertThat(clinician.getLoadMonitor(athlete + "/flare-ups").body().path("episodes").size()).isPositive();
            assertThat(clinician.getPlan("/api/v1/athletes/" + kept + "/plan").body().path("displayName").asText(null))
                    .isEqualTo(keptName);
        });

        // The red flag's referral cleared and the phase confirmed, each with words a clinician wrote about the athlete:
        // readable through the API while the athlete is there.
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(clinician.getPlan(athlete + "/plan").body()
                .path("flags").path("urgentReferral").asBoolean()).as("the red flag's urgent referral").isTrue());
        assertThat(clinician.postPlan(athlete + "/plan/referral/clear", Map.of("reason", clearanceWords)).status())
                .isEqualTo(200);
        String phase = clinician.getPlan(athlete + "/plan").body().path("phase").asText();
        assertThat(clinician.postPlan(athlete + "/plan/phase", Map.of("phase", phase, "reason", phaseWords)).status())
                .isEqualTo(200);
        assertThat(clinician.getPlan(athlete + "/plan/history").body().path("events").findValuesAsText("reason"))
                .anyMatch(r -> r.contains(clearanceWords)).anyMatch(r -> r.contains(phaseWords));
        assertThat(fhir(clinic, erased).body()).contains(clearanceWords);

        assertThat(clinician.send("DELETE", stack.url("intake-service") + athlete, null, null).status())
                .as("a clinician may not erase").isEqualTo(403);
        ApiClient.Answer erasure = admin.send("DELETE", stack.url("intake-service") + athlete, null, null);
        assertThat(erasure.status()).isEqualTo(202);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (String path : List.of("/plan", "/plan/history", "/fhir")) {
                assertThat(clinician.getPlan(athlete + path).status()).as("plan-service %s", path).isEqualTo(404);
            }
            for (String path : List.of("/flare-ups", "/load", "/patterns", "/timeline")) {
                assertThat(clinician.getLoadMonitor(athlete + path).status()).as("load monitor %s", path).isEqualTo(404);
            }
        });
        assertThat(clinician.postIntake(athlete + "/symptoms", Map.of("observedAt", Instant.now().toString(), "pain", 2,
                "side", "LEFT", "location", "MID_CALF", "character", List.of("ACHE"), "context", "AT_REST",
                "redFlags", List.of())).status()).as("a post to intake").isIn(404, 410);
        assertThat(clinician.postPlan(athlete + "/plan/phase", Map.of("phase", "RESTORE_CAPACITY", "reason", "ok"))
                .status()).as("a post to plan-service").isIn(404, 410);
        assertThat(HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(stack.url("plan-service") + "/me/" + erased)).GET().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode()).as("the runner's page").isEqualTo(404);
        assertThat(clinician.getPlan("/api/v1/athletes").body().path("athletes").findValuesAsText("athleteId"))
                .doesNotContain(erased).contains(kept);

        List<ConsumerRecord<String, byte[]>> activity = Topics.read(stack.kafkaBootstrap(), Topic.ATHLETE_ACTIVITY.topicName(),
                clinic, found -> found.stream().anyMatch(r -> "athlete.erased".equals(EventCodec.header(r.headers(), EventCodec.TYPE))));
        ConsumerRecord<String, byte[]> erasedEvent = activity.stream()
                .filter(r -> "athlete.erased".equals(EventCodec.header(r.headers(), EventCodec.TYPE))).findFirst().orElseThrow();
        assertThat(erasedEvent.key()).isEqualTo(clinic + "/" + erased);

        JsonNode audit = await().atMost(Duration.ofSeconds(60)).until(() -> admin.getPlan("/api/v1/audit").body(),
                b -> b != null && b.path("entries").findValuesAsText("what").contains("athlete.erased"));
        JsonNode entry = null;
        for (JsonNode e : audit.path("entries")) {
            if ("athlete.erased".equals(e.path("what").asText())) {
                entry = e;
            }
        }
        assertThat(entry).isNotNull();
        assertThat(entry.path("who").asText()).isEqualTo(Tokens.claim(Tokens.issue(clinic, "clinic-admin"), "sub"));
        assertThat(entry.path("target").asText()).isEqualTo("athlete/" + erased);
        assertThat(entry.toString()).doesNotContain(name).doesNotContain(note);
        for (String s : distinctive) {
            assertThat(audit.toString()).as("the audit log").doesNotContain(s);
        }

        // The other athlete of the clinic is untouched, their name still opened. The FHIR record is written by
        // another consumer group than the plan awaited above: awaited too, not read once.
        assertThat(clinician.getPlan("/api/v1/athletes/" + kept + "/plan").body().path("displayName").asText(null))
                .isEqualTo(keptName);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(fhir(clinic, kept).body()).contains(keptName));

        Map<String, Integer> scanned = new java.util.TreeMap<>();
        List<String> found = scanEveryTopic(distinctive, scanned);
        assertThat(scanned).as("topics read").containsKeys(Topic.ATHLETE_ACTIVITY.topicName(), Topic.PLAN_EVENTS.topicName(),
                Topic.LOAD_FINDINGS.topicName());
        assertThat(scanned.keySet()).as("the load monitor's changelogs are read too").anyMatch(t -> t.endsWith("-changelog"));
        assertThat(found).as("readable personal data on the broker").isEmpty();
    }

    private static String enrol(ApiClient clinician, String displayName) {
        ApiClient.Answer enrolled = clinician.postIntake("/api/v1/athletes", Map.of("displayName", displayName,
                "diagnosis", "CALF_STRAIN_GASTROCNEMIUS", "side", "LEFT",
                "injuryDate", LocalDate.now(ZoneOffset.UTC).minusDays(30).toString()));
        assertThat(enrolled.status()).isEqualTo(201);
        return enrolled.body().get("athleteId").asText();
    }

    private HttpResponse<String> fhir(String clinic, String athleteId) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(stack.url("plan-service") + "/api/v1/athletes/" + athleteId + "/fhir"))
                .header("Authorization", "Bearer " + Tokens.issue(clinic, "clinician"))
                .header("Accept", "application/fhir+json").GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Every record of every topic on the broker (internal ones too), from the start to the end offsets of now,
     * committed or not: where a distinctive string is found, in a key, a value or a header.
     */
    private List<String> scanEveryTopic(List<String> distinctive, Map<String, Integer> scanned) throws Exception {
        Set<String> topics;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap()))) {
            topics = new TreeSet<>(admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get());
        }
        List<String> found = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            for (String topic : topics) {
                List<TopicPartition> partitions = new ArrayList<>();
                for (PartitionInfo p : consumer.partitionsFor(topic)) {
                    partitions.add(new TopicPartition(topic, p.partition()));
                }
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
                int records = 0;
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                    assertThat(System.nanoTime()).as("read %s to its end within 60 s", topic).isLessThan(deadline);
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                        records++;
                        String where = topic + "-" + r.partition() + "@" + r.offset();
                        check(found, distinctive, where + " key", r.key());
                        check(found, distinctive, where + " value", r.value());
                        for (Header h : r.headers()) {
                            check(found, distinctive, where + " header " + h.key(), h.value());
                        }
                    }
                }
                scanned.put(topic, records);
            }
        }
        return found;
    }

    private static void check(List<String> found, List<String> distinctive, String where, byte[] bytes) {
        if (bytes == null) {
            return;
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        for (String s : distinctive) {
            if (text.contains(s)) {
                found.add(where + " holds \"" + s + "\"");
            }
        }
    }
}
