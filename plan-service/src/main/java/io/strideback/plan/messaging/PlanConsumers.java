package io.strideback.plan.messaging;

import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.strideback.events.ActivityEvents.AssessmentRecorded;
import io.strideback.events.ActivityEvents.AthleteEnrolled;
import io.strideback.events.EventEnvelope;
import io.strideback.events.FindingEvents.AdjustmentProposed;
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

    void onActivity(EventEnvelope<?> event) {
        try {
            if (event.data() instanceof AthleteEnrolled a) {
                plans.execute(event.clinicId(), event.subject(),
                        (plan, policy) -> new CreatePlan(a.athleteId(), a.clinicId(), a.diagnosis(), a.side(),
                                a.injuryDate(), a.symptomFreeRunKm(), Instant.now()), event.id(), null);
            } else if (event.data() instanceof AssessmentRecorded a
                    && a.kind() != io.strideback.events.vocabulary.AssessmentKind.OSTRC_O2) {
                // An OSTRC-O2 weekly check measures nothing a gate reads (issue 17): it stays out of the gates.
                plans.execute(event.clinicId(), event.subject(),
                        (plan, policy) -> new RecordAssessment(assessment(event.id(), a), Instant.now()), event.id(),
                        null);
            }
            // Sessions and symptoms are the load monitor's to read.
        } catch (PlanRuleViolation | io.strideback.plan.service.PlanNotFoundException ignored) {
            LOG.warnf("%s %s not applied: %s", event.type().ceType(), event.id(), ignored.getMessage());
        }
    }

    void onAdjustment(EventEnvelope<?> event) {
        AdjustmentProposed p = event.dataAs(AdjustmentProposed.class);
        Adjustment adjustment = new Adjustment(p.adjustmentId(), p.type(), p.pattern(), p.rule(),
                p.parameters() == null ? java.util.Map.of() : p.parameters(),
                p.evidenceEventIds() == null ? List.of() : p.evidenceEventIds(), p.reason());
        try {
            plans.execute(event.clinicId(), event.subject(),
                    (plan, policy) -> new ApplyAdjustment(adjustment, policy, Instant.now()), event.id(), event.time());
        } catch (PlanRuleViolation e) {
            LOG.warnf("adjustment %s not applied: %s", p.adjustmentId(), e.getMessage());
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
