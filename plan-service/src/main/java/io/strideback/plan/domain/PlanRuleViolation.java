package io.strideback.plan.domain;

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
        INVALID_COMMAND
    }

    private static final long serialVersionUID = 1L;

    private final Kind kind;

    public PlanRuleViolation(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
