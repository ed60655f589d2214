package io.strideback.plan.mapping;

import io.strideback.events.EventEnvelope;
import io.strideback.events.EventType;
import io.strideback.events.PlanEvents.AdjustmentRef;
import io.strideback.events.PlanEvents.ConstraintPeriod;
import io.strideback.events.PlanEvents.Constraints;
import io.strideback.events.PlanEvents.PlanChanged;
import io.strideback.events.vocabulary.AdjustmentStatus;
import io.strideback.plan.domain.*;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Domain plan events to the published {@code strideback.plan-events.v1} records. */
public final class PlanEventMapping {

    public static final String SOURCE = "/strideback/plan-service";

    private PlanEventMapping() {
    }

    /** {@code plan} is the plan after the event; the event id follows from (plan, sequence). */
    public static EventEnvelope<PlanChanged> toPublished(PlanEvent event, long sequence, RehabPlan plan,
                                                          String causedBy, java.time.Instant causeTime) {
        EventType type;
        AdjustmentRef adjustment = null;
        if (event instanceof AdjustmentApplied e) {
            type = EventType.PLAN_ADJUSTED;
            adjustment = ref(e.adjustment(), AdjustmentStatus.APPLIED);
        } else if (event instanceof AdjustmentPending e) {
            type = EventType.PLAN_ADJUSTMENT_PENDING;
            adjustment = ref(e.adjustment(), AdjustmentStatus.PENDING);
        } else if (event instanceof AdjustmentRejected e) {
            type = EventType.PLAN_ADJUSTMENT_REJECTED;
            adjustment = new AdjustmentRef(e.adjustmentId(), null, AdjustmentStatus.REJECTED, null);
        } else if (event instanceof PhaseChanged) {
            type = EventType.PLAN_PHASE_CHANGED;
        } else if (event instanceof AssessmentNoted) {
            type = EventType.PLAN_ASSESSMENT_NOTED;
        } else if (event instanceof ReferralCleared) {
            type = EventType.PLAN_REFERRAL_CLEARED;
        } else if (event instanceof AdjustmentWithdrawn e) {
            type = EventType.PLAN_ADJUSTMENT_WITHDRAWN_FROM_PLAN;
            // The status the adjustment has now: WITHDRAWN, or APPLIED for an urgent referral that stays until cleared.
            PlanAdjustment now = plan.adjustment(e.adjustmentId()).orElse(null);
            adjustment = new AdjustmentRef(e.adjustmentId(), e.type(), now != null ? now.status() : AdjustmentStatus.WITHDRAWN,
                    now != null ? now.evidenceEventIds() : null);
        } else {
            type = EventType.PLAN_CREATED;
        }
        PlanChanged data = new PlanChanged(plan.athleteId(), plan.clinicId(), sequence, event.occurredAt(),
                event.reason(), plan.phase(), constraints(plan.constraints()), adjustment, causedBy, causeTime,
                plan.constraintSchedule().stream()
                        .map(p -> new ConstraintPeriod(p.from(), constraints(p.constraints()))).toList());
        String id = UUID.nameUUIDFromBytes((plan.clinicId() + "|" + plan.athleteId() + "|" + sequence)
                .getBytes(StandardCharsets.UTF_8)).toString();
        return new EventEnvelope<>(id, type, SOURCE, event.occurredAt(), plan.athleteId(), plan.clinicId(),
                EventType.CURRENT_SCHEMA_VERSION, data);
    }

    private static Constraints constraints(RunConstraints c) {
        return new Constraints(c.maxDistanceKm(), c.maxIntensity() == null ? null : c.maxIntensity().name(),
                c.minRestDaysBetweenRuns(), c.recoveryDayBeforeIntense(), c.cadenceTargetSpm(), c.runningPaused());
    }

    private static AdjustmentRef ref(Adjustment a, AdjustmentStatus status) {
        return new AdjustmentRef(a.adjustmentId(), a.type(), status, a.evidenceEventIds());
    }
}
