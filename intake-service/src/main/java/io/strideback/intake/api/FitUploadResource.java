package io.strideback.intake.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.strideback.events.EventCodec;
import io.strideback.events.EventType;
import io.strideback.events.vocabulary.RunIntensity;
import io.strideback.events.vocabulary.SessionType;
import io.strideback.events.vocabulary.SourceKind;
import io.strideback.intake.domain.WatchSessionRules;
import io.strideback.intake.fit.FitActivityFile;
import io.strideback.intake.fit.FitActivityFile.WatchSession;
import io.strideback.intake.service.IntakeService;
import io.strideback.intake.service.IntakeService.Item;
import io.strideback.intake.service.IntakeService.ItemResult;
import io.strideback.support.rest.FieldError;
import io.strideback.support.rest.Problem;
import io.strideback.support.rest.ProblemException;
import io.strideback.support.security.Caller;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
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

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * CONTRACT v2, issue 17: a watch's FIT activity file in, one {@code session.logged} per FIT session
 * out. Each session becomes the body a wearable would have posted to {@code /sessions} (source
 * kind WEARABLE, provider "fit", an id from the file's serial number, creation time and the
 * session's place and start) and goes through the same path: validation, the source id's
 * idempotency, publication with acks=all, 202 only when durable.
 */
@Path("/api/v1")
@Tag(name = "intake")
public class FitUploadResource {

    public static final String FIT = "application/vnd.ant.fit";
    static final String PROVIDER = "fit";

    @Inject
    Caller caller;
    @Inject
    IntakeService intake;

    /** The answer: the sessions' event ids, in the file's session order. */
    @Schema(name = "FitImportAccepted")
    public record Accepted(List<String> eventIds) {
    }

    /**
     * A file with a session intake refuses: the problem names each refused session ({@code sessions[i].field}),
     * and {@code eventIds} holds, in the file's session order, the ids of the sessions that were taken (null for
     * a refused one), so a client knows what of the file is stored.
     */
    @Schema(name = "FitImportRefused")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Refused(String type, String title, int status, String detail, List<FieldError> errors,
                          @JsonInclude(JsonInclude.Include.ALWAYS) List<String> eventIds) {
    }

    @POST
    @Path("/athletes/{athleteId}/sessions/fit")
    @Consumes({FIT, MediaType.APPLICATION_OCTET_STREAM})
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({Caller.CLINICIAN, Caller.DEVICE, Caller.ATHLETE})
    @Operation(summary = "Import a watch's FIT activity file (up to 8 MiB): one session per FIT session")
    @APIResponse(responseCode = "202", description = "every session durably in the event log; a re-upload answers the same ids",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Accepted.class)))
    @APIResponse(responseCode = "400", description = "not a FIT file, truncated, a CRC that does not match, no session "
            + "message, or a session intake refuses (problem+json naming each such session, with the ids of those taken)",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Refused.class)))
    @APIResponse(responseCode = "404", description = "no such athlete in the caller's clinic")
    @APIResponse(responseCode = "410", description = IntakeAnswers.ERASED_ATHLETE)
    @APIResponse(responseCode = "413", description = "body over 8 MiB")
    @APIResponse(responseCode = "503", description = "the event log is unavailable; upload the same file again after Retry-After")
    public Response upload(@PathParam("athleteId") String athleteId, byte[] file) {
        caller.mayActFor(athleteId);
        FitActivityFile activity;
        try {
            activity = FitActivityFile.read(file);
        } catch (FitActivityFile.UnreadableFitFile e) {
            throw new ProblemException(Problem.invalid(400, e.getMessage(), List.of(new FieldError("file", e.getMessage()))));
        }
        String clinicId = caller.clinicId();
        List<Item> items = new ArrayList<>();
        for (WatchSession session : activity.sessions()) {
            items.add(item(session.index(), athleteId, clinicId, sessionBody(activity, session)));
        }
        List<ItemResult> results = intake.accept(clinicId, items);
        List<String> eventIds = new ArrayList<>();
        for (ItemResult r : results) {
            eventIds.add(r.eventId());
        }
        ItemResult unavailable = results.stream().filter(r -> r.status() == 503).findFirst().orElse(null);
        if (unavailable != null) {
            // The sessions that were accepted stay accepted (each under its source id): uploading the
            // file again answers their ids and publishes only what was missing.
            throw new ProblemException(aboutSession(unavailable, results.size()), Map.of("Retry-After", "5"));
        }
        List<ItemResult> refused = results.stream().filter(r -> r.status() != 202).toList();
        if (!refused.isEmpty()) {
            // Review r9: every refused session is named, and the ids of the sessions taken are in the answer:
            // a file's good sessions are stored (a re-upload answers the same ids) and the client can see so.
            Problem first = refused.get(0).problem();
            List<FieldError> errors = new ArrayList<>();
            List<String> which = new ArrayList<>();
            for (ItemResult r : refused) {
                which.add(String.valueOf(r.index() + 1));
                List<FieldError> its = aboutSession(r, results.size()).errors();
                errors.addAll(its == null ? List.of() : its);
            }
            int taken = results.size() - refused.size();
            String detail = "FIT session" + (which.size() == 1 ? " " : "s ") + String.join(", ", which) + " of "
                    + results.size() + " refused: "
                    // Round 21: an athlete not found (404) or erased (410) names no field; its detail says why.
                    + (refused.size() == 1 || errors.isEmpty() ? first.detail() : "see errors")
                    + "; " + (taken == 0 ? "no session was stored" : taken + " stored, their ids in eventIds");
            List<String> ids = results.stream().map(r -> r.status() == 202 ? r.eventId() : null).toList();
            return Response.status(first.status()).type(Problem.MEDIA_TYPE)
                    .entity(new Refused(first.type(), first.title(), first.status(), detail, errors, ids)).build();
        }
        return Response.accepted(new Accepted(eventIds)).build();
    }

    /** The session body a watch would have posted for this FIT session (CONTRACT.md's session body). */
    static ObjectNode sessionBody(FitActivityFile activity, WatchSession session) {
        SessionType type = WatchSessionRules.sessionType(session.sport());
        ObjectNode body = EventCodec.JSON.createObjectNode();
        body.put("type", type.name());
        if (session.startedAt() != null) {
            body.put("startedAt", session.startedAt().toString());
        }
        Double minutes = WatchSessionRules.minutes(session.totalTimerTimeSeconds());
        if (minutes != null) {
            body.put("durationMin", minutes);
        }
        if (session.avgHeartRate() != null) {
            body.put("avgHeartRateBpm", session.avgHeartRate().intValue());
        }
        if (type == SessionType.RUN) {
            ObjectNode run = body.putObject("run");
            Double km = WatchSessionRules.kilometres(session.totalDistanceMetres());
            if (km != null && km > 0) { // 0 m: the watch measured no distance (a treadmill), not a run of 0 km
                run.put("distanceKm", km);
            }
            // A FIT session carries no effort class (FIT's "intensity" is per lap: active, rest,
            // warm-up); EASY is what the return-to-run plan prescribes, and a clinician who knows
            // otherwise logs the session by hand.
            run.put("intensity", RunIntensity.EASY.name());
            Integer spm = WatchSessionRules.stepsPerMinute(session.avgCadence(), session.avgFractionalCadence());
            if (spm != null) {
                run.put("cadenceSpm", spm);
            }
        } else if (type == SessionType.STRENGTH) {
            // A watch records that strength work took place, not which exercises: none are claimed.
            body.putObject("strength").putArray("exercises");
        }
        ObjectNode source = body.putObject("source");
        source.put("kind", SourceKind.WEARABLE.name());
        source.put("provider", PROVIDER);
        source.put("externalId", activity.externalId(session));
        return body;
    }

    private Item item(int index, String athleteId, String clinicId, ObjectNode body) {
        String key = ActivityMapping.sourceKey(body, EventType.SESSION_LOGGED, athleteId);
        IntakeService.Parser parser = (athlete, now, eventId) -> {
            JsonBody b = JsonBody.of(body, "");
            Object data = ActivityMapping.session(b, athleteId, clinicId, athlete.injuryDate(), now, "ses-" + eventId);
            if (data == null || !b.errors().isEmpty()) {
                return Problem.invalid(400, b.errors().size() + " field(s) are invalid", b.errors());
            }
            return data;
        };
        return new Item(index, athleteId, EventType.SESSION_LOGGED, body, key, false, null, parser);
    }

    /** The item's problem, saying which FIT session it is about; field errors are named {@code sessions[i].field}. */
    private static Problem aboutSession(ItemResult refused, int sessions) {
        Problem p = refused.problem();
        String which = "FIT session " + (refused.index() + 1) + " of " + sessions;
        List<FieldError> errors = p.errors() == null ? null : p.errors().stream()
                .map(e -> new FieldError("sessions[" + refused.index() + "]." + e.field(), e.message())).toList();
        return new Problem(p.type(), p.title(), p.status(), which + ": " + p.detail(), errors);
    }
}
