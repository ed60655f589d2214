package io.strideback.plan.messaging;

import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.strideback.events.ActivityEvents.AssessmentRecorded;
import io.strideback.events.ActivityEvents.AthleteEnrolled;
import io.strideback.events.ActivityEvents.AthleteErased;
import io.strideback.plan.store.PlanProjection;
import io.strideback.events.EventEnvelope;
import io.strideback.events.FindingEvents.AdjustmentProposed;
import io.strideback.events.FindingEvents.AdjustmentWithdrawn;
import io.strideback.plan.domain.*;
import io.strideback.plan.service.PlanService;
import io.strideback.support.messaging.ConsumerChannels;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What plan-service reads: enrolments and assessments from the activity log, proposals from the
 * load monitor. Two channels in two consumer groups (application.properties), because the two
 * topics have no order between them: a proposal that overtakes its enrolment waits in the store
 * instead of blocking enrolments. Each record is applied through {@link ConsumerChannels}: an
 * unreadable or refused one is parked on its DLQ with the reason, a transient failure is retried
 * from the same record, and only an applied record is acknowledged (issue 12).
 */
@ApplicationScoped
public class PlanConsumers {

    private static final Logger LOG = Logger.getLogger(PlanConsumers.class);

    @Inject
    PlanService plans;
    @Inject
    ConsumerChannels channels;
    @Inject
    PlanProjection projection;
    @Inject
    io.strideback.plan.erasure.AthleteErasure erasure;

    @Incoming("activity")
    @Blocking(ordered = true)
    public CompletionStage<Void> activity(KafkaRecord<String, byte[]> record) {
        channels.deliver("activity", record, this::onActivity);
        return CompletableFuture.completedFuture(null); // acknowledged (or parked) by deliver
    }

    @Incoming("adjustments")
    @Blocking(ordered = true)
    public CompletionStage<Void> adjustments(KafkaRecord<String, byte[]> record) {
        channels.deliver("adjustments", record, this::onAdjustment);
        return CompletableFuture.completedFuture(null);
    }

    void onActivity(EventEnvelope<?> event) throws java.sql.SQLException {
        try {
            if (event.data() instanceof AthleteEnrolled a) {
                if (a.displayName() != null && !a.displayName().isBlank()) {
                    projection.rememberName(event.clinicId(), event.subject(), a.displayName().strip());
                }
                plans.execute(event.clinicId(), event.subject(),
                        (plan, policy) -> new CreatePlan(a.athleteId(), a.clinicId(), a.diagnosis(), a.side(),
                                a.injuryDate(), a.symptomFreeRunKm(), Instant.now(), a.timeZone()), event.id(), null);
            } else if (event.data() instanceof AssessmentRecorded a
                    && a.kind() != io.strideback.events.vocabulary.AssessmentKind.OSTRC_O2) {
                // An OSTRC-O2 weekly check measures nothing a gate reads (issue 17): it stays out of the gates.
                plans.execute(event.clinicId(), event.subject(),
                        (plan, policy) -> new RecordAssessment(assessment(event.id(), a), Instant.now()), event.id(),
                        null);
            } else if (event.data() instanceof AthleteErased erased) {
                // CONTRACT v2: everything of the athlete goes, the erasure stays (and is audited).
                erasure.erase(event.id(), event.source(), erased);
            }
            // Sessions and symptoms are the load monitor's to read.
        } catch (PlanRuleViolation | io.strideback.plan.service.PlanNotFoundException ignored) {
            LOG.warnf("%s %s not applied: %s", event.type().ceType(), event.id(), ignored.getMessage());
        }
    }

    /**
     * Proposals and withdrawals (DOMAIN.md "Convergence"). A proposal keeps the time its findings made it due
     * ({@code proposedAt}, event time), which places it on the plan's timeline. Any other type of the topic is
     * logged and passed over, never a reason to stop the channel; an unreadable record is parked on the DLQ.
     */
    void onAdjustment(EventEnvelope<?> event) {
        if (event.data() instanceof AdjustmentProposed p) {
            Adjustment adjustment = new Adjustment(p.adjustmentId(), p.type(), p.pattern(), p.rule(),
                    p.parameters() == null ? java.util.Map.of() : p.parameters(),
                    p.evidenceEventIds() == null ? List.of() : p.evidenceEventIds(), p.reason(), p.proposedAt());
            try {
                plans.execute(event.clinicId(), event.subject(),
                        (plan, policy) -> new ApplyAdjustment(adjustment, policy, Instant.now()), event.id(), event.time());
            } catch (PlanRuleViolation e) {
                LOG.warnf("adjustment %s not applied: %s", p.adjustmentId(), e.getMessage());
            }
        } else if (event.data() instanceof AdjustmentWithdrawn w) {
            try {
                var outcome = plans.execute(event.clinicId(), event.subject(),
                        (plan, policy) -> new WithdrawAdjustment(w.adjustmentId(), w.type(), w.reason(), Instant.now()),
                        event.id(), event.time());
                if (outcome.events().isEmpty() && !outcome.duplicate() && !outcome.deferred()) {
                    LOG.infof("withdrawal of adjustment %s changes nothing: the plan does not have it in force or pending",
                            w.adjustmentId());
                }
            } catch (PlanRuleViolation | io.strideback.plan.service.PlanNotFoundException e) {
                LOG.warnf("withdrawal of adjustment %s not applied: %s", w.adjustmentId(), e.getMessage());
            }
        } else {
            LOG.warnf("%s %s on the adjustments topic passed over: plan-service does not act on this type",
                    event.type().ceType(), event.id());
        }
    }

    private static Assessment assessment(String eventId, AssessmentRecorded a) {
        return new Assessment(eventId, a.recordedAt(),
                a.singleLegCalfRaises() == null ? null : a.singleLegCalfRaises().left(),
                a.singleLegCalfRaises() == null ? null : a.singleLegCalfRaises().right(),
                a.painNow(), a.painFreeWalking(), a.painFreeHops(), a.loadedRaiseStraightKneeBodyweight(),
                a.loadedRaiseBentKneeBodyweight());
    }
}
