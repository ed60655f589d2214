package io.strideback.plan.service;

import io.agroal.api.AgroalDataSource;
import io.strideback.plan.domain.*;
import io.strideback.plan.mapping.PlanEventMapping;
import io.strideback.plan.mapping.PlanView;
import io.strideback.plan.store.PlanEventStore;
import io.strideback.plan.store.PlanProjection;
import io.strideback.plan.store.PlanSideTables;
import io.strideback.support.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
        try (Connection c = dataSource.getConnection()) {
            // One transaction per plan at a time: the two channels (and the API) otherwise race, and
            // a proposal deferred while its plan's creation commits would never be taken up.
            try (var lock = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))")) {
                lock.setString(1, clinicId + "/" + athleteId);
                lock.execute();
            }
            if (messageId != null && !side.markProcessed(c, messageId)) {
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

    private static RehabPlan fold(RehabPlan plan, List<PlanEvent> events) {
        RehabPlan p = plan;
        for (PlanEvent e : events) {
            p = p.apply(e);
        }
        return p;
    }
}
