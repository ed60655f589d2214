package io.strideback.plan.service;

import io.agroal.api.AgroalDataSource;
import io.strideback.events.EventEnvelope;
import io.strideback.plan.domain.*;
import io.strideback.plan.mapping.PlanEventMapping;
import io.strideback.plan.mapping.PlanView;
import io.strideback.plan.store.PlanEventStore;
import io.strideback.plan.store.PlanProjection;
import io.strideback.plan.store.PlanSideTables;
import io.strideback.plan.store.ReusedMessageIdException;
import io.strideback.events.EventCodec;
import io.strideback.plan.store.ConcurrentPlanChangeException;
import io.strideback.plan.store.PlanEventStore.PlanKey;
import io.strideback.support.messaging.ConsumerChannels;
import io.strideback.support.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * One command against one plan in one database transaction: the consumed message id, the new
 * events, the read models and the outbox rows commit together or not at all.
 */
@ApplicationScoped
public class PlanTransaction {

    /** What a command did: the plan after it and the events it appended (empty for a no-op). */
    public record Outcome(RehabPlan plan, List<PlanEvent> events, boolean duplicate, boolean deferred) {
    }

    @Inject
    AgroalDataSource dataSource;
    @Inject
    PlanEventStore store;
    @Inject
    PlanProjection projection;
    @Inject
    PlanSideTables side;
    @Inject
    io.strideback.plan.audit.AuditLog audit;

    /** Rolled back on any failure, checked ones too: the message id never commits without its effect. */
    @Transactional(rollbackOn = Exception.class)
    public Outcome run(String clinicId, String athleteId, BiFunction<RehabPlan, ClinicPolicy, PlanCommand> command,
                       String messageId, Instant causeTime) throws SQLException {
        return run(clinicId, athleteId, command, messageId, null, causeTime);
    }

