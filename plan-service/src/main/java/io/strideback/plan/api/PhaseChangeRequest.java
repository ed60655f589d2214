package io.strideback.plan.api;

/**
 * The body of {@code POST /api/v1/athletes/{id}/plan/phase} (CONTRACT v2): the phase to move to, why,
 * and {@code overrideGates} to move on against a gate the latest assessment does not meet (needs a reason).
 */
public record PhaseChangeRequest(String phase, String reason, Boolean overrideGates) {
}
