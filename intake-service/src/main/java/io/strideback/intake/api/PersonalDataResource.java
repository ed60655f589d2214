package io.strideback.intake.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.strideback.events.SealedText;
import io.strideback.intake.store.AthleteRegistry;
import io.strideback.intake.store.PersonalDataKeys;
import io.strideback.intake.store.StoreUnavailableException;
import io.strideback.support.rest.FieldError;
import io.strideback.support.rest.Problem;
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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Issue 16 item 3: opens sealed personal fields for the other services (plan-service forwards its caller's own
 * bearer token), so data keys never leave intake. A value opens only for a caller who may see its athlete (a
 * clinician or clinic-admin of the athlete's clinic, or the athlete themself) and only while the athlete is not
 * erased; otherwise its answer is null. One query for the batch's keys, never a cached key: an erasure is seen at
 * once.
 *
 * <p>It also seals for them: a clinician's own free text about an athlete (the reason of a phase change, a
 * rejection, a referral clearance) is personal data too ("the pain came back after his daughter's wedding"), so
 * plan-service has it sealed here with the athlete's data key before it writes it anywhere.
 */
@Path("/api/v1/personal-data")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "personal data")
public class PersonalDataResource {

    /** At most this many values in one call (a page of a clinic's athletes, or one athlete's notes). */
    public static final int MAX_ITEMS = 500;
    /** A sealed note of 2,000 characters is under 11,000 characters; anything longer is not ours. */
    static final int MAX_VALUE_LENGTH = 16_384;

    @Schema(name = "OpenRequest", description = "sealed values (sealed:v1:...) with the athlete each belongs to")
    public record OpenRequest(@Schema(required = true, maxItems = MAX_ITEMS) List<SealedValue> items) {
    }

    @Schema(name = "SealedValue")
    public record SealedValue(@Schema(required = true) String athleteId, @Schema(required = true) String value) {
    }

    @Schema(name = "OpenAnswer", description = "one answer per item, in the items' order")
    public record OpenAnswer(@Schema(required = true) List<OpenedValue> items) {
    }

    @Schema(name = "OpenedValue")
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record OpenedValue(@Schema(required = true) String athleteId,
                              @Schema(required = true, nullable = true, description = "the plain value; null when "
                                      + "the athlete was erased, the caller may not see them, or it does not open")
                              String value) {
    }

    /** At most this many texts in one seal call (a command writes one or two). */
    public static final int MAX_TEXTS = 20;

    @Schema(name = "SealRequest", description = "a clinician's free texts about one athlete, to be sealed with the "
            + "athlete's data key")
    public record SealRequest(@Schema(required = true) String athleteId,
                              @Schema(required = true, maxItems = MAX_TEXTS) List<String> texts) {
    }

    @Schema(name = "SealAnswer", description = "the texts sealed (sealed:v1:...), in the request's order")
    public record SealAnswer(@Schema(required = true) String athleteId, @Schema(required = true) List<String> sealed) {
    }

    @Inject
    Caller caller;
    @Inject
    PersonalDataKeys dataKeys;
    @Inject
    AthleteRegistry athletes;

