package io.strideback.loadmonitor.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.strideback.events.ActivityEvents;
import io.strideback.events.EventCodec;
import io.strideback.events.Topic;
import io.strideback.loadmonitor.api.MonitorViews.*;
import io.strideback.loadmonitor.domain.AthleteTimeline;
import io.strideback.loadmonitor.domain.ClinicRules;
import io.strideback.loadmonitor.domain.LoadMonitor;
import io.strideback.loadmonitor.domain.LoadSummary;
import io.strideback.loadmonitor.domain.TrainingSession;
import io.strideback.loadmonitor.mapping.FindingsMapping.EpisodeView;
import io.strideback.loadmonitor.streams.AdherenceWatch;
import io.strideback.loadmonitor.streams.AthleteState;
import io.strideback.loadmonitor.streams.AthleteView;
import io.strideback.loadmonitor.streams.ClinicSettingsChange;
import io.strideback.loadmonitor.streams.MonitorTopology;
import io.strideback.support.rest.FieldError;
import io.strideback.support.rest.ProblemException;
import io.strideback.support.rest.TextRules;
import io.strideback.support.security.Caller;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.*;
import jakarta.ws.rs.core.MediaType;
import org.apache.kafka.streams.state.HostInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The load monitor's read API of CONTRACT.md, scoped to the caller's clinic, answered from the stream tasks'
 * stores by interactive queries ({@link MonitorQueries}): here when this instance holds the athlete's partition,
 * else forwarded to the instance that does.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "load monitor")
@jakarta.enterprise.context.RequestScoped
public class LoadMonitorResource {

    /** What the clinic overview counts as a recent flare-up. */
    static final int RECENT_DAYS = 14;

    @Inject
    Caller caller;
    @Inject
    MonitorQueries queries;
    @Inject
    ClinicSettingsLog settings;

    @HeaderParam("Authorization")
    String authorization;
    @HeaderParam(MonitorQueries.FORWARDED)
    String forwarded;
    @Inject
    io.strideback.loadmonitor.audit.ClinicSettingsAudit settingsAudit;

    @GET
    @Path("/athletes/{athleteId}/flare-ups")
    @RolesAllowed({Caller.CLINICIAN, Caller.ATHLETE})
    @Operation(summary = "Flare-up episodes with their classification, the rule that fired and its evidence")
    public FlareUps flareUps(@PathParam("athleteId") String athleteId) {
        caller.mayActFor(athleteId);
        return athlete(athleteId, "/flare-ups", FlareUps.class, v -> new FlareUps(v.findings().episodes()));
    }

    @GET
    @Path("/athletes/{athleteId}/patterns")
    @RolesAllowed({Caller.CLINICIAN, Caller.ATHLETE})
    @Operation(summary = "Patterns over the trailing 42 days")
    public Patterns patterns(@PathParam("athleteId") String athleteId) {
        caller.mayActFor(athleteId);
        return held(athleteId, MonitorTopology.FINDINGS_VIEW, "/patterns", Patterns.class, (key, partition) -> {
            AthleteView view = queries.local(MonitorTopology.FINDINGS_VIEW, key, partition, AthleteView::fromBytes)
                    .orElseThrow(() -> ProblemException.notFound("athlete " + athleteId));
            // DOMAIN.md "over the plan": the adherence findings (same task, same partition) as the OVER_THE_PLAN row
            List<io.strideback.loadmonitor.domain.AdherenceFinding> adherence = queries.local(
                    MonitorTopology.ADHERENCE, key, partition, AdherenceWatch::storedFindings).orElse(List.of());
            List<io.strideback.loadmonitor.mapping.FindingsMapping.PatternView> patterns =
                    new ArrayList<>(view.findings().patterns());
            io.strideback.loadmonitor.domain.OverThePlan.pattern(adherence).ifPresent(p -> patterns.add(
                    new io.strideback.loadmonitor.mapping.FindingsMapping.PatternView(
                            io.strideback.events.vocabulary.PatternKind.OVER_THE_PLAN.name(), p.since(),
                            List.of(), p.runEventIds())));
            return new Patterns(patterns);
        });
    }

    @GET
    @Path("/athletes/{athleteId}/adjustments")
    @RolesAllowed(Caller.CLINICIAN)
    @Operation(summary = "The adjustments the rules propose for the athlete now, with parameters, evidence and reason")
    public Adjustments adjustments(@PathParam("athleteId") String athleteId) {
        return athlete(athleteId, "/adjustments", Adjustments.class, v -> new Adjustments(v.findings().adjustments()));
    }

