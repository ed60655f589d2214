package io.strideback.loadmonitor.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.strideback.events.EventCodec;
import io.strideback.loadmonitor.domain.ClinicRules;
import io.strideback.loadmonitor.service.FindingsTransaction;
import io.strideback.loadmonitor.store.LoadMonitorStore;
import io.strideback.support.rest.FieldError;
import io.strideback.support.rest.ProblemException;
import io.strideback.support.rest.TextRules;
import io.strideback.support.security.Caller;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.*;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The load monitor's read API of CONTRACT.md, scoped to the caller's clinic. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "load monitor")
public class LoadMonitorResource {

    @Inject
    Caller caller;
    @Inject
    LoadMonitorStore store;
    @Inject
    FindingsTransaction findings;
    @Inject
    io.strideback.loadmonitor.audit.ClinicSettingsAudit settingsAudit;

    @GET
    @Path("/athletes/{athleteId}/flare-ups")
    @RolesAllowed(Caller.CLINICIAN)
    @Operation(summary = "Flare-up episodes with their classification, the rule that fired and its evidence")
    public String flareUps(@PathParam("athleteId") String athleteId) {
        return "{\"episodes\":" + part(athleteId, "episodes") + "}";
    }

    @GET
    @Path("/athletes/{athleteId}/patterns")
    @RolesAllowed(Caller.CLINICIAN)
    @Operation(summary = "Patterns over the trailing 42 days")
    public String patterns(@PathParam("athleteId") String athleteId) {
        return "{\"patterns\":" + part(athleteId, "patterns") + "}";
    }

    @GET
    @Path("/athletes/{athleteId}/adjustments")
    @RolesAllowed(Caller.CLINICIAN)
    @Operation(summary = "Every adjustment the rules propose for the athlete, with parameters, evidence and reason")
    public String adjustments(@PathParam("athleteId") String athleteId) {
        return "{\"adjustments\":" + part(athleteId, "adjustments") + "}";
    }

    @GET
    @Path("/athletes/{athleteId}/load")
    @RolesAllowed(Caller.CLINICIAN)
    @Operation(summary = "Daily session-RPE loads, acute and chronic EWMA, ACWR (context only) and the symptom-free distance")
    public String load(@PathParam("athleteId") String athleteId) {
        return part(athleteId, "load");
    }

