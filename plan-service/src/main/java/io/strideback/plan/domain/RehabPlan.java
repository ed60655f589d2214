package io.strideback.plan.domain;

import io.strideback.events.vocabulary.AdjustmentStatus;
import io.strideback.events.vocabulary.AdjustmentType;
import io.strideback.events.vocabulary.Diagnosis;
import io.strideback.events.vocabulary.Phase;
import io.strideback.events.vocabulary.Side;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * An athlete's rehab plan (DOMAIN.md "The plan"). It is made from the template for the diagnosis
 * when the athlete is enrolled and changes only by events: the plan is the fold of its events and
 * nothing else. Immutable: {@link #apply} returns a new plan.
 *
 * <p>{@link #decide} checks a command against the plan and answers with the events it causes, or
 * throws {@link PlanRuleViolation}; it never changes the plan. Every event carries one plain sentence
 * saying what changed and why.
 *
 * <p>The run constraints are a function of the clinician's decisions as made (enrolment, phase changes,
 * approvals, clearances), the phase's own limits, and the set of the load monitor's adjustments in force,
 * not of the order proposals arrived in (DOMAIN.md "Convergence"). The plan keeps those as steps on one
 * timeline: a decision at its time, a monitor adjustment at the event time its findings made it due
 * ({@link Adjustment#dueAt()}, ties by id), and its terms are the steps replayed in timeline order. A step
 * that lands last is applied on top; one that lands earlier (late data) or a withdrawal replays the
 * timeline, so a withdrawn adjustment leaves the plan as if it had never applied.
 *
 * <p>Days (a pause's end, the week of PROTECT) are the athlete's calendar days in the time zone given at
 * enrolment, else UTC (DOMAIN.md "Rules v2"). A plan's "today" is the day of its latest event;
 * {@link #constraintsOn(LocalDate)} answers for any other day.
 */
public final class RehabPlan {

    /** Days are counted in UTC when the athlete gave no time zone (and the clinic's is not known here). */
    static final ZoneId DEFAULT_ZONE = ZoneOffset.UTC;

    /** The plan's timeline: by time, then the decisions and undated adjustments in the order taken in, then by id. */
    private static final Comparator<Step> TIMELINE = Comparator.comparing(Step::at).thenComparingInt(Step::group)
            .thenComparing(Step::adjustmentId).thenComparingLong(Step::sequence);

    /** DOMAIN.md "The plan": PROTECT is a week of relative rest (seed 002: "rest for a week")... */
    public static final Duration PROTECT_LASTS = Duration.ofDays(7);
    /** ...and ends by itself only with no flare-up in the last 72 h. */
    static final Duration QUIET_BEFORE_LEAVING_PROTECT = Duration.ofHours(72);
    /** Who moved the plan when it moved by itself. */
    public static final String BY_ITSELF = "strideback-plan";

    private static final RehabPlan EMPTY = new Builder().build();

    private final long version;
    private final String athleteId;
    private final String clinicId;
    private final Diagnosis diagnosis;
    private final Side side;
    private final LocalDate injuryDate;
    private final Double symptomFreeRunKm;
    private final Instant createdAt;
    private final Phase phase;
    private final PlanTerms terms;
    private final Map<String, PlanAdjustment> adjustments;
    private final Map<String, Adjustment> pending;
    private final Assessment latestAssessment;
    private final Instant latestAssessmentAt;
    private final Set<String> assessmentIds;
    private final Instant lastChangedAt;
    private final Instant phaseSince;
    private final Instant lastFlareUpAt;
    private final ZoneId zone;
    private final List<Step> steps;
    private final Phase termsPhase;
    /** Clinicians' approvals of adjustments the monitor then withdrew, by what they asked ({@link #sameRequest}). */
    private final Map<String, AdjustmentApplied> approvalsWithdrawn;
    /** Clinicians' rejections, by what the rejected adjustment asked. */
    private final Map<String, AdjustmentRejected> rejections;

    /**
     * One thing that shapes the plan's terms, placed on its timeline. {@code group} 1 is a monitor adjustment
     * placed at its due time (ordered by id among equals); 0 is everything placed when it was taken in.
     */
    private record Step(PlanEvent event, Instant at, int group, String adjustmentId, long sequence) {
    }

    /** The terms so far as the timeline is replayed, and the phase at that point of it. */
    private record Replay(Phase phase, PlanTerms terms) {
    }

    private RehabPlan(Builder b) {
        this.version = b.version;
        this.athleteId = b.athleteId;
        this.clinicId = b.clinicId;
        this.diagnosis = b.diagnosis;
        this.side = b.side;
        this.injuryDate = b.injuryDate;
        this.symptomFreeRunKm = b.symptomFreeRunKm;
        this.createdAt = b.createdAt;
        this.phase = b.phase;
        this.terms = b.terms;
        // The builder's collections, not copies: a builder is built once and dropped (apply made it from the plan
        // before, copying; a second copy here was 4% of what a rebuild allocated, issue 15 item 3).
        this.adjustments = Collections.unmodifiableMap(b.adjustments);
        this.pending = Collections.unmodifiableMap(b.pending);
        this.latestAssessment = b.latestAssessment;
        this.latestAssessmentAt = b.latestAssessmentAt;
        this.assessmentIds = Collections.unmodifiableSet(b.assessmentIds);
        this.lastChangedAt = b.lastChangedAt;
        this.phaseSince = b.phaseSince;
        this.lastFlareUpAt = b.lastFlareUpAt;
        this.zone = b.zone;
        this.steps = Collections.unmodifiableList(b.steps);
        this.termsPhase = b.termsPhase;
        this.approvalsWithdrawn = Collections.unmodifiableMap(b.approvalsWithdrawn);
        this.rejections = Collections.unmodifiableMap(b.rejections);
    }

    /** The plan before the athlete is enrolled: no events, version 0. */
    public static RehabPlan empty() {
        return EMPTY;
    }

    /** The plan is the fold of its events, nothing else. */
    public static RehabPlan fold(List<PlanEvent> history) {
        RehabPlan plan = EMPTY;
        for (PlanEvent e : history) {
            plan = plan.apply(e);
        }
        return plan;
    }

    /** The plan as it stood at {@code instant}: the fold of the events that had occurred by then. */
    public static RehabPlan asOf(List<PlanEvent> history, Instant instant) {
        return fold(history.stream().filter(e -> !e.occurredAt().isAfter(instant)).toList());
    }

    // ---------------------------------------------------------------- decide

    /**
     * The events a command causes. An adjustment the plan already knows causes none (exactly once:
     * the load monitor may propose the same adjustment again after a restart or a redelivery).
     *
     * @throws PlanRuleViolation when the plan does not allow the command
     */
    public List<PlanEvent> decide(PlanCommand command) {
        if (command == null) {
            throw invalid("No command was given.");
        }
        if (command.at() == null) {
            throw invalid("The command has no time.");
        }
        if (command instanceof CreatePlan c) {
            return decideCreate(c);
        }
        if (!exists()) {
            throw new PlanRuleViolation(PlanRuleViolation.Kind.NO_PLAN, "This athlete has no rehab plan yet.");
        }
        if (command instanceof ApplyAdjustment c) {
            return decideApply(c);
        }
        if (command instanceof ApproveAdjustment c) {
            return decideApprove(c);
        }
        if (command instanceof RejectAdjustment c) {
            return decideReject(c);
        }
        if (command instanceof ChangePhase c) {
            return decideChangePhase(c);
        }
        if (command instanceof RecordAssessment c) {
            return decideRecordAssessment(c);
        }
        if (command instanceof ClearReferral c) {
            return decideClearReferral(c);
        }
        if (command instanceof EndProtectIfDue c) {
            return decideEndProtect(c);
        }
        if (command instanceof WithdrawAdjustment c) {
            return decideWithdraw(c);
        }
        throw new IllegalArgumentException("Unknown command " + command.getClass().getName());
    }

    private List<PlanEvent> decideCreate(CreatePlan c) {
        if (exists()) {
            throw new PlanRuleViolation(PlanRuleViolation.Kind.PLAN_EXISTS, "This athlete already has a rehab plan.");
        }
        if (blank(c.athleteId()) || blank(c.clinicId())) {
            throw invalid("A plan needs an athlete and a clinic.");
        }
        if (c.diagnosis() == null || c.side() == null) {
            throw invalid("A plan needs a diagnosis and the affected side.");
        }
        if (c.symptomFreeRunKm() != null && !(c.symptomFreeRunKm() >= 0 && Double.isFinite(c.symptomFreeRunKm()))) {
            throw invalid("The symptom-free run distance must be zero or more kilometres.");
        }
        PlanCreated draft = new PlanCreated(c.athleteId(), c.clinicId(), c.diagnosis(), c.side(), c.injuryDate(),
                c.symptomFreeRunKm(), c.at(), "", knownZone(c.timeZone()).map(ZoneId::getId).orElse(null));
        RunConstraints start = apply(draft).constraints();
        String runs = c.symptomFreeRunKm() != null && c.symptomFreeRunKm() > 0
                ? "then runs up to " + PlainWords.km(c.symptomFreeRunKm()) + ", the distance run before symptoms (seed 001)"
                : "then a walk-run start as no symptom-free distance is known";
        String reason = "Plan made from the " + c.diagnosis() + " template for the " + lower(c.side().name())
                + " calf, starting with a week of relative rest (PROTECT) with walking and isometrics if pain-free, "
                + runs + (start.minRestDaysBetweenRuns() > 0 ? ", never on consecutive days" : "") + ".";
        return List.of(withReason(draft, reason));
    }

    private List<PlanEvent> decideApply(ApplyAdjustment c) {
        Adjustment a = c.adjustment();
        if (a == null || blank(a.adjustmentId()) || a.type() == null) {
            throw invalid("An adjustment needs an id and a type.");
        }
        if (knowsAdjustment(a.adjustmentId())) {
            return List.of();
        }
        // A withdrawn one proposed again is a new proposal of the same item (FindingEvents.AdjustmentWithdrawn).
        boolean urgent = a.type() == AdjustmentType.URGENT_REFERRAL;
        // A proposal meant for a later phase (flare-up while loading, fromPhase) changes nothing yet:
        // it is recorded at once rather than put before a clinician with nothing to approve.
        Phase fromPhase = AdjustmentRules.parsePhase(new AdjustmentParameters(a.parameters()).code("fromPhase"));
        boolean notYet = fromPhase != null && phase.compareTo(fromPhase) < 0;
        if (c.policy() == ClinicPolicy.REVIEW && !urgent && !notYet) {
            AdjustmentApplied approved = approvalsWithdrawn.get(sameRequest(a));
            if (approved != null) {
                return List.of(approvedBefore(a, approved));
            }
            AdjustmentRejected rejected = rejections.get(sameRequest(a));
            if (rejected != null) {
                // The same request a clinician rejected (the monitor keeps a rejected one, so this is a new id for
                // it): recorded, and rejected as it was, by the same clinician, for the same reason. Named by the id
                // the clinician decided on, however many times it was carried over since.
                String decidedOn = decidedOn(rejected.adjustmentId(), rejected.carriedOverFrom());
                String what = AdjustmentRules.spoken(a.type()) + " proposed again unchanged under a new id after "
                        + "adjustment " + decidedOn + ", and rejected as " + rejected.rejectedBy()
                        + " rejected that one";
                return List.of(new AdjustmentPending(a, c.at(), PlainWords.sentence(what, a.reason(), source(a, null))),
                        new AdjustmentRejected(a.adjustmentId(), rejected.rejectedBy(), rejected.occurredAt(),
                                rejected.reason(), decidedOn));
            }
            String what = AdjustmentRules.spoken(a.type()) + " waiting for a clinician's approval (if approved: "
                    + lowerFirst(effectOf(a, c.at()).what()) + ")";
            return List.of(new AdjustmentPending(a, c.at(), PlainWords.sentence(what, a.reason(), source(a, null))));
        }
        // URGENT_REFERRAL never waits (DOMAIN.md): red flags need a doctor before any more load. A proposal for a later
        // phase is recorded at once too, and is no red flag (round 21, from outside: a reviewing clinic read "applied at
        // once, as red flags never wait for approval" under isometric holds recorded without a change).
        String extra = c.policy() != ClinicPolicy.REVIEW ? null
                : urgent ? "applied at once, as red flags never wait for approval"
                : "recorded at once: it changes nothing in this phase, so there is nothing to approve";
        AdjustmentApplied draft = new AdjustmentApplied(a, null, c.at(), "");
        Step placed = step(draft, version + 1, steps);
        boolean late = !steps.isEmpty() && TIMELINE.compare(placed, steps.get(steps.size() - 1)) < 0;
        // A late proposal is told in the phase the plan was in where it lands on the timeline, as the terms replay it
        // there: a flare-up of PROTECT days that syncs after a move to RESTORE_CAPACITY changes nothing, so its
        // reason must not promise isometric holds (DOMAIN.md "Convergence").
        Phase there = late ? phaseWhereItLands(placed) : phase;
        String reason = PlainWords.sentence(AdjustmentRules.effectOf(a, terms, diagnosis, there, c.at(), zone).what(),
                a.reason(), source(a, extra));
        if (late) {
            // Late data (DOMAIN.md "Convergence"): it takes its place on the timeline at the time it became due, and
            // what came after it there is taken again; the reason says where the plan ends up.
            reason += " Placed at " + placed.at() + ", when the findings made it due, as if it had arrived then; now "
                    + PlainWords.constraints(apply(draft).constraints()) + ".";
        }
        return List.of(new AdjustmentApplied(a, null, c.at(), reason));
    }

    /**
     * DOMAIN.md "Convergence": clinicians' decisions are kept as made. The monitor withdrew an approved adjustment
     * and proposes the very same request again (type, pattern, rule, parameters, due time) under another id: on an
     * upgrade that changed how its id is derived (round 19: a cap, pause or intensity change rests on its flare-ups,
     * no longer on their runs), or when only its evidence moved. The approval stands: it applies as approved then,
     * by the same clinician, at the same place on the plan's timeline, instead of waiting in the queue again.
     */
    private AdjustmentApplied approvedBefore(Adjustment a, AdjustmentApplied approved) {
        String what = AdjustmentRules.spoken(a.type()) + " proposed again unchanged after the load monitor withdrew "
                + "adjustment " + approved.adjustment().adjustmentId() + ", so the approval stands as given";
        String reason = PlainWords.sentence(effectOf(a, approved.occurredAt()).what() + "; " + lowerFirst(what),
                a.reason(), source(a, "approved by " + approved.approvedBy()));
        return new AdjustmentApplied(a, approved.approvedBy(), approved.occurredAt(), reason,
                decidedOn(approved.adjustment().adjustmentId(), approved.carriedOverFrom()));
    }

    /** The id a clinician's decision was made on: a decision carried over again keeps naming the first (audit). */
    private static String decidedOn(String adjustmentId, String carriedOverFrom) {
        return carriedOverFrom != null ? carriedOverFrom : adjustmentId;
    }

    /** What an adjustment asks of the plan and when it became due, whatever its id and evidence. */
    private static String sameRequest(Adjustment a) {
        return a.type() + "|" + a.pattern() + "|" + a.rule() + "|" + new TreeMap<>(a.parameters()) + "|" + a.dueAt();
    }

    private List<PlanEvent> decideApprove(ApproveAdjustment c) {
        Adjustment a = pendingOrThrow(c.adjustmentId(), "approved");
        if (blank(c.clinician())) {
            throw invalid("An approval needs the clinician's name.");
        }
        if (a.type() == AdjustmentType.ADVANCE_PHASE) {
            return decideApproveAdvance(a, c);
        }
        String reason = PlainWords.sentence(effectOf(a, c.at()).what(), a.reason(), source(a, "approved by " + c.clinician()));
        return List.of(new AdjustmentApplied(a, c.clinician(), c.at(), reason));
    }

    private List<PlanEvent> decideReject(RejectAdjustment c) {
        Adjustment a = pendingOrThrow(c.adjustmentId(), "rejected");
        if (blank(c.clinician())) {
            throw invalid("A rejection needs the clinician's name.");
        }
        String what = AdjustmentRules.spoken(a.type()) + " rejected by " + c.clinician() + ", so the plan stays as it was";
        return List.of(new AdjustmentRejected(a.adjustmentId(), c.clinician(), c.at(),
                PlainWords.sentence(what, c.why(), null)));
    }

    /**
     * DOMAIN.md "Gates are enforced": moving forwards past RETURN_TO_RUN or RETURN_TO_SPORT needs the
     * latest assessment to meet each gate on the way (skipping a phase skips no gate), or the clinician's
     * explicit override with a reason, recorded with the unmet criteria. Moving back or confirming the
     * phase needs no gate. While an urgent referral is in force the plan does not move on at all
     * (DOMAIN.md "Red flags always escalate"); only its clearance ends it, not a phase change.
     */
    private List<PlanEvent> decideChangePhase(ChangePhase c) {
        if (c.to() == null) {
            throw invalid("A phase change needs the phase to move to.");
        }
        if (blank(c.clinician())) {
            throw invalid("A phase change needs the clinician's name.");
        }
        boolean forwards = c.to().compareTo(phase) > 0;
        if (forwards && flags().urgentReferral()) {
            throw referralInForce("move the plan on to " + c.to());
        }
        List<GateReport> unmet = forwards ? unmetGatesUpTo(c.to()) : List.of();
        if (!unmet.isEmpty() && !c.overrideGates()) {
            throw new PlanRuleViolation(PlanRuleViolation.Kind.GATE_NOT_MET, "The plan cannot move from " + phase + " to "
                    + c.to() + " as " + PlainWords.unmetGates(unmet) + ". A clinician may override with overrideGates and a reason.",
                    unmet);
        }
        String why = PlainWords.clause(c.why());
        if (!unmet.isEmpty() && why == null) {
            throw invalid("Overriding a gate needs a reason.");
        }
        PhaseChanged draft = new PhaseChanged(phase, c.to(), c.clinician(), c.at(), "", !unmet.isEmpty(), unmet);
        RehabPlan after = apply(draft);
        String what = (phase == c.to() ? c.to() + " confirmed by " : "Moved from " + phase + " to " + c.to() + " by ")
                + c.clinician();
        StringBuilder s = new StringBuilder(what);
        if (!unmet.isEmpty()) {
            s.append(", overriding ").append(PlainWords.unmetGates(unmet));
        }
        if (why != null) {
            s.append(": ").append(why);
        }
        s.append("; now ").append(PlainWords.constraints(after.constraints()));
        if (flags().urgentReferral()) {
            s.append("; the urgent referral stays in force until a clinician clears it");
        }
        s.append(phaseChangeNotes(after));
        List<PlanEvent> events = new ArrayList<>(List.of(new PhaseChanged(draft.from(), draft.to(), draft.changedBy(),
                draft.occurredAt(), s.append('.').toString(), draft.gatesOverridden(), draft.unmetGates())));
        // The plan's own proposals to move on that this change fulfils leave the approval queue as applied.
        for (Adjustment advance : pending.values()) {
            Phase target = advance.type() == AdjustmentType.ADVANCE_PHASE ? advanceTarget(advance) : null;
            if (forwards && target != null && target.compareTo(c.to()) <= 0) {
                events.add(new AdjustmentApplied(advance, c.clinician(), c.at(), PlainWords.sentence("Move on to " + target
                        + " done by " + c.clinician() + "'s phase change to " + c.to(), advance.reason(), "plan gates")));
            }
        }
        return List.copyOf(events);
    }

    /** What a move into another phase lifts or keeps from earlier adjustments, said out loud. */
    private String phaseChangeNotes(RehabPlan after) {
        StringBuilder s = new StringBuilder();
        if (terms.imposed().maxIntensity() != null && after.terms.imposed().maxIntensity() == null) {
            s.append("; the ").append(terms.imposed().maxIntensity())
                    .append(" limit from an earlier adjustment is lifted as intervals bring intensity back (seed 001)");
        }
        List<String> kept = PlainWords.keptFromAdjustments(after.terms, after.today());
        if (!kept.isEmpty()) {
            s.append("; still in force from earlier adjustments: ").append(String.join(", ", kept));
        }
        return s.toString();
    }

    /** The gates between the current phase and {@code to} that the latest assessment does not meet, nearest first. */
    private List<GateReport> unmetGatesUpTo(Phase to) {
        return Gates.GATED.stream()
                .filter(g -> g.compareTo(phase) > 0 && g.compareTo(to) <= 0)
                .map(g -> Gates.into(g, latestAssessment, side))
                .filter(g -> !g.passed())
                .toList();
    }

    private static PlanRuleViolation referralInForce(String what) {
        return new PlanRuleViolation(PlanRuleViolation.Kind.REFERRAL_IN_FORCE, "An urgent referral is in force, so nothing may "
                + "loosen the plan: a clinician must clear the referral before they " + what + ".");
    }

    /**
     * DOMAIN.md "The plan": PROTECT moves to RESTORE_CAPACITY by itself after 7 days with no flare-up in
     * the last 72 h, and never while an urgent referral is in force. The plan hears of flare-ups through
     * the load monitor's flare-up-while-loading proposals (one per episode, sent in every phase), at the
     * time of their evidence ({@code startsAt}) or, without it, when they arrived.
     */
    private List<PlanEvent> decideEndProtect(EndProtectIfDue c) {
        // A week of the athlete's calendar days (DOMAIN.md: days in the athlete's time zone), 7 x 24 h but on a
        // daylight-saving change.
        Instant weekOver = phaseSince.atZone(zone).plusDays(PROTECT_LASTS.toDays()).toInstant();
        if (phase != Phase.PROTECT || flags().urgentReferral() || c.at().isBefore(weekOver)) {
            return List.of();
        }
        if (lastFlareUpAt != null && lastFlareUpAt.isAfter(c.at().minus(QUIET_BEFORE_LEAVING_PROTECT))) {
            return List.of();
        }
        RehabPlan after = apply(new PhaseChanged(Phase.PROTECT, Phase.RESTORE_CAPACITY, BY_ITSELF, c.at(), ""));
        long days = Duration.between(phaseSince, c.at()).toDays();
        String reason = "Moved from PROTECT to RESTORE_CAPACITY by itself after " + days + " days of relative rest with no "
                + "flare-up in the last 72 h, as the plan prescribes (seed 002: rest for a week, then load the calf); now "
                + PlainWords.constraints(after.constraints()) + phaseChangeNotes(after) + ".";
        return List.of(new PhaseChanged(Phase.PROTECT, Phase.RESTORE_CAPACITY, BY_ITSELF, c.at(), reason));
    }

    /** DOMAIN.md "Red flags always escalate": a referral ends only by a clinician's explicit clearance, with a reason. */
    private List<PlanEvent> decideClearReferral(ClearReferral c) {
        if (blank(c.clinician())) {
            throw invalid("Clearing an urgent referral needs the clinician's name.");
        }
        String why = PlainWords.clause(c.why());
        if (why == null) {
            throw invalid("Clearing an urgent referral needs a reason.");
        }
        if (!flags().urgentReferral()) {
            throw new PlanRuleViolation(PlanRuleViolation.Kind.NO_REFERRAL, "This plan has no urgent referral in force to clear.");
        }
        RehabPlan after = apply(new ReferralCleared(c.clinician(), c.at(), ""));
        return List.of(new ReferralCleared(c.clinician(), c.at(), "Urgent referral cleared by " + c.clinician() + ": " + why
                + "; now " + PlainWords.constraints(after.constraints()) + "."));
    }

    /**
     * DOMAIN.md "Convergence": the load monitor no longer stands behind an adjustment. One in force stops
     * shaping the plan (the constraints become what they would be had it never applied); a pending one leaves
     * the approval queue. What a clinician decided stays as made: a rejected one stays rejected. An urgent
     * referral is recorded as withdrawn by the monitor but stays in force until a clinician clears it
     * (DOMAIN.md "Red flags always escalate"). A withdrawal of something the plan never took in, or no longer
     * has, changes nothing.
     */
    private List<PlanEvent> decideWithdraw(WithdrawAdjustment c) {
        if (blank(c.adjustmentId())) {
            throw invalid("Which adjustment? No id was given.");
        }
        PlanAdjustment was = adjustments.get(c.adjustmentId());
        if (was == null || was.status() == AdjustmentStatus.WITHDRAWN || was.status() == AdjustmentStatus.REJECTED
                || was.type() == AdjustmentType.ADVANCE_PHASE) {
            return List.of();
        }
        String spoken = AdjustmentRules.spoken(was.type());
        AdjustmentWithdrawn draft = new AdjustmentWithdrawn(was.adjustmentId(), was.type(), c.at(), "");
        String what;
        if (was.type() == AdjustmentType.URGENT_REFERRAL && was.status() == AdjustmentStatus.APPLIED) {
            what = spoken + " withdrawn by the load monitor" + (flags().urgentReferral()
                    ? ", but the referral stays in force until a clinician clears it, as red flags need a clinician's "
                    + "explicit clearance (DOMAIN.md)"
                    : ", after a clinician had cleared it; nothing changes");
        } else if (was.status() == AdjustmentStatus.PENDING) {
            what = spoken + " withdrawn by the load monitor before a clinician decided it, so it leaves the approval "
                    + "queue and the plan stays as it was";
        } else {
            RehabPlan after = apply(draft);
            what = spoken + " withdrawn by the load monitor, so the plan is as if it had never applied; now "
                    + PlainWords.constraints(after.constraints());
        }
        String why = PlainWords.clause(c.why());
        return List.of(new AdjustmentWithdrawn(was.adjustmentId(), was.type(), c.at(),
                PlainWords.sentence(what, why != null ? why : "its evidence no longer supports it", "load monitor")));
    }

    /**
     * Approving the plan's own proposal to move on (DOMAIN.md "The plan"): the gate is checked again
     * against the latest assessment, and no move while an urgent referral is in force.
     */
    private List<PlanEvent> decideApproveAdvance(Adjustment a, ApproveAdjustment c) {
        Phase to = advanceTarget(a);
        String source = "plan gates; approved by " + c.clinician();
        if (to == null || to.compareTo(phase) <= 0) {
            String what = "Already in " + phase + (to == null ? "" : ", so the move to " + to + " changes nothing");
            return List.of(new AdjustmentApplied(a, c.clinician(), c.at(), PlainWords.sentence(what, a.reason(), source)));
        }
        if (flags().urgentReferral()) {
            throw referralInForce("approve the move to " + to);
        }
        List<GateReport> unmet = unmetGatesUpTo(to);
        if (!unmet.isEmpty()) {
            throw new PlanRuleViolation(PlanRuleViolation.Kind.GATE_NOT_MET, "The move to " + to + " can no longer be approved as "
                    + PlainWords.unmetGates(unmet) + " by the latest assessment. A clinician may change the phase with overrideGates "
                    + "and a reason.", unmet);
        }
        RehabPlan after = apply(new AdjustmentApplied(a, c.clinician(), c.at(), ""));
        String what = "Moved from " + phase + " to " + to + "; now " + PlainWords.constraints(after.constraints()) + phaseChangeNotes(after);
        return List.of(new AdjustmentApplied(a, c.clinician(), c.at(), PlainWords.sentence(what, a.reason(), source)));
    }

    private static Phase advanceTarget(Adjustment a) {
        return AdjustmentRules.parsePhase(new AdjustmentParameters(a.parameters()).code("phase"));
    }

    private List<PlanEvent> decideRecordAssessment(RecordAssessment c) {
        Assessment a = c.a();
        if (a == null) {
            throw invalid("No assessment was given.");
        }
        if (a.eventId() != null && assessmentIds.contains(a.eventId())) {
            return List.of();
        }
        AssessmentNoted draft = new AssessmentNoted(a, c.at(), "");
        RehabPlan after = apply(draft);
        LocalDate day = dayOf(a.recordedAt() != null ? a.recordedAt() : c.at(), zone);
        String reason = "Assessment of " + day + " noted"
                + Optional.ofNullable(after.gates()).map(g -> "; gate into " + g.gateFor() + ": " + g.met().size() + " of "
                + (g.met().size() + g.missing().size()) + " criteria met" + (g.passed() ? ", ready for a clinician to move the plan on"
                : " (missing: " + g.missing().stream().map(m -> lower(m.name())).collect(Collectors.joining(", ")) + ")"))
                .orElse("")
                + ".";
        AssessmentNoted noted = new AssessmentNoted(a, c.at(), reason);
        List<PlanEvent> events = new ArrayList<>(List.of(noted));
        after.proposedAdvance(a, c.at()).ifPresent(events::add);
        return List.copyOf(events);
    }

    /**
     * DOMAIN.md "The plan": an assessment that meets the next phase's gate makes the plan propose the
     * advance, always pending a clinician's approval (the usual approve call). None while an urgent
     * referral is in force, for an assessment older than the latest, or when one is already pending.
     * The id is derived from the plan, the phase and the assessment, so a redelivery proposes nothing new.
     */
    private Optional<AdjustmentPending> proposedAdvance(Assessment a, Instant at) {
        int nextIndex = phase.ordinal() + 1;
        if (nextIndex >= Phase.values().length || flags().urgentReferral() || !a.equals(latestAssessment)) {
            return Optional.empty();
        }
        Phase next = Phase.values()[nextIndex];
        if (!Gates.GATED.contains(next) || !Gates.into(next, a, side).passed()) {
            return Optional.empty();
        }
        boolean alreadyPending = pending.values().stream()
                .anyMatch(p -> p.type() == AdjustmentType.ADVANCE_PHASE && next == advanceTarget(p));
        if (alreadyPending) {
            return Optional.empty();
        }
        String measured = a.eventId() != null ? a.eventId() : String.valueOf(latestAssessmentAt);
        String id = "advance-" + java.util.UUID.nameUUIDFromBytes((clinicId + "|" + athleteId + "|" + next + "|" + measured)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("phase", next.name());
        if (a.eventId() != null) {
            parameters.put("assessmentEventId", a.eventId());
        }
        String why = "The assessment of " + dayOf(latestAssessmentAt, zone) + " meets every criterion of the gate into " + next
                + (next == Phase.RETURN_TO_SPORT ? " (Green 2022)" : "");
        Adjustment advance = new Adjustment(id, AdjustmentType.ADVANCE_PHASE, null, "gate-met", parameters,
                a.eventId() != null ? List.of(a.eventId()) : List.of(), why);
        return Optional.of(new AdjustmentPending(advance, at, PlainWords.sentence("Move on to " + next
                + " waiting for a clinician's approval", why, "plan gates, DOMAIN.md \"The plan\"")));
    }



    private Adjustment pendingOrThrow(String adjustmentId, String verb) {
        if (blank(adjustmentId)) {
            throw invalid("Which adjustment? No id was given.");
        }
        Adjustment a = pending.get(adjustmentId);
        if (a != null) {
            return a;
        }
        PlanAdjustment known = adjustments.get(adjustmentId);
        if (known == null) {
            throw new PlanRuleViolation(PlanRuleViolation.Kind.UNKNOWN_ADJUSTMENT,
                    "This plan has no adjustment " + adjustmentId + ".");
        }
        throw new PlanRuleViolation(PlanRuleViolation.Kind.NOT_PENDING, "Adjustment " + adjustmentId + " is already "
                + lower(known.status().name()) + ", so it cannot be " + verb + ".");
    }

    /** The phase of the replayed timeline just before a step that lands there. */
    private Phase phaseWhereItLands(Step placed) {
        Replay r = new Replay(null, null);
        for (Step s : steps) {
            if (TIMELINE.compare(s, placed) > 0) {
                break;
            }
            r = next(r, s, diagnosis, symptomFreeRunKm, zone);
        }
        return r.phase() != null ? r.phase() : phase;
    }

    private AdjustmentRules.Effect effectOf(Adjustment a, Instant at) {
        return AdjustmentRules.effectOf(a, terms, diagnosis, phase, at, zone);
    }

    private static String source(Adjustment a, String extra) {
        String s = "load monitor" + (a.pattern() != null ? ", pattern " + a.pattern() : "");
        return extra == null ? s : s + "; " + extra;
    }

    // ---------------------------------------------------------------- apply

    /** The plan after one more event. Events are facts: apply does not judge them, decide did. */
    public RehabPlan apply(PlanEvent event) {
        Objects.requireNonNull(event, "event");
        Builder b = new Builder(this);
        b.version = version + 1;
        b.lastChangedAt = lastChangedAt == null || event.occurredAt().isAfter(lastChangedAt) ? event.occurredAt() : lastChangedAt;
        if (event instanceof PlanCreated e) {
            if (exists()) {
                throw new IllegalStateException("A plan history holds two PlanCreated events.");
            }
            b.athleteId = e.athleteId();
            b.clinicId = e.clinicId();
            b.diagnosis = e.diagnosis();
            b.side = e.side();
            b.injuryDate = e.injuryDate();
            b.symptomFreeRunKm = e.symptomFreeRunKm();
            b.createdAt = e.occurredAt();
            b.phaseSince = e.occurredAt();
            b.phase = Phase.PROTECT;
            b.zone = knownZone(e.timeZone()).orElse(DEFAULT_ZONE);
            // Enrolment comes before everything on the timeline, whatever the times of the data.
            b.steps.add(new Step(e, Instant.MIN, 0, "", b.version));
            b.termsPhase = Phase.PROTECT;
            b.terms = PlanTerms.startingWith(RehabTemplate.phaseLimits(e.diagnosis(), Phase.PROTECT, e.symptomFreeRunKm(), null));
            return b.build();
        }
        if (!exists()) {
            throw new IllegalStateException("A plan history must start with PlanCreated, not " + event.getClass().getSimpleName() + ".");
        }
        if (event instanceof AdjustmentApplied e) {
            Adjustment a = e.adjustment();
            Phase advanceTo = a.type() == AdjustmentType.ADVANCE_PHASE && e.approvedBy() != null ? advanceTarget(a) : null;
            if (advanceTo != null && advanceTo.compareTo(phase) > 0) {
                // A clinician approved the plan's own proposal to move on.
                b.phase = advanceTo;
                b.phaseSince = e.occurredAt();
            }
            b.lastFlareUpAt = later(lastFlareUpAt, flareUpAt(a, e.occurredAt()));
            b.pending.remove(a.adjustmentId());
            b.adjustments.put(a.adjustmentId(), view(a, AdjustmentStatus.APPLIED, e.reason(), e.occurredAt()));
            take(b, step(e, b.version, b.steps));
        } else if (event instanceof AdjustmentPending e) {
            Adjustment a = e.adjustment();
            b.pending.put(a.adjustmentId(), a);
            b.lastFlareUpAt = later(lastFlareUpAt, flareUpAt(a, e.occurredAt()));
            b.adjustments.put(a.adjustmentId(), view(a, AdjustmentStatus.PENDING, e.reason(), null));
        } else if (event instanceof AdjustmentRejected e) {
            PlanAdjustment was = adjustments.get(e.adjustmentId());
            if (was == null) {
                throw new IllegalStateException("Rejected adjustment " + e.adjustmentId() + " was never proposed.");
            }
            Adjustment proposed = pending.get(e.adjustmentId());
            if (proposed != null) {
                b.rejections.put(sameRequest(proposed), e);
            }
            b.pending.remove(e.adjustmentId());
            b.adjustments.put(e.adjustmentId(), new PlanAdjustment(was.adjustmentId(), was.type(), AdjustmentStatus.REJECTED,
                    e.reason(), was.evidenceEventIds(), was.parameters(), e.occurredAt()));
        } else if (event instanceof AdjustmentWithdrawn e) {
            withdraw(b, e);
        } else if (event instanceof PhaseChanged e) {
            if (e.to() != phase) {
                b.phaseSince = e.occurredAt();
            }
            b.phase = e.to();
            take(b, new Step(e, e.occurredAt(), 0, "", b.version));
        } else if (event instanceof ReferralCleared e) {
            take(b, new Step(e, e.occurredAt(), 0, "", b.version));
        } else if (event instanceof AssessmentNoted e) {
            Assessment a = e.assessment();
            Instant measured = a.recordedAt() != null ? a.recordedAt() : e.occurredAt();
            // Event time, not arrival time (DOMAIN.md): a late assessment of an earlier day does not hide a newer one.
            if (latestAssessmentAt == null || !measured.isBefore(latestAssessmentAt)) {
                b.latestAssessment = a;
                b.latestAssessmentAt = measured;
            }
            if (a.eventId() != null) {
                b.assessmentIds.add(a.eventId());
            }
        }
        return b.build();
    }

    /**
     * The monitor withdrew an adjustment: a pending one leaves the queue, one in force leaves the timeline and
     * the terms are replayed without it. An urgent referral stays on the timeline (and APPLIED) until cleared.
     */
    private void withdraw(Builder b, AdjustmentWithdrawn e) {
        PlanAdjustment was = adjustments.get(e.adjustmentId());
        if (was == null) {
            throw new IllegalStateException("Withdrawn adjustment " + e.adjustmentId() + " was never proposed.");
        }
        if (was.type() == AdjustmentType.URGENT_REFERRAL && was.status() == AdjustmentStatus.APPLIED) {
            b.adjustments.put(was.adjustmentId(), new PlanAdjustment(was.adjustmentId(), was.type(), was.status(),
                    e.reason(), was.evidenceEventIds(), was.parameters(), was.decidedAt()));
            return;
        }
        b.pending.remove(e.adjustmentId());
        b.adjustments.put(was.adjustmentId(), new PlanAdjustment(was.adjustmentId(), was.type(), AdjustmentStatus.WITHDRAWN,
                e.reason(), was.evidenceEventIds(), was.parameters(), e.occurredAt()));
        for (Step s : b.steps) {
            if (s.event() instanceof AdjustmentApplied applied && applied.approvedBy() != null
                    && applied.adjustment().adjustmentId().equals(e.adjustmentId())) {
                b.approvalsWithdrawn.put(sameRequest(applied.adjustment()), applied);
            }
        }
        boolean inForce = b.steps.removeIf(s -> s.event() instanceof AdjustmentApplied applied
                && applied.adjustment().adjustmentId().equals(e.adjustmentId()));
        if (inForce) {
            Replay r = replay(b.steps, diagnosis, symptomFreeRunKm, zone);
            b.termsPhase = r.phase();
            b.terms = r.terms();
        }
        b.lastFlareUpAt = flareUpsSeen(b.steps, b.pending.values());
    }

    /**
     * A step joins the timeline. Landing after every other step (the usual case), it applies on top of the
     * terms; landing earlier (its findings were due before something the plan already took in), the timeline
     * is replayed, so the terms are what they would have been had everything arrived in time order.
     */
    private void take(Builder b, Step s) {
        boolean last = b.steps.isEmpty() || TIMELINE.compare(s, b.steps.get(b.steps.size() - 1)) > 0;
        b.steps.add(s);
        if (last) {
            Replay r = next(new Replay(termsPhase, terms), s, diagnosis, symptomFreeRunKm, zone);
            b.termsPhase = r.phase();
            b.terms = r.terms();
        } else {
            b.steps.sort(TIMELINE);
            Replay r = replay(b.steps, diagnosis, symptomFreeRunKm, zone);
            b.termsPhase = r.phase();
            b.terms = r.terms();
        }
    }

    /**
     * Where an applied adjustment goes on the timeline: a monitor adjustment applied at once at the time its
     * findings made it due, ordered by id among equals (so the same set gives the same terms in any arrival
     * order); an approved one when the clinician approved it; one with no due time when it was taken in.
     */
    private static Step step(AdjustmentApplied e, long sequence, List<Step> taken) {
        Adjustment a = e.adjustment();
        if (e.approvedBy() == null && a.dueAt() != null) {
            return new Step(e, referralNotBeforeItsClearance(a, taken), 1, a.adjustmentId(), sequence);
        }
        return new Step(e, e.occurredAt(), 0, "", sequence);
    }

    /**
     * DOMAIN.md "Red flags always escalate": a clearance covers the red flags the clinician had before them when they
     * cleared. A referral that reaches the plan after a clearance (its report synced late, so its event time is
     * earlier) escalates again: it goes on the timeline no earlier than the latest clearance, right after it (group 1
     * after the clearance's group 0), instead of being cleared by a decision made without it. Only the steps taken
     * before it count, so the fold gives the same plan on every replay and rebuild.
     */
    private static Instant referralNotBeforeItsClearance(Adjustment a, List<Step> taken) {
        Instant at = a.dueAt();
        if (a.type() != AdjustmentType.URGENT_REFERRAL) {
            return at;
        }
        for (Step s : taken) {
            if (s.event() instanceof ReferralCleared && s.at().isAfter(at)) {
                at = s.at();
            }
        }
        return at;
    }

    /** The timeline replayed from enrolment: the plan's terms are a function of its steps. */
    private static Replay replay(List<Step> steps, Diagnosis diagnosis, Double symptomFreeRunKm, ZoneId zone) {
        Replay r = new Replay(null, null);
        for (Step s : steps) {
            r = next(r, s, diagnosis, symptomFreeRunKm, zone);
        }
        return r;
    }

    /** One step of the timeline: the same rules whether it is applied on top or replayed. */
    private static Replay next(Replay r, Step s, Diagnosis diagnosis, Double symptomFreeRunKm, ZoneId zone) {
        PlanEvent event = s.event();
        if (event instanceof PlanCreated e) {
            return new Replay(Phase.PROTECT,
                    PlanTerms.startingWith(RehabTemplate.phaseLimits(e.diagnosis(), Phase.PROTECT, e.symptomFreeRunKm(), null)));
        }
        if (event instanceof PhaseChanged e) {
            return new Replay(e.to(), afterPhaseChange(r.terms(), diagnosis, symptomFreeRunKm, e.to()));
        }
        if (event instanceof ReferralCleared) {
            return new Replay(r.phase(), r.terms().withFlags(r.terms().flags().withReferralCleared()));
        }
        if (event instanceof AdjustmentApplied e) {
            Adjustment a = e.adjustment();
            Phase advanceTo = a.type() == AdjustmentType.ADVANCE_PHASE && e.approvedBy() != null ? advanceTarget(a) : null;
            if (advanceTo != null && advanceTo.compareTo(r.phase()) > 0) {
                return new Replay(advanceTo, afterPhaseChange(r.terms(), diagnosis, symptomFreeRunKm, advanceTo));
            }
            return new Replay(r.phase(), AdjustmentRules.effectOf(a, r.terms(), diagnosis, r.phase(), s.at(), zone).after());
        }
        throw new IllegalStateException("Not a step of the plan's timeline: " + event.getClass().getSimpleName());
    }

    /**
     * A phase change brings the new phase's own limits. What adjustments imposed stays (a cap, a
     * progression limit, a recovery day, a cadence target, a running pause still running), except
     * an intensity limit when the plan moves into BUILD or RETURN_TO_SPORT: there the clinician
     * brings intensity back with intervals (seed 001), and the event's reason says so. A clinician
     * changing or confirming the phase has reviewed the plan, so the review flag clears; an urgent
     * referral stays until it is cleared explicitly (DOMAIN.md "Red flags always escalate").
     */
    private static PlanTerms afterPhaseChange(PlanTerms terms, Diagnosis diagnosis, Double symptomFreeRunKm, Phase to) {
        RunConstraints limits = RehabTemplate.phaseLimits(diagnosis, to, symptomFreeRunKm, terms.capKm());
        ImposedLimits imposed = terms.imposed();
        if (to == Phase.BUILD || to == Phase.RETURN_TO_SPORT) {
            imposed = imposed.withMaxIntensity(null);
        }
        return terms.withPhaseLimits(limits).withImposed(imposed).withFlags(terms.flags().reviewed());
    }

    /**
     * When the flare-up a flare-up-while-loading proposal (ADD_EXERCISE with a {@code fromPhase}) stands for
     * happened: at its evidence's time when given, else when it became due, else when it reached the plan;
     * null for any other adjustment.
     */
    private static Instant flareUpAt(Adjustment a, Instant arrived) {
        AdjustmentParameters p = new AdjustmentParameters(a.parameters());
        if (a.type() != AdjustmentType.ADD_EXERCISE || p.code("fromPhase") == null) {
            return null;
        }
        return p.instant("startsAt") != null ? p.instant("startsAt") : a.dueAt() != null ? a.dueAt() : arrived;
    }

    /** The latest flare-up the adjustments still standing tell of (after a withdrawal). */
    private static Instant flareUpsSeen(List<Step> steps, java.util.Collection<Adjustment> pending) {
        Instant latest = null;
        for (Step s : steps) {
            if (s.event() instanceof AdjustmentApplied e) {
                latest = later(latest, flareUpAt(e.adjustment(), e.occurredAt()));
            }
        }
        for (Adjustment a : pending) {
            latest = later(latest, flareUpAt(a, null));
        }
        return latest;
    }

    private static Instant later(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || !b.isAfter(a) ? a : b;
    }

    private static PlanAdjustment view(Adjustment a, AdjustmentStatus status, String reason, Instant decidedAt) {
        return new PlanAdjustment(a.adjustmentId(), a.type(), status, reason, a.evidenceEventIds(), a.parameters(), decidedAt);
    }

    // ---------------------------------------------------------------- the schedule

    /**
     * The run constraints over the plan's whole timeline as it stands now, oldest first (DOMAIN.md "over the plan":
     * a run is judged against the constraints in force at its time). The steps are replayed in timeline order, as
     * for the terms: a decision at its time, a monitor adjustment at its due event time; so a late adjustment or a
     * withdrawal rewrites earlier periods, and the same steps give the same schedule in any arrival order. The first
     * period starts when the plan was made: before that there was no plan to keep to, so a step due earlier (late
     * data of the weeks before enrolment) counts from then. A PAUSE_RUNNING ends at the start of its
     * {@code pausedUntil} day in the athlete's zone ("Time-bound adjustments live in event time"). Consecutive equal
     * periods are one. Empty before the plan exists.
     */
    public List<ConstraintPeriod> constraintSchedule() {
        if (!exists()) {
            return List.of();
        }
        List<Instant> at = new ArrayList<>();
        List<PlanTerms> after = new ArrayList<>();
        Replay r = new Replay(null, null);
        for (Step s : steps) {
            r = next(r, s, diagnosis, symptomFreeRunKm, zone);
            Instant from = s.at().isBefore(createdAt) ? createdAt : s.at();
            if (!at.isEmpty() && at.get(at.size() - 1).equals(from)) {
                after.set(after.size() - 1, r.terms()); // several steps at one instant: what stands after the last
            } else {
                at.add(from);
                after.add(r.terms());
            }
        }
        List<ConstraintPeriod> schedule = new ArrayList<>();
        for (int i = 0; i < at.size(); i++) {
            Instant from = at.get(i);
            Instant until = i + 1 < at.size() ? at.get(i + 1) : null;
            PlanTerms terms = after.get(i);
            addPeriod(schedule, from, terms.constraintsOn(dayOf(from, zone)));
            LocalDate resume = terms.imposed().pausedUntil();
            if (resume != null) {
                Instant pauseEnds = resume.atStartOfDay(zone).toInstant();
                if (pauseEnds.isAfter(from) && (until == null || pauseEnds.isBefore(until))) {
                    addPeriod(schedule, pauseEnds, terms.constraintsOn(resume));
                }
            }
        }
        return List.copyOf(schedule);
    }

    private static void addPeriod(List<ConstraintPeriod> schedule, Instant from, RunConstraints c) {
        if (!schedule.isEmpty() && schedule.get(schedule.size() - 1).constraints().equals(c)) {
            return;
        }
        schedule.add(new ConstraintPeriod(from, c));
    }

    // ---------------------------------------------------------------- the view

    public long version() {
        return version;
    }

    /** Whether the athlete has been enrolled (a PlanCreated was folded). */
    public boolean exists() {
        return createdAt != null;
    }

    /**
     * Applied, pending or rejected already: proposing it again changes nothing. A withdrawn one is not known
     * in this sense: proposed again, it is a new proposal of the same item.
     */
    public boolean knowsAdjustment(String adjustmentId) {
        PlanAdjustment known = adjustments.get(adjustmentId);
        return known != null && known.status() != AdjustmentStatus.WITHDRAWN;
    }

    /** Whether an assessment with this event id was already noted. */
    public boolean knowsAssessment(String eventId) {
        return assessmentIds.contains(eventId);
    }

    public String athleteId() {
        return athleteId;
    }

    public String clinicId() {
        return clinicId;
    }

    public Diagnosis diagnosis() {
        return diagnosis;
    }

    public Side side() {
        return side;
    }

    public LocalDate injuryDate() {
        return injuryDate;
    }

    public Double symptomFreeRunKm() {
        return symptomFreeRunKm;
    }

    public Instant createdAt() {
        return createdAt;
    }

    /** When the current phase began (enrolment for the first PROTECT); null before creation. */
    public Instant phaseSince() {
        return phaseSince;
    }

    /** When the latest event occurred; null before creation. */
    public Instant lastChangedAt() {
        return lastChangedAt;
    }

    public Phase phase() {
        return phase;
    }

    /** The constraints on the day of the latest event (see {@link #constraintsOn(LocalDate)}). */
    public RunConstraints constraints() {
        return constraintsOn(today());
    }

    /**
     * The constraints in force on a day: a PAUSE_RUNNING ends by itself on its {@code pausedUntil}
     * day, so a view of today asks with today's date.
     */
    public RunConstraints constraintsOn(LocalDate day) {
        return terms == null ? null : terms.constraintsOn(day);
    }

    /**
     * The current phase's prescription for the diagnosis, then the exercises adjustments added.
     * While an urgent referral stands, everything that loads the calf is marked suspended (seed 004).
     */
    public List<PrescribedExercise> exercises() {
        if (!exists()) {
            return List.of();
        }
        List<PrescribedExercise> list = new ArrayList<>(RehabTemplate.exercises(diagnosis, phase));
        for (String name : terms.addedExercises()) {
            if (list.stream().noneMatch(e -> e.name().equals(name))) {
                list.add(RehabTemplate.library(name).orElseGet(() -> RehabTemplate.unlisted(name)));
            }
        }
        if (terms.isometricsAt(lastChangedAt)) {
            // DOMAIN.md flare-up while loading; seed 000: "isometrics if you get a flare up".
            list.replaceAll(e -> RehabTemplate.loadedCalfRaise(e.name()) ? e.replacedByIsometricsUntil(terms.isometricsUntil()) : e);
            if (list.stream().noneMatch(e -> e.name().equals(RehabTemplate.CALF_ISOMETRIC_HOLD))) {
                list.add(RehabTemplate.library(RehabTemplate.CALF_ISOMETRIC_HOLD).orElseThrow());
            }
        }
        if (terms.flags().urgentReferral()) {
            list.replaceAll(e -> RehabTemplate.loadsTheCalf(e.name()) ? e.suspendedForReferral() : e);
        }
        return List.copyOf(list);
    }

    public PlanFlags flags() {
        return terms == null ? PlanFlags.NONE : terms.flags();
    }

    /** Clinician screens adjustments asked for (e.g. "TIBIALIS_POSTERIOR"); cleared by no event, kept as a record. */
    public List<String> screensDue() {
        return terms == null ? List.of() : terms.screensDue();
    }

    /** Every adjustment the plan has seen, in the order first proposed, with its current status. */
    public List<PlanAdjustment> adjustments() {
        return List.copyOf(adjustments.values());
    }

    /** One adjustment by id, with its current status. */
    public Optional<PlanAdjustment> adjustment(String adjustmentId) {
        return Optional.ofNullable(adjustments.get(adjustmentId));
    }

    /** The adjustments waiting for a clinician, as proposed. */
    public List<Adjustment> pendingAdjustments() {
        return List.copyOf(pending.values());
    }

    /** The assessment measured last (by its recordedAt), if any. */
    public Optional<Assessment> latestAssessment() {
        return Optional.ofNullable(latestAssessment);
    }

    /**
     * The next gate ahead, split into met and missing criteria from the latest assessment: the gate
     * into RETURN_TO_RUN while the plan is in PROTECT or RESTORE_CAPACITY, the gate into
     * RETURN_TO_SPORT (Green 2022) in RETURN_TO_RUN and BUILD, and null once in RETURN_TO_SPORT or
     * before the plan exists.
     */
    public GateReport gates() {
        List<GateReport> ahead = gatesAhead();
        return ahead.isEmpty() ? null : ahead.get(0);
    }

    /** Every gate still ahead, nearest first (both before RETURN_TO_RUN), for a view of the whole road back. */
    public List<GateReport> gatesAhead() {
        if (!exists()) {
            return List.of();
        }
        return Gates.GATED.stream()
                .filter(p -> p.compareTo(phase) > 0)
                .map(p -> Gates.into(p, latestAssessment, side))
                .toList();
    }

    private LocalDate today() {
        return lastChangedAt == null ? null : dayOf(lastChangedAt, zone);
    }

    /** The time zone the plan counts the athlete's days in (DOMAIN.md: given at enrolment, else UTC). */
    public ZoneId zone() {
        return zone;
    }

    /** The athlete's calendar day of an instant. */
    static LocalDate dayOf(Instant instant, ZoneId zone) {
        // A fixed offset (UTC, the default) by arithmetic: atZone allocates a ZonedDateTime and the offset's ZoneRules
        // on every call, 7% of what a rebuild allocated (issue 15 item 3, round 8 profile).
        if (zone == null || zone instanceof ZoneOffset) {
            int offset = zone == null ? 0 : ((ZoneOffset) zone).getTotalSeconds();
            return LocalDate.ofEpochDay(Math.floorDiv(instant.getEpochSecond() + offset, 86_400L));
        }
        return LocalDate.ofInstant(instant, zone);
    }

    /** An IANA zone name as given at enrolment; empty when absent or not a zone (then the plan counts in UTC). */
    static Optional<ZoneId> knownZone(String name) {
        if (name == null || name.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(ZoneId.of(name.strip()));
        } catch (java.time.DateTimeException e) {
            return Optional.empty();
        }
    }

    // ---------------------------------------------------------------- helpers

    private static PlanRuleViolation invalid(String message) {
        return new PlanRuleViolation(PlanRuleViolation.Kind.INVALID_COMMAND, message);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    private static String lowerFirst(String s) {
        return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }

    private static PlanCreated withReason(PlanCreated e, String reason) {
        return new PlanCreated(e.athleteId(), e.clinicId(), e.diagnosis(), e.side(), e.injuryDate(), e.symptomFreeRunKm(),
                e.occurredAt(), reason, e.timeZone());
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof RehabPlan p)) {
            return false;
        }
        return version == p.version && Objects.equals(athleteId, p.athleteId) && Objects.equals(clinicId, p.clinicId)
                && diagnosis == p.diagnosis && side == p.side && Objects.equals(injuryDate, p.injuryDate)
                && Objects.equals(symptomFreeRunKm, p.symptomFreeRunKm) && Objects.equals(createdAt, p.createdAt)
                && phase == p.phase && Objects.equals(terms, p.terms) && adjustments.equals(p.adjustments)
                && pending.equals(p.pending) && Objects.equals(latestAssessment, p.latestAssessment)
                && Objects.equals(latestAssessmentAt, p.latestAssessmentAt) && assessmentIds.equals(p.assessmentIds)
                && Objects.equals(lastChangedAt, p.lastChangedAt) && Objects.equals(phaseSince, p.phaseSince)
                && Objects.equals(lastFlareUpAt, p.lastFlareUpAt) && Objects.equals(zone, p.zone)
                && steps.equals(p.steps) && termsPhase == p.termsPhase;
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, athleteId, clinicId, diagnosis, side, phase, terms, adjustments.keySet(), lastChangedAt);
    }

    @Override
    public String toString() {
        return "RehabPlan{athlete=" + athleteId + ", clinic=" + clinicId + ", version=" + version + ", diagnosis=" + diagnosis
                + ", side=" + side + ", phase=" + phase + ", constraints=" + constraints() + ", flags=" + flags()
                + ", adjustments=" + adjustments.values() + "}";
    }

    /** Mutable only while one event is applied; {@link #build} hands its collections to the plan, so once only. */
    private static final class Builder {
        long version;
        String athleteId;
        String clinicId;
        Diagnosis diagnosis;
        Side side;
        LocalDate injuryDate;
        Double symptomFreeRunKm;
        Instant createdAt;
        Phase phase;
        PlanTerms terms;
        final Map<String, PlanAdjustment> adjustments = new LinkedHashMap<>();
        final Map<String, Adjustment> pending = new LinkedHashMap<>();
        Assessment latestAssessment;
        Instant latestAssessmentAt;
        final Set<String> assessmentIds = new LinkedHashSet<>();
        Instant lastChangedAt;
        Instant phaseSince;
        Instant lastFlareUpAt;
        ZoneId zone = DEFAULT_ZONE;
        final List<Step> steps = new ArrayList<>();
        Phase termsPhase;
        final Map<String, AdjustmentApplied> approvalsWithdrawn = new HashMap<>();
        final Map<String, AdjustmentRejected> rejections = new HashMap<>();

        Builder() {
        }

        Builder(RehabPlan p) {
            version = p.version;
            athleteId = p.athleteId;
            clinicId = p.clinicId;
            diagnosis = p.diagnosis;
            side = p.side;
            injuryDate = p.injuryDate;
            symptomFreeRunKm = p.symptomFreeRunKm;
            createdAt = p.createdAt;
            phase = p.phase;
            terms = p.terms;
            adjustments.putAll(p.adjustments);
            pending.putAll(p.pending);
            latestAssessment = p.latestAssessment;
            latestAssessmentAt = p.latestAssessmentAt;
            assessmentIds.addAll(p.assessmentIds);
            lastChangedAt = p.lastChangedAt;
            phaseSince = p.phaseSince;
            lastFlareUpAt = p.lastFlareUpAt;
            zone = p.zone;
            steps.addAll(p.steps);
            termsPhase = p.termsPhase;
            approvalsWithdrawn.putAll(p.approvalsWithdrawn);
            rejections.putAll(p.rejections);
        }

        private boolean built;

        RehabPlan build() {
            if (built) {
                throw new IllegalStateException("a plan builder is built once");
            }
            built = true;
            return new RehabPlan(this);
        }
    }
}