    @GET
    @Path("/athletes/{athleteId}/adherence")
    @RolesAllowed({Caller.CLINICIAN, Caller.ATHLETE})
    @Operation(summary = "Logged runs outside the plan in force at their time (over the cap, harder than allowed, or"
            + " during a pause): findings for the clinician, never a plan change (DOMAIN.md \"over the plan\")")
    public Adherence adherence(@PathParam("athleteId") String athleteId) {
        caller.mayActFor(athleteId);
        return held(athleteId, MonitorTopology.ADHERENCE, "/adherence", Adherence.class, (key, partition) -> {
            Optional<List<io.strideback.loadmonitor.domain.AdherenceFinding>> held = queries.local(
                    MonitorTopology.ADHERENCE, key, partition, AdherenceWatch::storedFindings);
            if (held.isEmpty() && queries.local(MonitorTopology.FINDINGS_VIEW, key, partition, v -> v).isEmpty()) {
                throw ProblemException.notFound("athlete " + athleteId);
            }
            return new Adherence(held.orElse(List.of()));
        });
    }

    @GET
    @Path("/athletes/{athleteId}/load")
    @RolesAllowed({Caller.CLINICIAN, Caller.ATHLETE})
    @Operation(summary = "Daily session-RPE loads, acute and chronic EWMA, ACWR (context only) and the symptom-free distance")
    public LoadSummary load(@PathParam("athleteId") String athleteId) {
        caller.mayActFor(athleteId);
        // Issue #15: the days of load grow with the athlete's history, so the findings view written at every analysis
        // no longer carries them; a read runs the rules on the stored timeline once (the same findings as the
        // stream's incremental analysis: IncrementalAnalysisPropertyTest), with the clinic's rules of the stream.
        return held(athleteId, MonitorTopology.ATHLETES, "/load", LoadSummary.class, (key, partition) -> {
            ClinicRules rules;
            try {
                rules = settings.local(caller.clinicId(), partition)
                        .map(ClinicSettingsChange::rules)
                        .filter(r -> r.refusals().isEmpty())
                        .orElse(ClinicRules.defaults());
            } catch (UncheckedIOException e) {
                rules = ClinicRules.defaults(); // as the stream does with settings it cannot read (issue 12)
            }
            return LoadMonitor.analyse(storedTimeline(athleteId, key, partition), rules).load();
        });
    }

    @GET
    @Path("/athletes/{athleteId}/timeline")
    @RolesAllowed({Caller.CLINICIAN, Caller.ATHLETE})
    @Operation(summary = "The athlete's sessions and symptom reports as the monitor holds them, in event time, each with its event id")
    public Timeline timeline(@PathParam("athleteId") String athleteId) {
        caller.mayActFor(athleteId);
        return held(athleteId, MonitorTopology.ATHLETES, "/timeline", Timeline.class, (key, partition) -> {
            AthleteTimeline timeline = storedTimeline(athleteId, key, partition);
            return new Timeline(athleteId, timeline.sessions().stream().map(LoadMonitorResource::session).toList(),
                    timeline.symptoms().stream().map(r -> new SymptomView(r.eventId(), r.observedAt(), r.pain(),
                            r.location(), r.character(), r.context(), r.redFlags())).toList());
        });
    }

    @GET
    @Path("/athletes")
    @RolesAllowed(Caller.CLINICIAN)
    @Operation(summary = "The clinic's athletes with their flare-up counts (all, last 14 days, by classification), "
            + "the latest episode and whether a red flag was reported")
    public ClinicAthletes athletes(@QueryParam("scope") String scope) {
        String clinicId = caller.clinicId();
        List<ClinicAthlete> out = new ArrayList<>(queries.localPrefix(MonitorTopology.FINDINGS_VIEW,
                clinicId + "/", value -> overview(AthleteView.fromBytes(value))));
        if (!"local".equals(scope) && forwarded == null) {
            for (HostInfo other : queries.otherHosts(MonitorTopology.FINDINGS_VIEW)) {
                out.addAll(queries.forward(other, "/api/v1/athletes?scope=local", authorization,
                        ClinicAthletes.class).athletes());
            }
        }
        out.sort(Comparator.comparing(ClinicAthlete::athleteId));
        return new ClinicAthletes(out);
    }