    /**
     * As {@link #run(String, String, BiFunction, String, Instant)}, for a consumed record: {@code bodyDigest} is kept
     * with its message id, and a record under a taken id with another body throws {@link ReusedMessageIdException}
     * (round 17; a redelivery, the same body, stays a quiet duplicate).
     */
    @Transactional(rollbackOn = Exception.class)
    public Outcome run(String clinicId, String athleteId, BiFunction<RehabPlan, ClinicPolicy, PlanCommand> command,
                       String messageId, byte[] bodyDigest, Instant causeTime) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            // One transaction per plan at a time: the two channels (and the API) otherwise race, and
            // a proposal deferred while its plan's creation commits would never be taken up.
            try (var lock = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))")) {
                lock.setString(1, clinicId + "/" + athleteId);
                lock.execute();
            }
            if (io.strideback.plan.erasure.AthleteErasure.isErased(c, clinicId, athleteId)) {
                // CONTRACT v2 erasure: a late event or a replay never makes the athlete again; a request is 404.
                if (messageId == null) {
                    throw new PlanNotFoundException(athleteId);
                }
                return new Outcome(null, List.of(), false, false);
            }
            if (messageId != null && !side.markProcessed(c, messageId, bodyDigest)) {
                return new Outcome(null, List.of(), true, false);
            }
            List<PlanEventStore.StoredEvent> history = store.load(c, clinicId, athleteId, null);
            RehabPlan plan = RehabPlan.fold(history.stream().map(PlanEventStore.StoredEvent::event).toList());
            ClinicPolicy policy = side.policy(c, clinicId);
            PlanCommand cmd = command.apply(plan, policy);
            boolean exists = plan.version() > 0;
            if (!exists && cmd instanceof ApplyAdjustment apply) {
                // The proposal overtook the enrolment (two topics): it waits for the plan.
                side.defer(c, clinicId, athleteId, apply.adjustment());
                return new Outcome(plan, List.of(), false, true);
            }
            if (!exists && cmd instanceof WithdrawAdjustment withdraw) {
                // Withdrawn before the plan existed: it must not apply when the plan is made (DOMAIN.md "Convergence").
                side.undefer(c, clinicId, athleteId, withdraw.adjustmentId());
                return new Outcome(plan, List.of(), false, true);
            }
            if (!exists && !(cmd instanceof CreatePlan)) {
                throw new PlanNotFoundException(athleteId);
            }
            List<PlanEvent> events = new ArrayList<>(plan.decide(cmd));
            RehabPlan after = fold(plan, events);
            if (cmd instanceof CreatePlan) {
                for (Adjustment waiting : side.takeDeferred(c, clinicId, athleteId)) {
                    List<PlanEvent> more = after.decide(new ApplyAdjustment(waiting, policy, cmd.at()));
                    events.addAll(more);
                    after = fold(after, more);
                }
            }
            if (events.isEmpty()) {
                return new Outcome(after, events, false, false);
            }
            store.append(c, clinicId, athleteId, plan.version(), events, messageId);
            projection.save(c, PlanView.of(after));
            // Issue 16: who changed the plan is recorded with the change, in its transaction.
            for (var entry : io.strideback.plan.audit.PlanChangesAudit.entries(clinicId, athleteId, events)) {
                audit.append(c, entry);
            }
            RehabPlan step = plan;
            for (PlanEvent e : events) {
                step = step.apply(e);
                Outbox.append(c, PlanEventMapping.toPublished(e, step.version(), step, messageId, causeTime));
            }
            return new Outcome(after, events, false, false);
        }
    }

    /** One command of a poll batch: against which plan, from which message, in which trace (for its outbox rows). */
    public record Command(String clinicId, String athleteId, BiFunction<RehabPlan, ClinicPolicy, PlanCommand> command,
                          String messageId, Instant causeTime, String traceparent, byte[] bodyDigest) {

        /** A command whose record's body digest is not kept (judged by its message id alone, as before round 17). */
        public Command(String clinicId, String athleteId, BiFunction<RehabPlan, ClinicPolicy, PlanCommand> command,
                       String messageId, Instant causeTime, String traceparent) {
            this(clinicId, athleteId, command, messageId, causeTime, traceparent, null);
        }

        PlanKey key() {
            return new PlanKey(clinicId, athleteId);
        }
    }

    /**
     * What each command of a batch did ({@code outcomes}, in the commands' order; a command the plan refused by its
     * rules has {@code notApplied} instead, as {@link #run} throws it) and the plans as the batch committed them.
     */
    public record BatchResult(List<Outcome> outcomes, List<RuntimeException> notApplied, Map<PlanKey, RehabPlan> plans) {
    }

    /**
     * A poll batch of commands in one database transaction (issue 15 item 2), with {@link #run}'s rules: each plan
     * locked (in lock-id order, so two batches never deadlock), message ids checked in one query and recorded in
     * one statement, every plan's events after its cached snapshot in one query, one policy query for the batch's
     * clinics, the new events of every plan in one JDBC batch (optimistic concurrency as {@link #run}), each
     * changed plan's view once and only its changed adjustment rows, the outbox rows in one batch. Commands run in
     * the given order, so a plan's commands apply in partition order. A command whose own decision fails for a
     * reason other than the plan's rules fails the batch with {@link ConsumerChannels.RecordRefused} naming it.
     */
    @Transactional(rollbackOn = Exception.class)
    public BatchResult runBatch(List<Command> commands, PlanSnapshots snapshots) throws Exception {
        try (Connection c = dataSource.getConnection()) {
            Set<PlanKey> keys = new LinkedHashSet<>();
            Set<String> clinics = new HashSet<>();
            List<String> messageIds = new ArrayList<>();
            for (Command command : commands) {
                keys.add(command.key());
                clinics.add(command.clinicId());
                if (command.messageId() != null) {
                    messageIds.add(command.messageId());
                }
            }
            lockInOrder(c, keys);
            // CONTRACT v2 erasure: a late proposal or a replay never makes an erased athlete's plan again.
            Set<PlanKey> erased = io.strideback.plan.erasure.AthleteErasure.erasedAmong(c, keys);
            Map<String, byte[]> seen = side.processedAmong(c, messageIds);
            Map<PlanKey, RehabPlan> plans = current(c, keys, snapshots);
            Map<PlanKey, RehabPlan> before = new HashMap<>(plans);
            Map<String, ClinicPolicy> policies = side.policies(c, clinics);

            List<Outcome> outcomes = new ArrayList<>();
            List<RuntimeException> notApplied = new ArrayList<>();
            Map<String, byte[]> processed = new java.util.LinkedHashMap<>();
            Set<PlanKey> changed = new LinkedHashSet<>();
            List<PlanEventStore.Append> appends = new ArrayList<>();
            List<EventEnvelope<?>> outbox = new ArrayList<>();
            List<String> traceparents = new ArrayList<>();
            for (int i = 0; i < commands.size(); i++) {
                Command command = commands.get(i);
                PlanKey key = command.key();
                if (erased.contains(key)) {
                    outcomes.add(new Outcome(null, List.of(), false, false));
                    notApplied.add(null);
                    continue;
                }
                if (command.messageId() != null
                        && (seen.containsKey(command.messageId()) || processed.containsKey(command.messageId()))) {
                    // Round 17: a redelivery (the same body) is a quiet duplicate; another body under the id is refused.
                    byte[] first = seen.containsKey(command.messageId()) ? seen.get(command.messageId())
                            : processed.get(command.messageId());
                    String reused = EventCodec.idReused(command.messageId(), first, command.bodyDigest());
                    if (reused != null) {
                        throw new ConsumerChannels.RecordRefused(i, new ReusedMessageIdException(reused));
                    }
                    outcomes.add(new Outcome(null, List.of(), true, false));
                    notApplied.add(null);
                    continue;
                }
                RehabPlan plan = plans.get(key);
                ClinicPolicy policy = policies.get(command.clinicId());
                try {
                    Outcome decided = decide(c, command, plan, policy);
                    if (command.messageId() != null) {
                        processed.put(command.messageId(), command.bodyDigest());
                    }
                    outcomes.add(decided);
                    notApplied.add(null);
                    if (!decided.events().isEmpty()) {
                        appends.add(new PlanEventStore.Append(key.clinicId(), key.athleteId(), plan.version(),
                                decided.events(), command.messageId()));
                        changed.add(key);
                        RehabPlan step = plan;
                        for (PlanEvent e : decided.events()) {
                            step = step.apply(e);
                            outbox.add(PlanEventMapping.toPublished(e, step.version(), step, command.messageId(),
                                    command.causeTime()));
                            traceparents.add(command.traceparent());
                        }
                        plans.put(key, decided.plan());
                        for (var entry : io.strideback.plan.audit.PlanChangesAudit.entries(command.clinicId(),
                                command.athleteId(), decided.events())) {
                            audit.append(c, entry);
                        }
                    }
                } catch (PlanRuleViolation | PlanNotFoundException e) {
                    // As run(): refused by the plan's rules, nothing of it is stored, not even its message id.
                    outcomes.add(null);
                    notApplied.add(e);
                } catch (SQLException e) {
                    throw e; // the transaction's, not the command's: the batch is retried or split
                } catch (RuntimeException e) {
                    throw new ConsumerChannels.RecordRefused(i, e);
                }
            }
            if (side.markAllProcessed(c, processed) != processed.size()) {
                // Another writer recorded one of these ids meanwhile: decide the batch again on what it did.
                throw new ConcurrentPlanChangeException("(batch)", "(a message id recorded meanwhile)");
            }
            List<PlanProjection.Changed> views = new ArrayList<>();
            for (PlanKey key : changed) {
                RehabPlan was = before.get(key);
                views.add(new PlanProjection.Changed(was.adjustments().stream().map(PlanView::adjustment).toList(),
                        PlanView.of(plans.get(key))));
            }
            store.appendAll(c, appends);
            projection.saveChanged(c, views);
            Outbox.appendAll(c, outbox, traceparents);
            return new BatchResult(outcomes, notApplied, plans);
        }
    }

    /** One command on the plan as the batch has it so far: {@link #run}'s decisions, without its writes. */
    private Outcome decide(Connection c, Command command, RehabPlan plan, ClinicPolicy policy) throws SQLException {
        PlanCommand cmd = command.command().apply(plan, policy);
        boolean exists = plan.version() > 0;
        if (!exists && cmd instanceof ApplyAdjustment apply) {
            side.defer(c, command.clinicId(), command.athleteId(), apply.adjustment());
            return new Outcome(plan, List.of(), false, true);
        }
        if (!exists && cmd instanceof WithdrawAdjustment withdraw) {
            side.undefer(c, command.clinicId(), command.athleteId(), withdraw.adjustmentId());
            return new Outcome(plan, List.of(), false, true);
        }
        if (!exists && !(cmd instanceof CreatePlan)) {
            throw new PlanNotFoundException(command.athleteId());
        }
        List<PlanEvent> events = new ArrayList<>(plan.decide(cmd));
        RehabPlan after = fold(plan, events);
        if (cmd instanceof CreatePlan) {
            for (Adjustment waiting : side.takeDeferred(c, command.clinicId(), command.athleteId())) {
                List<PlanEvent> more = after.decide(new ApplyAdjustment(waiting, policy, cmd.at()));
                events.addAll(more);
                after = fold(after, more);
            }
        }
        return new Outcome(after, events, false, false);
    }

    /** Every plan of the batch locked, in the order of the lock ids (the same order in every batch: no deadlock). */
    private static void lockInOrder(Connection c, Set<PlanKey> keys) throws SQLException {
        try (var lock = c.prepareStatement("""
                SELECT pg_advisory_xact_lock(h) FROM (
                    SELECT DISTINCT hashtextextended(k, 0) AS h FROM unnest(?::text[]) AS k) locks
                ORDER BY h""")) {
            lock.setArray(1, c.createArrayOf("text", keys.stream().map(k -> k.clinicId() + "/" + k.athleteId()).toArray()));
            lock.execute();
        }
    }

    /**
     * The plans of the batch as the store has them: the cached snapshot of each, with the events after its
     * sequence folded on top, in one query; a plan whose cached sequence is no longer stored is read whole.
     */
    private Map<PlanKey, RehabPlan> current(Connection c, Set<PlanKey> keys, PlanSnapshots snapshots)
            throws SQLException {
        Map<PlanKey, RehabPlan> cached = new HashMap<>();
        Map<PlanKey, Long> from = new HashMap<>();
        for (PlanKey key : keys) {
            RehabPlan snapshot = snapshots.get(key);
            if (snapshot != null) {
                cached.put(key, snapshot);
            }
            from.put(key, snapshot == null ? 0L : snapshot.version());
        }
        Map<PlanKey, PlanEventStore.Tail> tails = store.loadAfter(c, from);
        Map<PlanKey, Long> again = new HashMap<>();
        Map<PlanKey, RehabPlan> plans = new HashMap<>();
        for (PlanKey key : keys) {
            PlanEventStore.Tail tail = tails.get(key);
            if (!tail.fromFound()) {
                snapshots.forget(key);
                again.put(key, 0L);
                continue;
            }
            RehabPlan plan = cached.getOrDefault(key, RehabPlan.empty());
            for (PlanEventStore.StoredEvent e : tail.after()) {
                plan = plan.apply(e.event());
            }
            plans.put(key, plan);
        }
        if (!again.isEmpty()) {
            store.loadAfter(c, again).forEach((key, tail) -> plans.put(key,
                    RehabPlan.fold(tail.after().stream().map(PlanEventStore.StoredEvent::event).toList())));
        }
        return plans;
    }

    private static RehabPlan fold(RehabPlan plan, List<PlanEvent> events) {
        RehabPlan p = plan;
        for (PlanEvent e : events) {
            p = p.apply(e);
        }
        return p;
    }
}
