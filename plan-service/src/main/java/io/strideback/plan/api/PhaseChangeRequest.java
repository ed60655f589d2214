package io.strideback.plan.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The body of {@code POST /api/v1/athletes/{id}/plan/phase} (CONTRACT v2): the phase to move to, why (always:
 * a clinician's decision carries its reason), and {@code overrideGates} to move on against a gate the latest
 * assessment does not meet.
 */
public record PhaseChangeRequest(@Schema(required = true) String phase,
                                 @Schema(required = true, description = "why the phase changes; not blank") String reason,
                                 Boolean overrideGates) {
}
