package io.strideback.plan.service;

/** No plan exists for the athlete (not enrolled yet, or in another clinic). */
public class PlanNotFoundException extends RuntimeException {
    public PlanNotFoundException(String athleteId) {
        super("no plan for athlete " + athleteId);
    }
}
