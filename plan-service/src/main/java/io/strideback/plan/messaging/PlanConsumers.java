package io.strideback.plan.messaging;

import io.smallrye.reactive.messaging.annotations.Blocking;
import io.opentelemetry.context.Scope;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.strideback.events.ActivityEvents.AssessmentRecorded;
import io.strideback.events.ActivityEvents.AthleteEnrolled;
import io.strideback.events.ActivityEvents.AthleteErased;
import io.strideback.events.ActivityEvents.SessionLogged;
import io.strideback.events.ActivityEvents.SymptomReported;
import io.strideback.plan.fhir.ClinicalRecordStore;
import io.strideback.plan.store.PlanProjection;
import io.strideback.events.EventEnvelope;
import io.strideback.events.FindingEvents.AdjustmentProposed;
import io.strideback.events.FindingEvents.AdjustmentWithdrawn;
import io.strideback.plan.domain.*;
import io.strideback.events.EventType;
import io.strideback.events.UnreadableEventException;
import io.strideback.plan.service.PlanService;
import io.strideback.plan.service.PlanTransaction;
import io.strideback.support.tracing.KafkaTracing;
import io.strideback.support.messaging.ConsumerChannels;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What plan-service reads: the activity log (enrolments, assessments and erasures for the plans, every
 * type for the clinical record of the FHIR export), proposals from the load monitor. Two channels in
 * two consumer groups (application.properties), because the two topics have no order between them: a proposal that overtakes its enrolment waits in the store
 * instead of blocking enrolments. Records are applied through {@link ConsumerChannels}: an
 * unreadable or refused one is parked on its DLQ with the reason, a transient failure is retried
 * from the same record, and only an applied record is acknowledged (issue 12). Proposals come in
 * poll batches, one transaction each (issue 15). Proposals and withdrawals follow DOMAIN.md
 * "Convergence": a proposal keeps the time its findings made it due ({@code proposedAt}, event time),
 * which places it on the plan's timeline.
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
    @Inject
    ClinicalRecordStore record;

    /**
     * The activity topic's types read here: every one, since the clinical record of the FHIR export (issue 17) keeps
     * them all; the plans act on enrolments, assessments and erasures only.
     */
    static final Set<EventType> ACTIVITY = EnumSet.of(EventType.ATHLETE_ENROLLED, EventType.SESSION_LOGGED,
            EventType.SYMPTOM_REPORTED, EventType.ASSESSMENT_RECORDED, EventType.ATHLETE_ERASED);
    /** The adjustments topic's types plan-service acts on; the monitor's other findings there are passed over. */
    static final Set<EventType> ADJUSTMENTS = Set.of(EventType.PLAN_ADJUSTMENT_PROPOSED,
            EventType.PLAN_ADJUSTMENT_WITHDRAWN);

    /**
     * A poll batch of the activity topic (the channel's {@code batch=true}), read once for both of its effects (issue
     * 15: two channels in two groups fetched and decoded every record twice): the plans' and the clinical record's.
     * Both are applied before the poll is acknowledged; applied again after a failure, they change nothing.
     */
    @Incoming("activity")
    @Blocking(ordered = true)
    public CompletionStage<Void> activity(KafkaRecordBatch<String, byte[]> batch) {
        channels.deliverBatch("activity", batch, ACTIVITY, this::onActivities);
        return CompletableFuture.completedFuture(null); // acknowledged (or parked) by deliverBatch
    }

    /**
     * A poll batch of proposals and withdrawals (the channel's {@code batch=true}) in one transaction (issue 15
     * item 2): acknowledged once all are applied; a record refused for good is parked alone and the others
     * are applied without it.
     */
    @Incoming("adjustments")
    @Blocking(ordered = true)
    public CompletionStage<Void> adjustments(KafkaRecordBatch<String, byte[]> batch) {
        channels.deliverBatch("adjustments", batch, ADJUSTMENTS, this::onAdjustments);
        return CompletableFuture.completedFuture(null); // acknowledged (or parked) by deliverBatch
    }

    /**
     * A poll batch, in partition order: each enrolment, assessment or erasure applied to the plans as it comes (one
     * transaction each, its record's trace current), the clinical record's entries in one statement (issue 15: it cost
     * a connection, a statement and a commit per session or symptom). An erasure first stores the entries before it, so
     * it erases them too, and the entries after it find the athlete erased. A plan effect that fails names its record
     * ({@link ConsumerChannels.RecordRefused}: parked alone when it fails for good, the batch retried when not).
     */
    void onActivities(List<ConsumerChannels.Delivery> deliveries) throws Exception {
        List<ClinicalRecordStore.NewEntry> entries = new ArrayList<>();
        List<Integer> entryOf = new ArrayList<>(); // the delivery of each entry
        for (int i = 0; i < deliveries.size(); i++) {
            ConsumerChannels.Delivery delivery = deliveries.get(i);
            EventEnvelope<?> event = delivery.event();
            Object data = event.data();
            if (data instanceof AthleteErased erased) {
                addToRecord(entries, entryOf);
                entries.clear();
                entryOf.clear();
                // CONTRACT v2: everything of the athlete goes, plans and record, the erasure stays (and is audited).
                erasure.erase(event.id(), event.source(), erased);
                continue;
            }
            // The plan first: an enrolment or assessment under a taken id with another body is refused there (round 17)
            // before the clinical record takes anything of it.
            try (Scope ignored = delivery.trace().makeCurrent()) {
                onPlanActivity(delivery);
            } catch (Exception e) {
                throw new ConsumerChannels.RecordRefused(i, e); // a transient cause is still retried (Failures)
            }
            if (data instanceof AthleteEnrolled a) {
                record.enrolled(a);
            } else if (data instanceof SessionLogged s) {
                entries.add(entry(s.clinicId(), s.athleteId(), delivery, s.startedAt()));
                entryOf.add(i);
            } else if (data instanceof SymptomReported s) {
                entries.add(entry(s.clinicId(), s.athleteId(), delivery, s.observedAt()));
                entryOf.add(i);
            } else if (data instanceof AssessmentRecorded a) {
                entries.add(entry(a.clinicId(), a.athleteId(), delivery, a.recordedAt()));
                entryOf.add(i);
            }
        }
        addToRecord(entries, entryOf);
    }

    /**
     * The poll's entries into the clinical record; one whose event id the record holds with other data is refused by
     * name (round 17: a rogue writer's reuse of the id; parked alone, the others applied again, which changes nothing).
     */
    private void addToRecord(List<ClinicalRecordStore.NewEntry> entries, List<Integer> entryOf) throws Exception {
        List<ClinicalRecordStore.Reuse> reused = record.addAll(entries);
        if (!reused.isEmpty()) {
            ClinicalRecordStore.Reuse first = reused.get(0); // the others are found again when the rest is applied
            throw new ConsumerChannels.RecordRefused(entryOf.get(first.index()),
                    new io.strideback.plan.store.ReusedMessageIdException(first.reason()));
        }
    }

    /**
     * An enrolment or an assessment applied to its plan; sessions and symptoms are the load monitor's to read. Its
     * record's body digest is kept with its id (round 17).
     */
    void onPlanActivity(ConsumerChannels.Delivery delivery) throws java.sql.SQLException {
        EventEnvelope<?> event = delivery.event();
        try {
            if (event.data() instanceof AthleteEnrolled a) {
                plans.execute(event.clinicId(), event.subject(),
                        (plan, policy) -> new CreatePlan(a.athleteId(), a.clinicId(), a.diagnosis(), a.side(),
                                a.injuryDate(), a.symptomFreeRunKm(), Instant.now(), a.timeZone()), event.id(),
                        delivery.bodyDigest(), null);
            } else if (event.data() instanceof AssessmentRecorded a
                    && a.kind() != io.strideback.events.vocabulary.AssessmentKind.OSTRC_O2) {
                // An OSTRC-O2 weekly check measures nothing a gate reads (issue 17): it stays out of the gates.
                plans.execute(event.clinicId(), event.subject(),
                        (plan, policy) -> new RecordAssessment(assessment(event.id(), a), Instant.now()), event.id(),
                        delivery.bodyDigest(), null);
            }
        } catch (PlanRuleViolation | io.strideback.plan.service.PlanNotFoundException ignored) {
            LOG.warnf("%s %s not applied: %s", event.type().ceType(), event.id(), ignored.getMessage());
        }
        // After the plan took the enrolment (or refused it by its rules): a reused id with another body never gets here.
        if (event.data() instanceof AthleteEnrolled a && a.displayName() != null && !a.displayName().isBlank()) {
            projection.rememberName(event.clinicId(), event.subject(), a.displayName().strip());
        }
    }

    private static ClinicalRecordStore.NewEntry entry(String clinicId, String athleteId,
                                                      ConsumerChannels.Delivery delivery, Instant occurredAt) {
        EventEnvelope<?> event = delivery.event();
        return new ClinicalRecordStore.NewEntry(clinicId, athleteId, event.id(), event.type(), occurredAt, event.data(),
                delivery.json());
    }

    /** A batch of proposals and withdrawals, in partition order, through {@link PlanService#executeBatch}. */
    void onAdjustments(List<ConsumerChannels.Delivery> deliveries) throws Exception {
        for (int i = 0; i < deliveries.size(); i++) {
            String missing = missing(deliveries.get(i).event());
            if (missing != null) {
                throw new ConsumerChannels.RecordRefused(i, new UnreadableEventException(missing));
            }
        }
        List<PlanTransaction.Command> commands = new ArrayList<>();
        for (ConsumerChannels.Delivery delivery : deliveries) {
            String traceparent;
            try (Scope ignored = delivery.trace().makeCurrent()) {
                traceparent = KafkaTracing.currentTraceparent();
            }
            EventEnvelope<?> event = delivery.event();
            commands.add(new PlanTransaction.Command(event.clinicId(), event.subject(), adjustmentCommand(event),
                    event.id(), event.time(), traceparent, delivery.bodyDigest()));
        }
        PlanTransaction.BatchResult result = plans.executeBatch(commands);
        for (int i = 0; i < deliveries.size(); i++) {
            EventEnvelope<?> event = deliveries.get(i).event();
            RuntimeException refused = result.notApplied().get(i);
            PlanTransaction.Outcome outcome = result.outcomes().get(i);
            if (event.data() instanceof AdjustmentProposed p && refused != null) {
                LOG.warnf("adjustment %s not applied: %s", p.adjustmentId(), refused.getMessage());
            } else if (event.data() instanceof AdjustmentWithdrawn w) {
                if (refused != null) {
                    LOG.warnf("withdrawal of adjustment %s not applied: %s", w.adjustmentId(), refused.getMessage());
                } else if (outcome.events().isEmpty() && !outcome.duplicate() && !outcome.deferred()) {
                    LOG.infof("withdrawal of adjustment %s changes nothing: the plan does not have it in force or pending",
                            w.adjustmentId());
                }
            }
        }
    }

    /**
     * What a proposal or a withdrawal lacks to be applied at all, or null (the parked record's reason then reads
     * "plan.adjustment.proposed &lt;id&gt; refused: ... no adjustmentId or no type"). Round 15, from outside: a proposal without an
     * id or a type was only logged when its plan existed (not parked: dropped without a trace), and when the plan did
     * not exist yet it was kept to wait for it, so the athlete's enrolment then failed on it ("An adjustment needs an id
     * and a type") and no plan was ever made. Such a record is parked with this reason instead (CONTRACT.md "Kafka").
     */
    static String missing(EventEnvelope<?> event) {
        if (event.data() instanceof AdjustmentProposed p) {
            if (p.adjustmentId() == null || p.adjustmentId().isBlank() || p.type() == null) {
                return "no adjustmentId or no type";
            }
        } else if (event.data() instanceof AdjustmentWithdrawn w) {
            if (w.adjustmentId() == null || w.adjustmentId().isBlank()) {
                return "no adjustmentId";
            }
        }
        return null;
    }

    /** The command a proposal or a withdrawal is to its plan. */
    private static BiFunction<RehabPlan, ClinicPolicy, PlanCommand> adjustmentCommand(EventEnvelope<?> event) {
        if (event.data() instanceof AdjustmentProposed p) {
            Adjustment adjustment = new Adjustment(p.adjustmentId(), p.type(), p.pattern(), p.rule(),
                    p.parameters() == null ? java.util.Map.of() : p.parameters(),
                    p.evidenceEventIds() == null ? List.of() : p.evidenceEventIds(), p.reason(), p.proposedAt());
            return (plan, policy) -> new ApplyAdjustment(adjustment, policy, Instant.now());
        }
        if (event.data() instanceof AdjustmentWithdrawn w) {
            return (plan, policy) -> new WithdrawAdjustment(w.adjustmentId(), w.type(), w.reason(), Instant.now());
        }
        throw new IllegalArgumentException(event.type().ceType() + " is not a plan adjustment");
    }

    private static Assessment assessment(String eventId, AssessmentRecorded a) {
        return new Assessment(eventId, a.recordedAt(),
                a.singleLegCalfRaises() == null ? null : a.singleLegCalfRaises().left(),
                a.singleLegCalfRaises() == null ? null : a.singleLegCalfRaises().right(),
                a.painNow(), a.painFreeWalking(), a.painFreeHops(), a.loadedRaiseStraightKneeBodyweight(),
                a.loadedRaiseBentKneeBodyweight());
    }
}
