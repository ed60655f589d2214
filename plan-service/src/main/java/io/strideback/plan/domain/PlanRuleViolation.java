package io.strideback.plan.domain;

import java.util.List;

/**
 * A command the plan does not allow, with a message a clinic can read. {@link #kind()} lets an
 * adapter choose its answer (no plan: 404; a conflict with the plan's state: 409; bad input: 422)
 * without parsing the message.
 */
public final class PlanRuleViolation extends RuntimeException {

    public enum Kind {
        /** The athlete has no plan yet. */
        NO_PLAN,
        /** The athlete already has a plan. */
        PLAN_EXISTS,
        /** No adjustment with that id is known to the plan. */
        UNKNOWN_ADJUSTMENT,
        /** The adjustment exists but is not waiting for approval. */
        NOT_PENDING,
        /** The command itself is incomplete or out of range. */
        INVALID_COMMAND,
        /** A phase change into a gated phase whose gate the latest assessment does not meet (DOMAIN.md "Gates are enforced"). */
        GATE_NOT_MET,
        /** An urgent referral is in force, so nothing may loosen the plan (DOMAIN.md "Red flags always escalate"). */
        REFERRAL_IN_FORCE,
        /** A clearance was asked for while no urgent referral is in force. */
        NO_REFERRAL
    }

    private static final long serialVersionUID = 1L;

    private final Kind kind;
    private final transient List<GateReport> unmetGates;

    public PlanRuleViolation(Kind kind, String message) {
        this(kind, message, List.of());
    }

    /** A refusal that names the gates not met, with their missing criteria (for a 409 with {@code unmetCriteria}). */
    public PlanRuleViolation(Kind kind, String message, List<GateReport> unmetGates) {
        super(message);
        this.kind = kind;
        this.unmetGates = List.copyOf(unmetGates);
    }

    public Kind kind() {
        return kind;
    }

    /** The gates a refused phase change did not meet; empty for any other refusal. */
    public List<GateReport> unmetGates() {
        return unmetGates == null ? List.of() : unmetGates;
    }
}