    @POST
    @Path("/seal")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Caller.CLINICIAN)
    @Operation(summary = "Seal a clinician's free texts about an athlete of the caller's clinic with the athlete's data "
            + "key (erasing the athlete makes them unreadable everywhere); the key never leaves intake")
    @APIResponse(responseCode = "200", description = "each text sealed, in the request's order",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SealAnswer.class)))
    @APIResponse(responseCode = "400", description = "no athleteId, no texts, more than 20, or a text that is not free "
            + "text of at most 2,000 characters",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = io.strideback.support.rest.Problem.class)))
    @APIResponse(responseCode = "401", description = "no valid bearer token")
    @APIResponse(responseCode = "403", description = "only the clinic's clinicians and clinic-admins write about an athlete")
    @APIResponse(responseCode = "404", description = "no such athlete in the caller's clinic",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = io.strideback.support.rest.Problem.class)))
    @APIResponse(responseCode = "410", description = "the athlete was erased: nothing more is written about them",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = io.strideback.support.rest.Problem.class)))
    public SealAnswer seal(SealRequest request) {
        validSeal(request);
        String clinicId = caller.clinicId();
        String athleteId = request.athleteId();
        // Read now, not from the posting cache: an erasure on another replica is seen at once.
        PersonalDataKeys.DataKey key;
        try {
            key = dataKeys.find(clinicId, athleteId)
                    .or(() -> athletes.find(clinicId, athleteId).map(a -> dataKeys.forSealing(clinicId, athleteId)))
                    .orElseThrow(() -> ProblemException.notFound("athlete " + athleteId));
        } catch (StoreUnavailableException e) {
            throw ProblemException.unavailable("the intake store is unavailable; retry shortly", 5);
        }
        if (key.erased()) {
            throw new ProblemException(Problem.of(410, "Gone", "athlete " + athleteId + " was erased by the clinic"));
        }
        byte[] dataKey = key.key();
        return new SealAnswer(athleteId, request.texts().stream()
                .map(text -> SealedText.seal(text, dataKey, athleteId)).toList());
    }

    private static void validSeal(SealRequest request) {
        List<FieldError> errors = new ArrayList<>();
        if (request == null || request.athleteId() == null || request.athleteId().isBlank()) {
            errors.add(new FieldError("athleteId", "is required"));
        }
        if (request == null || request.texts() == null || request.texts().isEmpty()) {
            errors.add(new FieldError("texts", "is required and must be a non-empty array"));
        } else if (request.texts().size() > MAX_TEXTS) {
            errors.add(new FieldError("texts", "at most " + MAX_TEXTS + " texts per call, got " + request.texts().size()));
        } else {
            for (int i = 0; i < request.texts().size(); i++) {
                String text = request.texts().get(i);
                String field = "texts[" + i + "]";
                if (text == null) {
                    errors.add(new FieldError(field, "is required"));
                } else {
                    TextRules.freeTextProblem(text, TextRules.MAX_FREE_TEXT)
                            .ifPresent(p -> errors.add(new FieldError(field, p)));
                }
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
    }

    @POST
    @Path("/open")
    @RolesAllowed({Caller.CLINICIAN, Caller.ATHLETE})
    @Operation(summary = "Open sealed personal fields (display names, notes, source ids) for the caller")
    @APIResponse(responseCode = "200", description = "each item's plain value or null, in the items' order",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = OpenAnswer.class)))
    @APIResponse(responseCode = "400", description = "no items, more than 500, or an item without athleteId or value",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = io.strideback.support.rest.Problem.class)))
    @APIResponse(responseCode = "401", description = "no valid bearer token")
    @APIResponse(responseCode = "403", description = "the token's role may not open personal data (a device)")
    public OpenAnswer open(OpenRequest request) {
        List<SealedValue> items = valid(request);
        String clinicId = caller.clinicId();
        String own = caller.isAthlete() ? caller.ownAthleteId() : null;
        List<String> visible = items.stream().map(SealedValue::athleteId)
                .filter(id -> own == null || own.equals(id)).toList();
        Map<String, byte[]> keys = dataKeys.forOpening(clinicId, visible);
        List<OpenedValue> opened = new ArrayList<>(items.size());
        for (SealedValue item : items) {
            byte[] key = keys.get(item.athleteId());
            boolean mayOpen = key != null && (own == null || own.equals(item.athleteId()));
            opened.add(new OpenedValue(item.athleteId(),
                    mayOpen ? SealedText.open(item.value(), key, item.athleteId()).orElse(null) : null));
        }
        return new OpenAnswer(opened);
    }

    private static List<SealedValue> valid(OpenRequest request) {
        if (request == null || request.items() == null) {
            throw ProblemException.invalid(List.of(new FieldError("items", "is required and must be an array")));
        }
        List<SealedValue> items = request.items();
        if (items.size() > MAX_ITEMS) {
            throw ProblemException.invalid(List.of(new FieldError("items",
                    "at most " + MAX_ITEMS + " items per call, got " + items.size())));
        }
        List<FieldError> errors = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            SealedValue item = items.get(i);
            if (item == null) {
                errors.add(new FieldError("items[" + i + "]", "is required"));
                continue;
            }
            if (item.athleteId() == null || item.athleteId().isBlank()) {
                errors.add(new FieldError("items[" + i + "].athleteId", "is required"));
            }
            if (item.value() == null) {
                errors.add(new FieldError("items[" + i + "].value", "is required"));
            } else if (item.value().length() > MAX_VALUE_LENGTH) {
                errors.add(new FieldError("items[" + i + "].value", "at most " + MAX_VALUE_LENGTH + " characters"));
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        return items;
    }
}