    @GET
    @Path("/ops/summary")
    @RolesAllowed(Caller.OPS)
    @Operation(summary = "Episodes per clinic and classification, across clinics; no athlete data (ops)")
    public OpsSummary opsSummary(@QueryParam("scope") String scope) {
        List<List<EpisodeCount>> byInstance = new ArrayList<>();
        byInstance.add(localCounts());
        if (!"local".equals(scope) && forwarded == null) {
            for (HostInfo other : queries.otherHosts(MonitorTopology.FINDINGS_VIEW)) {
                byInstance.add(queries.forward(other, "/api/v1/ops/summary?scope=local", authorization,
                        OpsSummary.class).episodes());
            }
        }
        // Each instance counted its own athletes: episodes add up by clinic and class, athletes by clinic.
        Map<String, Long> athletesByClinic = new TreeMap<>();
        Map<String, Map<String, Long>> episodes = new TreeMap<>();
        for (List<EpisodeCount> rows : byInstance) {
            Map<String, Long> athletesHere = new TreeMap<>();
            for (EpisodeCount row : rows) {
                episodes.computeIfAbsent(row.clinicId(), c -> new TreeMap<>())
                        .merge(row.classification(), row.episodes(), Long::sum);
                athletesHere.put(row.clinicId(), row.athletes());
            }
            athletesHere.forEach((clinic, n) -> athletesByClinic.merge(clinic, n, Long::sum));
        }
        List<EpisodeCount> out = new ArrayList<>();
        episodes.forEach((clinic, counts) -> counts.forEach((classification, n) ->
                out.add(new EpisodeCount(clinic, classification, n, athletesByClinic.get(clinic)))));
        return new OpsSummary(out);
    }

    @GET
    @Path("/clinic/rules")
    @RolesAllowed(Caller.CLINICIAN)
    @Operation(summary = "The clinic's rule settings: DOMAIN.md's defaults with the clinic's overrides")
    public ClinicRules rules() {
        String clinicId = caller.clinicId();
        MonitorQueries.Owner owner = owner(MonitorTopology.CLINIC_SETTINGS, clinicId);
        if (owner instanceof MonitorQueries.There there) {
            return queries.forward(there.host(), "/api/v1/clinic/rules", authorization, ClinicRules.class);
        }
        return settings.local(clinicId, ((MonitorQueries.Here) owner).partition())
                .map(ClinicSettingsChange::rules)
                .filter(r -> r.refusals().isEmpty())
                .orElse(ClinicRules.defaults());
    }

