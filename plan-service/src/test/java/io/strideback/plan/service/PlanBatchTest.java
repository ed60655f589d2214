package io.strideback.plan.service;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.strideback.events.vocabulary.AdjustmentType;
import io.strideback.events.vocabulary.Diagnosis;
import io.strideback.events.vocabulary.PatternKind;
import io.strideback.events.vocabulary.Side;
import io.strideback.plan.domain.Adjustment;
import io.strideback.plan.domain.ApplyAdjustment;
import io.strideback.plan.domain.CreatePlan;
import io.strideback.plan.domain.RehabPlan;
import io.strideback.plan.store.PlanEventStore;
import io.strideback.plan.store.PlanEventStore.PlanKey;
import io.strideback.support.messaging.ConsumerChannels;
import io.strideback.testing.KafkaResource;
import io.strideback.testing.LocalKeysResource;
import io.strideback.testing.PostgresResource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Issue 15 item 2, {@link PlanService#executeBatch} on a real PostgreSQL: a batch commits all or nothing (a command
 * that fails for its own reason is named by its index, nothing of the batch is stored, not even the message ids);
 * a message id seen before, or twice in one batch, is applied once; a plan changed outside the batch after its
 * snapshot was cached is read from the store, not from the stale snapshot.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "plan"))
@QuarkusTestResource(LocalKeysResource.class)
class PlanBatchTest {

    private static final Instant AT = Instant.now().minusSeconds(3600);

    @Inject
    PlanService plans;
    @Inject
    PlanEventStore store;
    @Inject
    PlanSnapshots snapshots;

    @Test
    void a_batch_commits_all_or_nothing_applies_each_message_once_and_never_trusts_a_stale_snapshot() throws Exception {
        String clinic = "clinic-" + UUID.randomUUID();
        String athlete = "runner-1";
        plans.execute(clinic, athlete, (plan, policy) -> new CreatePlan(athlete, clinic, Diagnosis.CALF_STRAIN_SOLEUS,
                Side.LEFT, LocalDate.now().minusDays(20), 10.0, AT, "UTC"), "enrol-" + UUID.randomUUID(), null);
        assertThat(history(clinic, athlete)).isEqualTo(1);

        PlanTransaction.Command first = cap(clinic, athlete, 1.9);
        PlanTransaction.Command second = cap(clinic, athlete, 1.7);
        PlanTransaction.Command poison = new PlanTransaction.Command(clinic, athlete, (plan, policy) -> {
            throw new IllegalArgumentException("a proposal this code cannot decide");
        }, "poison-" + UUID.randomUUID(), AT, null);

        // Given a batch with a command that fails for its own reason, when it runs, then it is named and nothing commits.
        Throwable failure = catchThrowable(() -> plans.executeBatch(List.of(first, poison, second)));
        assertThat(failure).isInstanceOf(ConsumerChannels.RecordRefused.class);
        assertThat(((ConsumerChannels.RecordRefused) failure).index()).isEqualTo(1);
        assertThat(history(clinic, athlete)).as("nothing of the refused batch is stored").isEqualTo(1);

        // When the batch runs again without it, with the first message twice, then each message applies once.
        PlanTransaction.BatchResult result = plans.executeBatch(List.of(first, first, second));
        assertThat(result.outcomes().get(0).events()).hasSize(1);
        assertThat(result.outcomes().get(1).duplicate()).isTrue();
        assertThat(result.outcomes().get(2).events()).hasSize(1);
        assertThat(history(clinic, athlete)).isEqualTo(3);
        assertThat(snapshots.get(new PlanKey(clinic, athlete)).version()).isEqualTo(3);

        // When the same batch is delivered again, then nothing changes.
        PlanTransaction.BatchResult redelivered = plans.executeBatch(List.of(first, second));
        assertThat(redelivered.outcomes()).allMatch(PlanTransaction.Outcome::duplicate);
        assertThat(history(clinic, athlete)).isEqualTo(3);

        // Given the plan changed outside the batches (the API's path) after its snapshot was cached,
        // when the next batch runs, then it folds that change in before deciding.
        PlanTransaction.Command outside = cap(clinic, athlete, 1.2);
        plans.execute(clinic, athlete, outside.command(), outside.messageId(), AT);
        PlanTransaction.BatchResult after = plans.executeBatch(List.of(cap(clinic, athlete, 1.5)));
        RehabPlan plan = after.plans().get(new PlanKey(clinic, athlete));
        assertThat(plan.version()).isEqualTo(5);
        assertThat(plan.constraints().maxDistanceKm()).as("the outside cap of 1.2 km still holds").isEqualTo(1.2);
        assertThat(history(clinic, athlete)).isEqualTo(5);
    }

    private static PlanTransaction.Command cap(String clinic, String athlete, double km) {
        String id = "cap-" + UUID.randomUUID();
        Adjustment adjustment = new Adjustment(id, AdjustmentType.CAP_RUN_DISTANCE, PatternKind.RUNNING_TRIGGERED_DISTANCE,
                "running-triggered-distance", Map.of("maxDistanceKm", km), List.of(), "Flare-ups followed long runs.", AT);
        return new PlanTransaction.Command(clinic, athlete, (plan, policy) -> new ApplyAdjustment(adjustment, policy, AT),
                "msg-" + id, AT, null);
    }

    private int history(String clinic, String athlete) {
        return store.load(clinic, athlete, null).size();
    }
}
