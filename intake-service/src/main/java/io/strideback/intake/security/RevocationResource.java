package io.strideback.intake.security;

import io.strideback.events.EventEnvelope;
import io.strideback.events.EventType;
import io.strideback.events.SecurityEvents.RevokedBy;
import io.strideback.events.SecurityEvents.TokenRevoked;
import io.strideback.intake.messaging.ActivityPublisher;
import io.strideback.support.rest.FieldError;
import io.strideback.support.rest.ProblemException;
import io.strideback.support.rest.TextRules;
import io.strideback.support.security.Caller;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Token revocation (issue 16), for the {@code ops} role: a stolen token, or every token of a person
 * who left the clinic, is refused by every service from the moment the revocation is read (within a
 * second; see service-support's {@code RevocationList}). Intake is the one writer of the revocation
 * topic; the answer is 202 only once the revocation is durably on it (acks=all).
 */
@Path("/api/v1/ops/revocations")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "operations")
public class RevocationResource {

    private static final Logger LOG = Logger.getLogger(RevocationResource.class);

    /** {@code tokenId} (a token's {@code jti}) or {@code subject} (its {@code sub}): exactly one. */
    public record RevocationRequest(String tokenId, String subject, String reason) {
    }

    /** What was revoked, and from when: a subject's tokens issued up to {@code revokedAt} are refused. */
    public record Revocation(String eventId, RevokedBy kind, String value, Instant revokedAt) {
    }

    @Inject
    Caller caller;
    @Inject
    ActivityPublisher publisher;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Caller.OPS)
    @Operation(summary = "Revoke one token (tokenId = its jti) or every token of a subject issued until now (ops); "
            + "every service answers 401 for it within seconds")
    @APIResponse(responseCode = "202", description = "The revocation is durably published",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Revocation.class)))
    public Response revoke(RevocationRequest body) {
        List<FieldError> errors = new ArrayList<>();
        String tokenId = body == null ? null : body.tokenId();
        String subject = body == null ? null : body.subject();
        if ((tokenId == null) == (subject == null)) {
            errors.add(new FieldError("tokenId", "give exactly one of tokenId and subject"));
        }
        check("tokenId", tokenId, errors);
        check("subject", subject, errors);
        String reason = body == null ? null : TextRules.tidy(body.reason()); // as every reason is kept (round 20): blank is none
        if (reason != null) {
            TextRules.freeTextProblem(reason, TextRules.MAX_FREE_TEXT).ifPresent(p -> errors.add(new FieldError("reason", p)));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        RevokedBy kind = tokenId != null ? RevokedBy.TOKEN_ID : RevokedBy.SUBJECT;
        String value = tokenId != null ? tokenId : subject;
        Instant now = Instant.now();
        EventEnvelope<TokenRevoked> event = EventEnvelope.of(EventType.TOKEN_REVOKED, "intake-service", now,
                caller.clinicId(), (kind == RevokedBy.TOKEN_ID ? "jti/" : "sub/") + value,
                new TokenRevoked(kind, value, now, caller.subject(), reason));
        if (!publisher.publish(List.of(event)).get(0)) {
            throw ProblemException.unavailable("the revocation could not be published; retry", 5);
        }
        // The id, never the token itself (a token in a log is a token for whoever reads the log).
        LOG.infof("token revocation %s by %s published (%s)", event.id(), caller.subject(), kind);
        return Response.accepted(new Revocation(event.id(), kind, value, now)).build();
    }

    private static void check(String field, String value, List<FieldError> errors) {
        if (value == null) {
            return;
        }
        if (TextRules.isBlank(value)) { // round 21: a jti or subject of invisible characters alone revoked nothing
            errors.add(new FieldError(field, "must not be blank"));
            return;
        }
        TextRules.freeTextProblem(value, TextRules.MAX_NAME).ifPresent(p -> errors.add(new FieldError(field, p)));
    }
}