    @PUT
    @Path("/clinic/rules")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Caller.CLINIC_ADMIN)
    @Operation(summary = "Override some of the rules' numbers for this clinic; the clinic's athletes are analysed again")
    public ClinicRules setRules(JsonNode overrides) {
        if (overrides == null || !overrides.isObject()) {
            throw ProblemException.invalid(List.of(new FieldError("body", "must be an object of rule settings")));
        }
        // Issue 12: no control character or lone surrogate is stored, echoed or analysed.
        List<FieldError> errors = new ArrayList<>();
        TextRules.checkEveryString(overrides, "", TextRules.MAX_NAME, errors);
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        Map<String, Class<?>> known = new LinkedHashMap<>();
        for (var c : ClinicRules.class.getRecordComponents()) {
            known.put(c.getName(), c.getType());
        }
        overrides.fields().forEachRemaining(f -> {
            Class<?> type = known.get(f.getKey());
            if (type == null) {
                errors.add(new FieldError(f.getKey(), "is not a rule setting"));
                return;
            }
            Object value;
            try {
                value = STRICT.treeToValue(f.getValue(), type);
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
        ClinicRules rules;
        try {
            ObjectNode merged = ((ObjectNode) EventCodec.JSON.valueToTree(ClinicRules.defaults()))
                    .setAll((ObjectNode) overrides);
            rules = EventCodec.JSON.treeToValue(merged, ClinicRules.class);
        } catch (Exception e) {
            throw ProblemException.badRequest("the settings cannot be read together");
        }
        // DOMAIN.md "Settings": out of bounds, or within bounds but contradicting another setting (both named).
        if (!rules.refusals().isEmpty()) {
            throw ProblemException.invalid(rules.refusals().entrySet().stream()
                    .map(e -> new FieldError(e.getKey(), e.getValue())).toList());
        }
        ClinicRules before = rules();
        settings.write(caller.clinicId(), rules);
        // Issue 16: who changed what, before and after (the settings in force: DOMAIN.md's defaults until the
        // clinic's first change), for the clinic's audit log.
        settingsAudit.recorded(caller.clinicId(), caller.subject(), EventCodec.JSON.valueToTree(before),
                EventCodec.JSON.valueToTree(rules));
        return rules;
    }

    /** Reads a setting as the type it is (review r9: {@code "flareUpPain": "5"}, {@code 5.7} or {@code true} were taken as 5 or 1). */
    private static final com.fasterxml.jackson.databind.ObjectMapper STRICT =
            io.strideback.support.rest.StrictJson.strict(EventCodec.JSON.copy());

    private static String kindOf(Class<?> type) {
        if (type == Duration.class) {
            return "an ISO-8601 duration, e.g. PT72H";
        }
        if (type == java.time.ZoneId.class) {
            return "an IANA time zone, e.g. Europe/Oslo";
        }
        return type == double.class ? "a number" : "a whole number";
    }

    /** The athlete's enrolment and events as this instance's task of {@code partition} holds them; 404 if none. */
    private AthleteTimeline storedTimeline(String athleteId, String key, int partition) {
        List<byte[]> events = queries.localPrefix(MonitorTopology.ATHLETE_EVENTS, AthleteState.eventsPrefix(key),
                partition, value -> value);
        return queries.local(MonitorTopology.ATHLETES, key, partition,
                        value -> AthleteState.storedTimeline(value, events)).flatMap(t -> t)
                .orElseThrow(() -> ProblemException.notFound("athlete " + athleteId));
    }

    /** One athlete's part of the findings view: here, or from the instance that holds the athlete. */
    private <T> T athlete(String athleteId, String part, Class<T> type, java.util.function.Function<AthleteView, T> pick) {
        return held(athleteId, MonitorTopology.FINDINGS_VIEW, part, type, (key, partition) -> pick.apply(
                queries.local(MonitorTopology.FINDINGS_VIEW, key, partition, AthleteView::fromBytes)
                        .orElseThrow(() -> ProblemException.notFound("athlete " + athleteId))));
    }

    /**
     * One read of an athlete's stores: forwarded (with the caller's token) to the instance whose task holds the
     * athlete in {@code store}, else answered here from the task's partition (every store of an athlete is in it).
     */
    private <T> T held(String athleteId, String store, String part, Class<T> type,
                       java.util.function.BiFunction<String, Integer, T> here) {
        String key = Topic.key(caller.clinicId(), athleteId);
        MonitorQueries.Owner owner = owner(store, key);
        if (owner instanceof MonitorQueries.There there) {
            return queries.forward(there.host(), "/api/v1/athletes/" + athleteId + part, authorization, type);
        }
        return here.apply(key, ((MonitorQueries.Here) owner).partition());
    }

    /** Who holds the key; a forwarded request that reaches an instance no longer holding it is told to retry. */
    private MonitorQueries.Owner owner(String store, String key) {
        MonitorQueries.Owner owner = queries.ownerOf(store, key);
        if (owner instanceof MonitorQueries.There && forwarded != null) {
            throw MonitorQueries.moving();
        }
        return owner;
    }

    private static SessionView session(TrainingSession s) {
        return new SessionView(s.eventId(), s.sessionId(), s.type(), s.startedAt(), s.durationMin(), s.rpe(),
                s.distanceKm() == null && s.intensity() == null ? null
                        : new ActivityEvents.Run(s.distanceKm() == null ? 0 : s.distanceKm(), s.intensity(),
                        s.cadenceSpm()),
                s.exercises().isEmpty() ? null : new ActivityEvents.Strength(s.exercises().stream()
                        .map(e -> new ActivityEvents.Exercise(e.name(), e.sets(), e.reps(), e.loadKg(), e.rpe()))
                        .toList()));
    }

    private static ClinicAthlete overview(AthleteView v) {
        Instant recent = Instant.now().minus(Duration.ofDays(RECENT_DAYS));
        int runningTriggered = 0;
        int random = 0;
        int recentEpisodes = 0;
        boolean open = false;
        Instant last = null;
        for (EpisodeView e : v.findings().episodes()) {
            if ("RUNNING_TRIGGERED".equals(e.classification())) {
                runningTriggered++;
            } else {
                random++;
            }
            if (!e.startedAt().isBefore(recent)) {
                recentEpisodes++;
            }
            if (last == null || e.startedAt().isAfter(last)) {
                last = e.startedAt();
            }
            open |= e.endedAt() == null;
        }
        List<String> kinds = v.findings().patterns().stream().map(p -> p.kind()).toList();
        return new ClinicAthlete(v.athleteId(), v.diagnosis(), v.findings().episodes().size(), runningTriggered, random,
                recentEpisodes, RECENT_DAYS, last, open, kinds.contains("RED_FLAG"), kinds);
    }

    private List<EpisodeCount> localCounts() {
        Map<String, Long> athletes = new TreeMap<>();
        Map<String, Map<String, Long>> byClass = new TreeMap<>();
        for (AthleteView v : queries.localPrefix(MonitorTopology.FINDINGS_VIEW, "", AthleteView::fromBytes)) {
            athletes.merge(v.clinicId(), 1L, Long::sum);
            for (EpisodeView e : v.findings().episodes()) {
                byClass.computeIfAbsent(v.clinicId(), c -> new TreeMap<>()).merge(e.classification(), 1L, Long::sum);
            }
        }
        List<EpisodeCount> out = new ArrayList<>();
        byClass.forEach((clinic, counts) -> counts.forEach((classification, n) ->
                out.add(new EpisodeCount(clinic, classification, n, athletes.get(clinic)))));
        return out;
    }
}
