package io.strideback.plan.audit;

import com.fasterxml.jackson.databind.JsonNode;
import io.strideback.support.rest.FieldError;
import io.strideback.support.rest.ProblemException;
import io.strideback.support.security.Caller;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import io.strideback.events.vocabulary.ContractInstants;
import java.util.List;

/**
 * CONTRACT v2 {@code GET /api/v1/audit}: the caller's clinic's audit log, for a clinic-admin only (a
 * clinician gets 403). Newest first; {@code ?before=} (an instant) pages back, {@code ?limit=} (1-500,
 * default 100) bounds a page.
 */
@Path("/api/v1/audit")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "audit")
public class AuditResource {

    /** One entry: who did what to which target, with the value before and after, and when. */
    public record AuditEntry(String at, String who, String what, String target, JsonNode before, JsonNode after,
                             String source) {
    }

    /** A page of the log; {@code next} is the {@code before} of the following page, absent on the last. */
    public record AuditPage(String clinicId, List<AuditEntry> entries, String next) {
    }

    @Inject
    Caller caller;
    @Inject
    AuditLog log;

    @GET
    @RolesAllowed(Caller.CLINIC_ADMIN)
    @Operation(summary = "Who changed settings, policy, phases, approvals, rejections, clearances and erasures, and when "
            + "(clinic-admin)")
    public AuditPage audit(@QueryParam("limit") Integer limit, @QueryParam("before") String before) {
        int size = limit == null ? 100 : limit;
        if (size < 1 || size > 500) {
            throw ProblemException.invalid(List.of(new FieldError("limit", "must be between 1 and 500")));
        }
        // The cursor is an instant this service wrote; read by the rule every client instant is read by (round 20).
        Instant cursor = before == null ? null : ContractInstants.readClientInstant(before);
        if (before != null && cursor == null) {
            throw ProblemException.invalid(List.of(new FieldError("before", ContractInstants.CLIENT_INSTANT_FORM)));
        }
        String clinicId = caller.clinicId();
        List<AuditEntry> entries = log.entries(clinicId, size, cursor).stream()
                .map(e -> new AuditEntry(e.at().toString(), e.who(), e.what(), e.target(), e.before(), e.after(),
                        e.source()))
                .toList();
        String next = entries.size() == size ? entries.get(entries.size() - 1).at() : null;
        return new AuditPage(clinicId, entries, next);
    }
}