    @GET
    @Path("/athletes/{athleteId}/timeline")
    @RolesAllowed(Caller.CLINICIAN)
    @Operation(summary = "The athlete's stored sessions and symptom reports, in event time, each with its event id")
    public Map<String, Object> timeline(@PathParam("athleteId") String athleteId) {
        String clinicId = caller.clinicId();
        if (!store.athleteExists(clinicId, athleteId)) {
            throw ProblemException.notFound("athlete " + athleteId);
        }
        List<ObjectNode> sessions = new ArrayList<>();
        List<ObjectNode> symptoms = new ArrayList<>();
        for (LoadMonitorStore.StoredActivity a : store.activities(clinicId, athleteId)) {
            ObjectNode item = EventCodec.JSON.createObjectNode();
            item.put("eventId", a.eventId());
            try {
                item.setAll((ObjectNode) EventCodec.JSON.readTree(a.payloadJson()));
            } catch (java.io.IOException e) {
                throw new IllegalStateException("stored event " + a.eventId() + " is unreadable", e);
            }
            item.remove(List.of("athleteId", "clinicId"));
            ("session".equals(a.kind()) ? sessions : symptoms).add(item);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("athleteId", athleteId);
        out.put("sessions", sessions);
        out.put("symptoms", symptoms);
        return out;
    }

    @GET
    @Path("/athletes")
    @RolesAllowed(Caller.CLINICIAN)
    @Operation(summary = "The clinic's athletes with their flare-up counts (all, last 14 days, by classification), "
            + "the latest episode and whether a red flag was reported")
    public Map<String, Object> athletes() {
        Instant recent = Instant.now().minus(Duration.ofDays(RECENT_DAYS));
        List<Map<String, Object>> out = new ArrayList<>();
        for (LoadMonitorStore.AthleteFindings a : store.clinicAthletes(caller.clinicId())) {
            JsonNode episodes = tree(a.episodesJson());
            JsonNode patterns = tree(a.patternsJson());
            int runningTriggered = 0;
            int random = 0;
            int recentEpisodes = 0;
            boolean open = false;
            Instant last = null;
            for (JsonNode e : episodes) {
                if ("RUNNING_TRIGGERED".equals(e.path("classification").asText())) {
                    runningTriggered++;
                } else {
                    random++;
                }
                Instant started = Instant.parse(e.path("startedAt").asText());
                if (!started.isBefore(recent)) {
                    recentEpisodes++;
                }
                if (last == null || started.isAfter(last)) {
                    last = started;
                }
                open |= e.path("endedAt").isNull() || e.path("endedAt").isMissingNode();
            }
            List<String> kinds = new ArrayList<>();
            patterns.forEach(p -> kinds.add(p.path("kind").asText()));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("athleteId", a.athleteId());
            m.put("diagnosis", a.diagnosis());
            m.put("episodes", episodes.size());
            m.put("runningTriggered", runningTriggered);
            m.put("random", random);
            m.put("recentEpisodes", recentEpisodes);
            m.put("recentDays", RECENT_DAYS);
            m.put("lastEpisodeAt", last);
            m.put("openEpisode", open);
            m.put("redFlag", kinds.contains("RED_FLAG"));
            m.put("patterns", kinds);
            out.add(m);
        }
        return Map.of("athletes", out);
    }

    /** What the clinic overview counts as a recent flare-up. */
    static final int RECENT_DAYS = 14;

    private static JsonNode tree(String json) {
        if (json == null) {
            return EventCodec.JSON.createArrayNode();
        }
        try {
            return EventCodec.JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("stored findings are unreadable", e);
        }
    }

    @GET
    @Path("/ops/summary")
    @RolesAllowed(Caller.OPS)
    @Operation(summary = "Episodes per clinic and classification, across clinics; no athlete data (ops)")
    public Map<String, Object> opsSummary() {
        return Map.of("episodes", store.episodeCounts());
    }

    @GET
    @Path("/clinic/rules")
    @RolesAllowed(Caller.CLINICIAN)
    @Operation(summary = "The clinic's rule settings: DOMAIN.md's defaults with the clinic's overrides")
    public String rules() throws java.sql.SQLException {
        try (var c = store.connection()) {
            return io.strideback.support.rest.ViewJson.write(findings.rules(c, caller.clinicId()));
        }
    }

    @PUT
    @Path("/clinic/rules")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Caller.CLINIC_ADMIN)
    @Operation(summary = "Override some of the rules' numbers for this clinic (applies to events processed from now on)")
    public String setRules(JsonNode overrides) throws java.sql.SQLException {
        if (overrides == null || !overrides.isObject()) {
            throw ProblemException.invalid(List.of(new FieldError("body", "must be an object of rule settings")));
        }
        // Issue 12: no control character or lone surrogate is stored, echoed or analysed.
        List<FieldError> errors = new ArrayList<>();
        TextRules.checkEveryString(overrides, "", TextRules.MAX_NAME, errors);
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        Map<String, Class<?>> settings = new LinkedHashMap<>();
        for (var c : ClinicRules.class.getRecordComponents()) {
            settings.put(c.getName(), c.getType());
        }
        overrides.fields().forEachRemaining(f -> {
            Class<?> type = settings.get(f.getKey());
            if (type == null) {
                errors.add(new FieldError(f.getKey(), "is not a rule setting"));
                return;
            }
            Object value;
            try {
                value = EventCodec.JSON.treeToValue(f.getValue(), type);
            } catch (Exception e) {
                errors.add(new FieldError(f.getKey(), "must be " + kindOf(type)));
                return;
            }
            if (value == null) {
                errors.add(new FieldError(f.getKey(), "must be " + kindOf(type)));
                return;
            }
            // DOMAIN.md "Settings": outside its bounds a setting is refused, never stored.
            ClinicRules.boundsProblem(f.getKey(), value).ifPresent(p -> errors.add(new FieldError(f.getKey(), p)));
        });
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        try {
            var merged = ((com.fasterxml.jackson.databind.node.ObjectNode) EventCodec.JSON.valueToTree(ClinicRules.defaults()))
                    .setAll((com.fasterxml.jackson.databind.node.ObjectNode) overrides);
            EventCodec.JSON.treeToValue(merged, ClinicRules.class);
        } catch (Exception e) {
            throw ProblemException.badRequest("the settings cannot be read together");
        }
        settingsAudit.save(caller.clinicId(), caller.subject(), overrides.toString()); // issue 16: with its audit record
        return rules();
    }

    private static String kindOf(Class<?> type) {
        if (type == Duration.class) {
            return "an ISO-8601 duration, e.g. PT72H";
        }
        if (type == java.time.ZoneId.class) {
            return "an IANA time zone, e.g. Europe/Oslo";
        }
        return type == double.class ? "a number" : "a whole number";
    }

    private String part(String athleteId, String part) {
        String clinicId = caller.clinicId();
        return store.findingsJson(clinicId, athleteId, part)
                .orElseGet(() -> {
                    if (!store.athleteExists(clinicId, athleteId)) {
                        throw ProblemException.notFound("athlete " + athleteId);
                    }
                    return "load".equals(part) ? "{}" : "[]";
                });
    }
}
