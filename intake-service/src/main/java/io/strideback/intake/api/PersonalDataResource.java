package io.strideback.intake.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.strideback.events.SealedText;
import io.strideback.intake.store.PersonalDataKeys;
import io.strideback.support.rest.FieldError;
import io.strideback.support.rest.ProblemException;
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
 */
@Path("/api/v1/personal-data/open")
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

    @Inject
    Caller caller;
    @Inject
    PersonalDataKeys dataKeys;

    @POST
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
