package io.strideback.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.strideback.testing.PlatformStack;
import io.strideback.tools.ApiClient;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.MemberDescription;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole platform for black-box tests ({@link PlatformStack}: a real broker and PostgreSQL, the
 * three packaged services as processes), with this tier's logs under e2e-tests/target/e2e-logs and
 * a public-API client per clinic and role.
 */
public final class Stack {

    public static final List<String> SERVICES = PlatformStack.SERVICES;

    private static Stack instance;

    private final PlatformStack platform;

    private Stack(PlatformStack platform) {
        this.platform = platform;
    }

    public static synchronized Stack get() {
        if (instance == null) {
            instance = new Stack(PlatformStack.get("e2e-tests/target/e2e-logs"));
        }
        return instance;
    }

    public String url(String service) {
        return platform.url(service);
    }

    /** The service's management interface (issue 16: /q/metrics is served only there). */
    public String managementUrl(String service) {
        return platform.managementUrl(service);
    }

    /** Where the services of this stack write their logs. */
    public java.nio.file.Path logs() {
        return platform.logs();
    }

    public String kafkaBootstrap() {
        return platform.kafkaBootstrap();
    }

    public ApiClient client(String clinicId, String role) {
        return ApiClient.forClinic(url("intake-service"), url("load-monitor-service"), url("plan-service"), clinicId, role);
    }

    /** kill -9 and start again: what a crash looks like to the rest of the platform. */
    public void crashAndRestart(String service) {
        platform.crashAndRestart(service);
    }

    /** The platform itself: replicas ({@link PlatformStack#scaleTo}), kill -9 of one, restart. */
    public PlatformStack platform() {
        return platform;
    }

    /** A client that posts to, and reads from, the given replica of each service. */
    public ApiClient client(String clinicId, String role, int intakeReplica, int loadMonitorReplica, int planReplica) {
        return ApiClient.forClinic(platform.url("intake-service", intakeReplica),
                platform.url("load-monitor-service", loadMonitorReplica), platform.url("plan-service", planReplica),
                clinicId, role);
    }

    /** Members of a load-monitor consumer group that own at least one partition (either design's group). */
    public int loadMonitorMembersWithPartitions() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap()))) {
            List<String> groups = admin.listConsumerGroups().all().get().stream().map(ConsumerGroupListing::groupId)
                    .filter(g -> g.contains("load-monitor")).toList();
            int most = 0;
            for (ConsumerGroupDescription group : admin.describeConsumerGroups(groups).all().get().values()) {
                int owning = 0;
                for (MemberDescription m : group.members()) {
                    if (!m.assignment().topicPartitions().isEmpty()) {
                        owning++;
                    }
                }
                most = Math.max(most, owning);
            }
            return most;
        }
    }

    /**
     * Back to one replica of each service, returned only once the remaining load monitor owns every partition in a
     * stable group: the stopped replica leaves its group on close (MonitorStreams), and the rebalance after it still
     * takes a few seconds, in which a test's reads of the athletes it held would answer 503 (a CI run after
     * {@code TimersAcrossReplicasIT}: TokenBoundsIT's settings PUT). A replica that was killed (kill -9) and not
     * restarted would hold its partitions until its session timed out (45 s), hence the long bound.
     */
    public void scaleBackToOne() {
        platform().scaleTo(1);
        org.awaitility.Awaitility.await("one load monitor owns every partition of a stable group")
                .atMost(java.time.Duration.ofSeconds(120)).pollInterval(java.time.Duration.ofMillis(500))
                .until(() -> oneMemberInEachGroup("load-monitor"));
    }

    /**
     * True when every consumer group whose id contains {@code groupIdPart} and has members has exactly one, in a stable
     * group, and there is at least one such group: after the other replicas stopped, the one left owns every partition.
     */
    public boolean oneMemberInEachGroup(String groupIdPart) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap()))) {
            List<String> groups = admin.listConsumerGroups().all().get().stream().map(ConsumerGroupListing::groupId)
                    .filter(g -> g.contains(groupIdPart)).toList();
            boolean owned = false;
            for (ConsumerGroupDescription group : admin.describeConsumerGroups(groups).all().get().values()) {
                if (group.members().isEmpty()) {
                    continue; // a group nobody reads now (a test's reader, long gone)
                }
                if (group.members().size() > 1 || group.groupState() != org.apache.kafka.common.GroupState.STABLE) {
                    return false;
                }
                owned = true;
            }
            return owned;
        }
    }

    /** Posts one batch to intake; every item must be accepted (the whole batch is retried while intake answers 503). */
    public static void postBatch(ApiClient intake, List<Map<String, Object>> items) {
        ApiClient.Answer a = null;
        for (int attempt = 0; attempt < 20 && (a == null || a.status() == 503); attempt++) {
            a = intake.postIntake("/api/v1/events/batch", Map.of("items", items));
        }
        assertThat(a.status()).as("batch: " + a.body()).isEqualTo(200);
        for (JsonNode result : a.body().path("results")) {
            assertThat(result.path("status").asInt()).as("batch item: " + result).isEqualTo(202);
        }
    }
}
