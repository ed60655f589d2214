package io.strideback.events;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Every CloudEvents {@code type} of CONTRACT.md, the topic it travels on and its data class. */
public enum EventType {
    ATHLETE_ENROLLED("athlete.enrolled", Topic.ATHLETE_ACTIVITY, ActivityEvents.AthleteEnrolled.class),
    SESSION_LOGGED("session.logged", Topic.ATHLETE_ACTIVITY, ActivityEvents.SessionLogged.class),
    SYMPTOM_REPORTED("symptom.reported", Topic.ATHLETE_ACTIVITY, ActivityEvents.SymptomReported.class),
    ASSESSMENT_RECORDED("assessment.recorded", Topic.ATHLETE_ACTIVITY, ActivityEvents.AssessmentRecorded.class),
    /** CONTRACT v2: a clinic erased the athlete; every service drops what it holds of them. */
    ATHLETE_ERASED("athlete.erased", Topic.ATHLETE_ACTIVITY, ActivityEvents.AthleteErased.class),

    FLAREUP_DETECTED("flareup.detected", Topic.LOAD_FINDINGS, FindingEvents.FlareUpDetected.class),
    FLAREUP_RECLASSIFIED("flareup.reclassified", Topic.LOAD_FINDINGS, FindingEvents.FlareUpReclassified.class),
    PATTERN_DETECTED("pattern.detected", Topic.LOAD_FINDINGS, FindingEvents.PatternDetected.class),
    /** CONTRACT v2 (DOMAIN.md "Convergence"): the events no longer make this episode. */
    FLAREUP_WITHDRAWN("flareup.withdrawn", Topic.LOAD_FINDINGS, FindingEvents.FlareUpWithdrawn.class),
    /** CONTRACT v2 (DOMAIN.md "over the plan"): a logged run outside the plan; for the clinician, no plan change. */
    ADHERENCE_NOTED("adherence.noted", Topic.LOAD_FINDINGS, FindingEvents.AdherenceNoted.class),
    /** An extension of CONTRACT v2 (DOMAIN.md "Convergence"): a later plan version no longer makes the run a breach. */
    ADHERENCE_WITHDRAWN("adherence.withdrawn", Topic.LOAD_FINDINGS, FindingEvents.AdherenceWithdrawn.class),

    PLAN_ADJUSTMENT_PROPOSED("plan.adjustment.proposed", Topic.PLAN_ADJUSTMENTS, FindingEvents.AdjustmentProposed.class),
    /** CONTRACT v2 (DOMAIN.md "Convergence"): the monitor no longer stands behind this adjustment. */
    PLAN_ADJUSTMENT_WITHDRAWN("plan.adjustment.withdrawn", Topic.PLAN_ADJUSTMENTS, FindingEvents.AdjustmentWithdrawn.class),

    PLAN_CREATED("plan.created", Topic.PLAN_EVENTS, PlanEvents.PlanChanged.class),
    PLAN_ADJUSTED("plan.adjusted", Topic.PLAN_EVENTS, PlanEvents.PlanChanged.class),
    PLAN_PHASE_CHANGED("plan.phase-changed", Topic.PLAN_EVENTS, PlanEvents.PlanChanged.class),
    PLAN_ADJUSTMENT_PENDING("plan.adjustment-pending", Topic.PLAN_EVENTS, PlanEvents.PlanChanged.class),
    PLAN_ADJUSTMENT_REJECTED("plan.adjustment-rejected", Topic.PLAN_EVENTS, PlanEvents.PlanChanged.class),
    /** An extension of the contract: an assessment was checked against the next phase's gate. */
    PLAN_ASSESSMENT_NOTED("plan.assessment-noted", Topic.PLAN_EVENTS, PlanEvents.PlanChanged.class),
    /** CONTRACT v2: a clinician cleared an urgent referral, the only way one ends. */
    PLAN_REFERRAL_CLEARED("plan.referral-cleared", Topic.PLAN_EVENTS, PlanEvents.PlanChanged.class),
    /** CONTRACT v2: an adjustment the monitor withdrew no longer shapes the plan. */
    PLAN_ADJUSTMENT_WITHDRAWN_FROM_PLAN("plan.adjustment-withdrawn", Topic.PLAN_EVENTS, PlanEvents.PlanChanged.class),

    /** Issue 16: an operator revoked a token (its {@code jti}) or every token of a subject issued until now. */
    TOKEN_REVOKED("token.revoked", Topic.TOKEN_REVOCATIONS, SecurityEvents.TokenRevoked.class),
    /** Issue 16: a clinic-admin changed the clinic's rule settings in the load monitor (who, before, after). */
    CLINIC_RULES_CHANGED("audit.clinic-rules-changed", Topic.LOAD_MONITOR_AUDIT, SecurityEvents.AuditRecorded.class);

    /** Schema version written today; readers accept this and every older one (see {@link EventCodec}). */
    public static final int CURRENT_SCHEMA_VERSION = 1;

    private final String ceType;
    private final Topic topic;
    private final Class<?> dataClass;

    EventType(String ceType, Topic topic, Class<?> dataClass) {
        this.ceType = ceType;
        this.topic = topic;
        this.dataClass = dataClass;
    }

    public String ceType() {
        return ceType;
    }

    public Topic topic() {
        return topic;
    }

    public Class<?> dataClass() {
        return dataClass;
    }

    /** By {@code ce_type}: consumers look every record's type up, most of them only to pass it over (issue 15). */
    private static final Map<String, EventType> BY_CE_TYPE = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(t -> t.ceType, t -> t));

    public static Optional<EventType> fromCeType(String ceType) {
        return ceType == null ? Optional.empty() : Optional.ofNullable(BY_CE_TYPE.get(ceType));
    }
}
