package io.strideback.plan.api;

/** A refused phase change, answered 409 with {@code unmetCriteria} by {@link PlanProblemMappers}. */
public class GatesNotMetException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient GatesNotMetProblem problem;

    public GatesNotMetException(GatesNotMetProblem problem) {
        super(problem.detail());
        this.problem = problem;
    }

    public GatesNotMetProblem problem() {
        return problem;
    }
}
