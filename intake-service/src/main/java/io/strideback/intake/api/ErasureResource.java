package io.strideback.intake.api;

import io.strideback.intake.service.ErasureService;
import io.strideback.support.security.Caller;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * CONTRACT v2 {@code DELETE /api/v1/athletes/{athleteId}} (issue 16 item 3): a clinic-admin erases an athlete of
 * their clinic. 202 once the data key is destroyed and {@code athlete.erased} is on the topic; a clinician 403,
 * another clinic's athlete 404; a repeated DELETE answers the first erasure again.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "intake")
public class ErasureResource {

    @Inject
    Caller caller;
    @Inject
    ErasureService erasures;

    @DELETE
    @Path("/athletes/{athleteId}")
    @RolesAllowed(Caller.CLINIC_ADMIN)
    @Operation(summary = "Erase an athlete (clinic-admin): destroys their data key, so every personal field on the "
            + "topics becomes unreadable, and publishes athlete.erased; later posts for them answer 410")
    @APIResponse(responseCode = "202", description = "erased (again: the first erasure's answer)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = IntakeAnswers.Erased.class)))
    @APIResponse(responseCode = "401", description = "no valid bearer token")
    @APIResponse(responseCode = "403", description = "only a clinic-admin may erase an athlete",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = io.strideback.support.rest.Problem.class)))
    @APIResponse(responseCode = "404", description = "no such athlete in the caller's clinic",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = io.strideback.support.rest.Problem.class)))
    @APIResponse(responseCode = "503", description = "the key is destroyed but athlete.erased is not yet on the topic; "
            + "retry the DELETE after Retry-After",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = io.strideback.support.rest.Problem.class)))
    public Response erase(@PathParam("athleteId") String athleteId) {
        ErasureService.Erasure erased = erasures.erase(caller.clinicId(), athleteId, caller.subject());
        return Response.accepted(new IntakeAnswers.Erased(erased.athleteId(), erased.erasedAt())).build();
    }
}
