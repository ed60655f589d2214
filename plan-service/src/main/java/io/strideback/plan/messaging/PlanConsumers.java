package io.strideback.plan.messaging;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.strideback.events.ActivityEvents.AssessmentRecorded;
import io.strideback.events.ActivityEvents.AthleteEnrolled;
import io.strideback.events.EventEnvelope;
import io.strideback.events.FindingEvents.AdjustmentProposed;
import io.strideback.events.Topic;
import io.strideback.plan.domain.*;
import io.strideback.plan.service.PlanService;
import io.strideback.support.kafka.ConsumerLoops;
import io.strideback.support.kafka.EventConsumerLoop;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What plan-service reads: enrolments and assessments from the activity log, proposals from the
 * load monitor. Two loops, because the two topics have no order between them: a proposal that
 * overtakes its enrolment waits in the store instead of blocking enrolments.
 */
@ApplicationScoped
public class PlanConsumers {

    private static final Logger LOG = Logger.getLogger(PlanConsumers.class);

    @Inject
    PlanService plans;
    @Inject
    ConsumerLoops consumerLoops;

    private final List<EventConsumerLoop> loops = new ArrayList<>();

    void start(@Observes StartupEvent e) {
        loops.add(consumerLoops.start("activity", "plan-service-activity", List.of(Topic.ATHLETE_ACTIVITY),
                this::onActivity));
        loops.add(consumerLoops.start("adjustments", "plan-service-adjustments", List.of(Topic.PLAN_ADJUSTMENTS),
                this::onAdjustment));
    }

    void stop(@Observes ShutdownEvent e) {
        loops.forEach(EventConsumerLoop::close);
    }

    public List<EventConsumerLoop> loops() {
        return loops;
    }

    void onActivity(EventEnvelope<?> event, ConsumerRecord<String, byte[]> record) {
        try {
            if (event.data() instanceof AthleteEnrolled a) {
                plans.execute(event.clinicId(), event.subject(),
                        (plan, policy) -> new CreatePlan(a.athleteId(), a.clinicId(), a.diagnosis(), a.side(),
                                a.injuryDate(), a.symptomFreeRunKm(), Instant.now()), event.id(), null);
            } else if (event.data() instanceof AssessmentRecorded a) {
                plans.execute(event.clinicId(), event.subject(),
                        (plan, policy) -> new RecordAssessment(assessment(event.id(), a), Instant.now()), event.id(),
                        null);
            }
            // Sessions and symptoms are the load monitor's to read.
        } catch (PlanRuleViolation | io.strideback.plan.service.PlanNotFoundException ignored) {
            LOG.warnf("%s %s not applied: %s", event.type().ceType(), event.id(), ignored.getMessage());
        }
    }

    void onAdjustment(EventEnvelope<?> event, ConsumerRecord<String, byte[]> record) {
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
