package io.strideback.intake.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.strideback.events.EventType;
import io.strideback.intake.domain.IntakeRules;
import io.strideback.intake.service.EnrolmentService;
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
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponses;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/** The intake API of CONTRACT.md: enrolment, sessions, symptoms, assessments, wearable batches. */
@Path("/api/v1")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "intake")
@APIResponses({
        @APIResponse(responseCode = "400", description = "invalid input: problem+json with errors[] naming every bad field",
                content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = io.strideback.support.rest.Problem.class))),
        @APIResponse(responseCode = "401", description = "no valid bearer token"),
        @APIResponse(responseCode = "403", description = "the token's role may not make this call"),
        @APIResponse(responseCode = "404", description = "no such athlete in the caller's clinic"),
        @APIResponse(responseCode = "413", description = "body over 1 MiB"),
        @APIResponse(responseCode = "422", description = "Idempotency-Key, or a source id (provider + externalId), reused with a different body"),
        @APIResponse(responseCode = "503", description = "the event log is unavailable; retry after Retry-After with the same Idempotency-Key")})
public class IntakeResource {

    @Inject
    Caller caller;
    @Inject
    IntakeService intake;
    @Inject
    EnrolmentService enrolment;

    @POST
    @Path("/athletes")
    @RolesAllowed(Caller.CLINICIAN)
    @Operation(summary = "Enrol an athlete in the caller's clinic")
    @APIResponse(responseCode = "201", description = "the athlete is enrolled",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = IntakeAnswers.Enrolled.class)))
    @APIResponse(responseCode = "400", description = "invalid body (problem+json listing every bad field)")
    @APIResponse(responseCode = "409", description = "the athlete id is taken in this clinic")
    @APIResponse(responseCode = "503", description = "the event log is unavailable; retry after Retry-After")
    public Response enrol(@RequestBody(required = true, content = @Content(schema = @Schema(implementation = IntakeBodies.Enrolment.class))) JsonNode body, @HeaderParam("Idempotency-Key") String idempotencyKey) {
        String clinicId = caller.clinicId();
        String athleteId = enrolment.enrol(clinicId, body, blankToNull(idempotencyKey), generated -> {
            JsonBody b = JsonBody.of(body, "");
            var enrolled = ActivityMapping.enrolment(b, clinicId, generated, java.time.Instant.now());
            if (enrolled == null) {
                throw ProblemException.invalid(b.errors());
            }
            return enrolled;
        });
        return Response.status(201).entity(new IntakeAnswers.Enrolled(athleteId)).build();
    }

    @POST
    @Path("/athletes/{athleteId}/sessions")
    @RolesAllowed({Caller.CLINICIAN, Caller.DEVICE, Caller.ATHLETE})
    @Operation(summary = "Log a run, strength, cross-training or walking session")
    @APIResponse(responseCode = "202", description = "durably in the event log",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = IntakeAnswers.EventAccepted.class)))
    @APIResponse(responseCode = "410", description = IntakeAnswers.ERASED_ATHLETE)
    public CompletionStage<Response> session(@PathParam("athleteId") String athleteId, @RequestBody(required = true, content = @Content(schema = @Schema(implementation = IntakeBodies.Session.class))) JsonNode body,
                            @HeaderParam("Idempotency-Key") String idempotencyKey) {
        caller.mayActFor(athleteId);
        return single(item(0, athleteId, "session", body, blankToNull(idempotencyKey)));
    }

    @POST
    @Path("/athletes/{athleteId}/symptoms")
    @RolesAllowed({Caller.CLINICIAN, Caller.DEVICE, Caller.ATHLETE})
    @Operation(summary = "Report a symptom (pain 0-10, where, how it feels, what the athlete was doing)")
    @APIResponse(responseCode = "202", description = "durably in the event log",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = IntakeAnswers.EventAccepted.class)))
    @APIResponse(responseCode = "410", description = IntakeAnswers.ERASED_ATHLETE)
    public CompletionStage<Response> symptom(@PathParam("athleteId") String athleteId, @RequestBody(required = true, content = @Content(schema = @Schema(implementation = IntakeBodies.Symptom.class))) JsonNode body,
                            @HeaderParam("Idempotency-Key") String idempotencyKey) {
        caller.mayActFor(athleteId);
        return single(item(0, athleteId, "symptom", body, blankToNull(idempotencyKey)));
    }

    @POST
    @Path("/athletes/{athleteId}/assessments")
    @RolesAllowed({Caller.CLINICIAN, Caller.DEVICE, Caller.ATHLETE})
    @Operation(summary = "Record a clinical assessment (calf raise counts, hops, loaded raises)")
    @APIResponse(responseCode = "202", description = "durably in the event log",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = IntakeAnswers.EventAccepted.class)))
    @APIResponse(responseCode = "410", description = IntakeAnswers.ERASED_ATHLETE)
    public CompletionStage<Response> assessment(@PathParam("athleteId") String athleteId, @RequestBody(required = true, content = @Content(schema = @Schema(implementation = IntakeBodies.Assessment.class))) JsonNode body,
                               @HeaderParam("Idempotency-Key") String idempotencyKey) {
        caller.mayActFor(athleteId);
        return single(item(0, athleteId, "assessment", body, blankToNull(idempotencyKey)));
    }

    @POST
    @Path("/events/batch")
    @RolesAllowed({Caller.CLINICIAN, Caller.DEVICE})
    @Operation(summary = "Post up to 500 events of mixed kinds; each item gets its own result, in order")
    @APIResponse(responseCode = "200", description = "each item's result, in the items' order",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = IntakeAnswers.BatchAnswer.class)))
    public CompletionStage<IntakeAnswers.BatchAnswer> batch(@RequestBody(required = true, content = @Content(schema = @Schema(implementation = IntakeBodies.Batch.class))) JsonNode body) {
        String clinicId = caller.clinicId();
        if (body == null || !body.isObject() || !body.path("items").isArray()) {
            throw ProblemException.invalid(List.of(new FieldError("items", "is required and must be an array")));
        }
        JsonNode items = body.get("items");
        if (items.size() > IntakeRules.MAX_BATCH_ITEMS) {
            throw ProblemException.invalid(List.of(new FieldError("items",
                    "at most " + IntakeRules.MAX_BATCH_ITEMS + " items per batch, got " + items.size())));
        }
        List<Item> parsed = new ArrayList<>();
        List<ItemResult> early = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            JsonNode it = items.get(i);
            JsonBody envelope = JsonBody.of(it, "items[" + i + "]");
            String athleteId = envelope.string("athleteId", true);
            String kind = envelope.string("kind", true);
            if (kind != null && !List.of("session", "symptom", "assessment").contains(kind)) {
                envelope.reject("kind", "'" + kind + "' is not allowed; use one of session, symptom, assessment");
            }
            envelope.object("body", true);
            if (!envelope.errors().isEmpty()) {
                early.add(new ItemResult(i, 400, null, Problem.invalid(400, "the item is invalid", envelope.errors())));
                continue;
            }
            JsonNode itemBody = it.get("body");
            // No header key: item() takes the key from source.provider + source.externalId, hash-checked alike.
            parsed.add(item(i, athleteId, kind, itemBody, null));
        }
        return answered(intake.submit(clinicId, parsed), accepted -> {
            List<ItemResult> results = new ArrayList<>(early);
            results.addAll(accepted);
            results.sort(java.util.Comparator.comparingInt(ItemResult::index));
            return new IntakeAnswers.BatchAnswer(results.stream()
                    .map(r -> new IntakeAnswers.BatchResult(r.index(), r.status(), r.eventId(), r.problem())).toList());
        });
    }

    /**
     * The answer of one post, once intake has it (issue 15: no worker thread waits for the broker;
     * the request is answered from its send's callback).
     */
    private CompletionStage<Response> single(Item item) {
        return answered(intake.submit(caller.clinicId(), List.of(item)), results -> {
            ItemResult result = results.get(0);
            if (result.status() == 202) {
                return Response.accepted(new IntakeAnswers.EventAccepted(result.eventId())).build();
            }
            Map<String, String> headers = result.status() == 503 ? Map.of("Retry-After", "5") : Map.of();
            throw new ProblemException(result.problem(), headers);
        });
    }

    /** Maps the results; a failure (a ProblemException) reaches the exception mappers unwrapped. */
    private static <T> CompletionStage<T> answered(CompletionStage<List<ItemResult>> results,
                                                   java.util.function.Function<List<ItemResult>, T> respond) {
        CompletableFuture<T> out = new CompletableFuture<>();
        results.whenComplete((r, error) -> {
            if (error != null) {
                out.completeExceptionally(error instanceof CompletionException && error.getCause() != null
                        ? error.getCause() : error);
                return;
            }
            try {
                out.complete(respond.apply(r));
            } catch (RuntimeException e) {
                out.completeExceptionally(e);
            }
        });
        return out;
    }

    /**
     * One item; a single post's key comes from the Idempotency-Key header, else from its source
     * (provider + externalId, scoped to this athlete and this kind of event).
     */
    private Item item(int index, String athleteId, String kind, JsonNode body, String headerKey) {
        EventType type = switch (kind) {
            case "session" -> EventType.SESSION_LOGGED;
            case "symptom" -> EventType.SYMPTOM_REPORTED;
            default -> EventType.ASSESSMENT_RECORDED;
        };
        String key = headerKey != null ? headerKey : ActivityMapping.sourceKey(body, type, athleteId);
        String legacyKey = headerKey != null || key == null ? null : ActivityMapping.legacySourceKey(body);
        String clinicId = caller.clinicId();
        IntakeService.Parser parser = switch (type) {
            case SESSION_LOGGED -> (athlete, now, eventId) -> orProblem(body, b -> ActivityMapping.session(b, athleteId,
                    clinicId, athlete.injuryDate(), now, "ses-" + eventId));
            case SYMPTOM_REPORTED -> (athlete, now, eventId) -> orProblem(body, b -> ActivityMapping.symptom(b,
                    athleteId, clinicId, athlete.injuryDate(), now));
            default -> (athlete, now, eventId) -> orProblem(body, b -> ActivityMapping.assessment(b, athleteId,
                    clinicId, athlete.injuryDate(), now));
        };
        return new Item(index, athleteId, type, body, key, headerKey != null, legacyKey, parser);
    }



    private static Object orProblem(JsonNode body, java.util.function.Function<JsonBody, Object> parse) {
        JsonBody b = JsonBody.of(body, "");
        Object data = parse.apply(b);
        if (data == null || !b.errors().isEmpty()) {
            return Problem.invalid(400, b.errors().size() + " field(s) are invalid", b.errors());
        }
        return data;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
