package io.strideback.plan.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.strideback.plan.domain.*;
import io.strideback.plan.service.PlanTransaction.Outcome;
import io.strideback.support.outbox.OutboxRelay;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The plan use cases. Optimistic concurrency: a command that lost the race to another writer of
 * the same plan is decided again on the new history, never lost.
 */
@ApplicationScoped
public class PlanService {

    private static final int ATTEMPTS = 10;

    @Inject
    PlanTransaction transaction;
    @Inject
    PlanRebuild rebuild;
    @Inject
    OutboxRelay relay;
    @Inject
    MeterRegistry metrics;
    @Inject
    PlanSnapshots snapshots;

    public Outcome execute(String clinicId, String athleteId, BiFunction<RehabPlan, ClinicPolicy, PlanCommand> command,
                           String messageId, Instant causeTime) {
        return execute(clinicId, athleteId, command, messageId, null, causeTime);
    }

    /** As {@link #execute(String, String, BiFunction, String, Instant)}, for a consumed record whose body digest is kept. */
    public Outcome execute(String clinicId, String athleteId, BiFunction<RehabPlan, ClinicPolicy, PlanCommand> command,
                           String messageId, byte[] bodyDigest, Instant causeTime) {
        for (int attempt = 1; ; attempt++) {
            try {
                Outcome outcome = transaction.run(clinicId, athleteId, command, messageId, bodyDigest, causeTime);
                if (!outcome.events().isEmpty()) {
                    relay.wake();
                    count(outcome, causeTime);
                }
                return outcome;
            } catch (io.strideback.plan.store.ConcurrentPlanChangeException e) {
                if (attempt >= ATTEMPTS) {
                    throw e;
                }
            } catch (SQLException e) {
                throw new IllegalStateException("plan store unavailable: " + e.getMessage(), e);
            }
        }
    }

    /**
     * A poll batch of commands in one transaction ({@link PlanTransaction#runBatch}); as {@link #execute}, a batch
     * that lost a race to another writer is decided again on the new history. The plans it committed are kept as
     * snapshots for the next batch.
     */
    public PlanTransaction.BatchResult executeBatch(List<PlanTransaction.Command> commands) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                PlanTransaction.BatchResult result = transaction.runBatch(commands, snapshots);
                result.plans().forEach(snapshots::put);
                boolean published = false;
                for (int i = 0; i < commands.size(); i++) {
                    Outcome outcome = result.outcomes().get(i);
                    if (outcome != null && !outcome.events().isEmpty()) {
                        published = true;
                        count(outcome, commands.get(i).causeTime());
                    }
                }
                if (published) {
                    relay.wake();
                }
                return result;
            } catch (io.strideback.plan.store.ConcurrentPlanChangeException e) {
                if (attempt >= ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /** Rebuilds the plan projection from the event store (a stream, see {@link PlanRebuild}); how many plans it holds. */
    public int rebuildAll() {
        try {
            return rebuild.rebuildAll().plans();
        } catch (SQLException e) {
            throw new IllegalStateException("plan store unavailable: " + e.getMessage(), e);
        }
    }

    private void count(Outcome outcome, Instant causeTime) {
        for (PlanEvent e : outcome.events()) {
            if (e instanceof AdjustmentApplied a) {
                metrics.counter("strideback.plan.adjustments", "type", a.adjustment().type().name(), "status",
                        "APPLIED").increment();
            } else if (e instanceof AdjustmentPending a) {
                metrics.counter("strideback.plan.adjustments", "type", a.adjustment().type().name(), "status",
                        "PENDING").increment();
            } else if (e instanceof AdjustmentWithdrawn a) {
                metrics.counter("strideback.plan.adjustments", "type", a.type().name(), "status",
                        "WITHDRAWN").increment();
            } else if (e instanceof AdjustmentRejected) {
                metrics.counter("strideback.plan.adjustments.rejected").increment();
            }
        }
        if (causeTime != null) {
            metrics.timer("strideback.pipeline.delay").record(Duration.between(causeTime, Instant.now()));
        }
    }
}
