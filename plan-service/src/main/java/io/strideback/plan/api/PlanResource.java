package io.strideback.plan.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.strideback.events.vocabulary.Phase;
import io.strideback.plan.domain.*;
import io.strideback.plan.mapping.PlanEventMapping;
import io.strideback.plan.mapping.PlanView;
import io.strideback.plan.service.PlanNotFoundException;
import io.strideback.plan.service.PlanService;
import io.strideback.plan.service.PlanTransaction.Outcome;
import io.strideback.plan.store.PlanEventStore;
import io.strideback.plan.store.PlanProjection;
import io.strideback.plan.store.PlanSideTables;
import io.strideback.support.rest.FieldError;
import io.strideback.support.rest.ProblemException;
import io.strideback.support.rest.TextRules;
import io.strideback.support.rest.ViewJson;
import io.strideback.support.security.Caller;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.*;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import io.strideback.events.vocabulary.ContractInstants;
import java.util.ArrayList;
import java.util.List;

/** The plan API of CONTRACT.md: current plan, as-of, history, phases, approvals. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "plans")
public class PlanResource {

    /** The 409 of an approval or a rejection, as both calls' documents say it. */
    private static final String NOT_WAITING_FOR_APPROVAL = "The adjustment is not waiting for approval (already applied, rejected or withdrawn)";

    @Inject
    Caller caller;
    @Inject
    PlanService plans;
    @Inject
    PlanProjection projection;
    @Inject
    PlanEventStore store;
    @Inject
    PlanSideTables side;
    @Inject
    io.strideback.plan.audit.ClinicPolicyChange policyChange;
    @Inject
    io.strideback.plan.personal.PersonalData personalData;

    @GET
    @Path("/athletes/{athleteId}/plan")
    @RolesAllowed({Caller.CLINICIAN, Caller.ATHLETE})
    @Operation(summary = "The athlete's current plan, or as it stood at ?asOf= (the fold of its events up to then)")
    @APIResponse(responseCode = "200", description = "The plan (the projection's stored PlanView)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PlanView.class)))
    public String plan(@PathParam("athleteId") String athleteId, @QueryParam("asOf") String asOf) {
        caller.mayActFor(athleteId);
        String clinicId = caller.clinicId();
        if (asOf == null || asOf.isBlank()) {
            String stored = projection.viewJson(clinicId, athleteId).orElseThrow(() -> ProblemException.notFound("plan"));
            // The display name and the clinicians' words rest sealed (issue 16): opened for this caller by intake in
            // one call, null when they cannot be.
            JsonNode view = readTree(stored);
            personalData.batch().openIn(athleteId, view).open();
            return view.toString();
        }
        Instant at = instant("asOf", asOf);
        List<PlanEvent> events = store.load(clinicId, athleteId, at).stream().map(PlanEventStore.StoredEvent::event).toList();
        if (events.isEmpty()) {
            throw ProblemException.notFound("plan as of " + asOf);
        }
        return opened(athleteId, PlanView.of(RehabPlan.fold(events)));
    }

    @GET
    @Path("/athletes/{athleteId}/plan/history")
    @RolesAllowed({Caller.CLINICIAN, Caller.ATHLETE})
    @Operation(summary = "Every change of the plan, in order, with its reason")
    public PlanAnswers.PlanHistory history(@PathParam("athleteId") String athleteId) {
        caller.mayActFor(athleteId);
        String clinicId = caller.clinicId();
        List<PlanEventStore.StoredEvent> events = store.load(clinicId, athleteId, null);
        if (events.isEmpty()) {
            throw ProblemException.notFound("plan");
        }
        List<PlanAnswers.HistoryEntry> out = new ArrayList<>();
        // A clinician's words in a reason rest sealed (issue 16): every reason opened in one call to intake.
        var batch = personalData.batch();
        List<java.util.function.Supplier<String>> reasons = new ArrayList<>();
        RehabPlan plan = RehabPlan.empty();
        for (PlanEventStore.StoredEvent stored : events) {
            plan = plan.apply(stored.event());
            var published = PlanEventMapping.toPublished(stored.event(), stored.sequence(), plan, null, null);
            Boolean overrideGates = null;
            List<GatesNotMetProblem.UnmetCriterion> unmet = null;
            if (stored.event() instanceof PhaseChanged changed && !changed.unmetGates().isEmpty()) {
                // DOMAIN.md "Gates are enforced": the override and the unmet criteria stay in the history.
                overrideGates = changed.gatesOverridden();
                unmet = GatesNotMetProblem.criteria(changed.unmetGates());
            }
            // With what the plan said after this change (the step line of the clinician timeline).
            reasons.add(batch.addText(athleteId, stored.event().reason()));
            out.add(new PlanAnswers.HistoryEntry(stored.sequence(), published.type().ceType(),
                    stored.event().occurredAt(), PlanAnswers.AdjustmentChange.of(published.data().adjustment()),
                    null, overrideGates, unmet,
                    published.data().phase() == null ? null : published.data().phase().name(),
                    PlanAnswers.RunLimits.of(published.data().constraints())));
        }
        batch.open();
        for (int i = 0; i < out.size(); i++) {
            PlanAnswers.HistoryEntry e = out.get(i);
            out.set(i, new PlanAnswers.HistoryEntry(e.sequence(), e.type(), e.occurredAt(), e.adjustment(),
                    reasons.get(i).get(), e.overrideGates(), e.unmetCriteria(), e.phase(), e.constraints()));
        }
        return new PlanAnswers.PlanHistory(out);
    }

    @GET
    @Path("/athletes")
    @RolesAllowed(Caller.CLINICIAN)
    @Operation(summary = "The clinic's athletes with a plan: phase, run cap, flags and how many adjustments wait for approval")
    public PlanAnswers.ClinicAthletes athletes() {
        List<PlanAnswers.ClinicAthlete> out = new ArrayList<>();
        List<PlanProjection.ClinicPlan> clinicPlans = projection.clinicPlans(caller.clinicId());
        // Every name of the list opened in one call to intake (issue 16: they rest sealed).
        var batch = personalData.batch();
        List<java.util.function.Supplier<String>> names = new ArrayList<>();
        List<JsonNode> views = new ArrayList<>();
        for (PlanProjection.ClinicPlan p : clinicPlans) {
            JsonNode view = readTree(p.viewJson());
            views.add(view);
            names.add(batch.add(view.path("athleteId").asText(), p.displayName()));
        }
        batch.open();
        for (int i = 0; i < clinicPlans.size(); i++) {
            PlanProjection.ClinicPlan p = clinicPlans.get(i);
            JsonNode view = views.get(i);
            out.add(new PlanAnswers.ClinicAthlete(view.path("athleteId").asText(), names.get(i).get(), view.path("diagnosis").asText(null),
                    view.path("side").asText(null), view.path("phase").asText(null), view.path("version").asLong(),
                    treeTo(view.path("flags"), PlanView.Flags.class),
                    treeTo(view.path("constraints"), PlanView.Constraints.class), p.pendingAdjustments(),
                    p.updatedAt()));
        }
        return new PlanAnswers.ClinicAthletes(out);
    }

    private static <T> T treeTo(JsonNode node, Class<T> type) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return null;
        }
        try {
            return io.strideback.events.EventCodec.JSON.treeToValue(node, type);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("stored plan view is unreadable", e);
        }
    }

    private static <T> T readValue(String json, Class<T> type) {
        try {
            return io.strideback.events.EventCodec.JSON.readValue(json, type);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("stored adjustment view is unreadable", e);
        }
    }

    private static JsonNode readTree(String json) {
        try {
            return io.strideback.events.EventCodec.JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("stored plan view is unreadable", e);
        }
    }

    @POST
    @Path("/athletes/{athleteId}/plan/phase")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Caller.CLINICIAN)
    @Operation(summary = "Move the plan to a phase. A gate on the way that the latest assessment does not meet answers 409 "
            + "with unmetCriteria, unless overrideGates is true with a reason (recorded in the history). No move forwards "
            + "while an urgent referral is in force.")
    @APIResponse(responseCode = "200", description = "The plan after the change",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PlanView.class)))
    @APIResponse(responseCode = "409", description = "A gate is not met, or an urgent referral is in force",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = GatesNotMetProblem.class)))
    @APIResponse(responseCode = "503", description = "The clinician's words could not be sealed (intake unavailable): "
            + "nothing was changed; retry after Retry-After",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = io.strideback.support.rest.Problem.class)))
    public String changePhase(@PathParam("athleteId") String athleteId, PhaseChangeRequest body) {
        String clinicId = caller.clinicId();
        // CONTRACT v2 {"phase", "reason", "overrideGates"?}: a clinician's decision always says why (review r9: a
        // change without one was taken). Both problems in one answer.
        List<FieldError> errors = new ArrayList<>();
        Phase phase = phase(body == null ? null : body.phase(), errors);
        String why = reason(body == null ? null : body.reason());
        boolean override = body != null && Boolean.TRUE.equals(body.overrideGates());
        if (why == null || why.isBlank()) {
            errors.add(new FieldError("reason", override ? "overriding a gate needs a reason" : "a phase change needs a reason"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        String sealed = sealed(athleteId, why);
        Outcome outcome = run(clinicId, athleteId,
                (plan, policy) -> new ChangePhase(phase, caller.subject(), sealed, Instant.now(), override));
        return opened(athleteId, PlanView.of(outcome.plan()));
    }

    @POST
    @Path("/athletes/{athleteId}/plan/referral/clear")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Caller.CLINICIAN)
    @Operation(summary = "Clear the urgent referral, saying why: the only way one ends (a phase change does not). "
            + "409 when no referral is in force.")
    @APIResponse(responseCode = "200", description = "The plan after the clearance",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PlanView.class)))
    @APIResponse(responseCode = "503", description = "The clinician's words could not be sealed (intake unavailable): "
            + "nothing was changed; retry after Retry-After",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = io.strideback.support.rest.Problem.class)))
    @APIResponse(responseCode = "409", description = "No urgent referral is in force to clear",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = io.strideback.support.rest.Problem.class)))
    public String clearReferral(@PathParam("athleteId") String athleteId, ReferralClearanceRequest body) {
        String why = reason(body == null ? null : body.reason());
        if (why == null || why.isBlank()) {
            throw ProblemException.invalid(List.of(new FieldError("reason", "a clearance needs a reason")));
        }
        String clinicId = caller.clinicId();
        String sealed = sealed(athleteId, why);
        Outcome outcome = run(clinicId, athleteId, (plan, policy) -> new ClearReferral(caller.subject(), sealed, Instant.now()));
        return opened(athleteId, PlanView.of(outcome.plan()));
    }

    @GET
    @Path("/adjustments")
    @RolesAllowed(Caller.CLINICIAN)
    @Operation(summary = "The clinic's adjustments, e.g. ?status=PENDING for those waiting for approval")
    public PlanAnswers.AdjustmentQueue adjustments(@QueryParam("status") String status) {
        if (status != null && !List.of("APPLIED", "PENDING", "REJECTED", "WITHDRAWN").contains(status)) {
            throw ProblemException.invalid(List.of(new FieldError("status", "must be one of APPLIED, PENDING, REJECTED, WITHDRAWN")));
        }
        List<PlanProjection.AdjustmentInQueue> queue = projection.adjustmentsJson(caller.clinicId(), status).stream()
                .map(json -> readValue(json, PlanProjection.AdjustmentInQueue.class)).toList();
        // A rejection's reason may hold the clinician's sealed words (issue 16): all opened in one call to intake.
        var batch = personalData.batch();
        List<java.util.function.Supplier<String>> reasons = queue.stream()
                .map(q -> batch.addText(q.athleteId(), q.adjustment() == null ? null : q.adjustment().reason())).toList();
        batch.open();
        List<PlanProjection.AdjustmentInQueue> out = new ArrayList<>(queue.size());
        for (int i = 0; i < queue.size(); i++) {
            PlanProjection.AdjustmentInQueue q = queue.get(i);
            PlanView.Adjustment a = q.adjustment();
            out.add(a == null ? q : new PlanProjection.AdjustmentInQueue(q.athleteId(), new PlanView.Adjustment(a.adjustmentId(),
                    a.type(), a.status(), reasons.get(i).get(), a.evidenceEventIds(), a.parameters(), a.decidedAt())));
        }
        return new PlanAnswers.AdjustmentQueue(out);
    }

    @POST
    @Path("/adjustments/{adjustmentId}/approve")
    @RolesAllowed(Caller.CLINICIAN)
    @Operation(summary = "Approve a pending adjustment: it applies to the plan now")
    @APIResponse(responseCode = "200", description = "The adjustment and the plan after the approval",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PlanAnswers.AdjustmentDecision.class)))
    @APIResponse(responseCode = "409", description = NOT_WAITING_FOR_APPROVAL,
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = io.strideback.support.rest.Problem.class)))
    public String approve(@PathParam("adjustmentId") String adjustmentId) {
        return decide(adjustmentId, null,
                (plan, policy, sealed) -> new ApproveAdjustment(adjustmentId, caller.subject(), Instant.now()));
    }

    @POST
    @Path("/adjustments/{adjustmentId}/reject")
    @RolesAllowed(Caller.CLINICIAN)
    @Operation(summary = "Reject a pending adjustment: the plan stays as it is")
    @APIResponse(responseCode = "200", description = "The adjustment and the plan after the rejection",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PlanAnswers.AdjustmentDecision.class)))
    @APIResponse(responseCode = "503", description = "The clinician's words could not be sealed (intake unavailable): "
            + "nothing was changed; retry after Retry-After",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = io.strideback.support.rest.Problem.class)))
    @APIResponse(responseCode = "409", description = NOT_WAITING_FOR_APPROVAL,
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = io.strideback.support.rest.Problem.class)))
    public String reject(@PathParam("adjustmentId") String adjustmentId, JsonNode body) {
        if (body != null && !body.isNull() && !body.isObject()) {
            // "because" or [1] were taken as a rejection without a reason (review r9).
            throw ProblemException.invalid(List.of(new FieldError("body", "must be an object, e.g. {\"reason\": \"...\"}")));
        }
        JsonNode given = body == null ? null : body.get("reason");
        if (given != null && !given.isNull() && !given.isTextual()) {
            throw ProblemException.invalid(List.of(new FieldError("reason", "must be a string")));
        }
        String why = reason(given == null || given.isNull() ? null : given.asText());
        return decide(adjustmentId, why,
                (plan, policy, sealed) -> new RejectAdjustment(adjustmentId, caller.subject(), sealed, Instant.now()));
    }

    @GET
    @Path("/clinic/policy")
    @RolesAllowed(Caller.CLINICIAN)
    @Operation(summary = "Whether proposed adjustments apply at once (AUTO_APPLY) or wait for approval (REVIEW)")
    public PlanAnswers.ClinicPolicyAnswer policy() {
        return new PlanAnswers.ClinicPolicyAnswer(side.policy(caller.clinicId()).name());
    }

    @PUT
    @Path("/clinic/policy")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Caller.CLINIC_ADMIN)
    @Operation(summary = "Set the clinic's policy: AUTO_APPLY or REVIEW (URGENT_REFERRAL always applies at once)")
    public PlanAnswers.ClinicPolicyAnswer setPolicy(JsonNode body) {
        String value = body == null ? null : body.path("policy").asText(null);
        ClinicPolicy policy;
        try {
            policy = ClinicPolicy.valueOf(String.valueOf(value));
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid(List.of(new FieldError("policy", "must be one of AUTO_APPLY, REVIEW")));
        }
        try {
            policyChange.set(caller.clinicId(), caller.subject(), policy); // with its audit entry (issue 16)
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("plan store unavailable: " + e.getMessage(), e);
        }
        return new PlanAnswers.ClinicPolicyAnswer(policy.name());
    }

    @POST
    @Path("/admin/rebuild-plans")
    @RolesAllowed(Caller.OPS)
    @Operation(summary = "Rebuild every plan's read model from its events (ops)")
    public PlanAnswers.PlansRebuilt rebuild() {
        try {
            return new PlanAnswers.PlansRebuilt(plans.rebuildAll());
        } catch (io.strideback.plan.service.PlanRebuild.AlreadyRunning e) {
            throw ProblemException.conflict(e.getMessage());
        }
    }

    /** A clinician's decision on an adjustment, given their words sealed (null when they wrote none). */
    private interface Decision {
        PlanCommand command(RehabPlan plan, ClinicPolicy policy, String sealedWhy);
    }

    private String decide(String adjustmentId, String why, Decision decision) {
        String clinicId = caller.clinicId();
        String athleteId = projection.athleteOfAdjustment(clinicId, adjustmentId)
                .orElseThrow(() -> ProblemException.notFound("adjustment " + adjustmentId));
        String sealed = sealed(athleteId, why);
        Outcome outcome = run(clinicId, athleteId, (plan, policy) -> decision.command(plan, policy, sealed));
        PlanView view = PlanView.of(outcome.plan());
        PlanView.Adjustment decided = view.adjustments().stream().filter(a -> a.adjustmentId().equals(adjustmentId))
                .findFirst().orElse(null);
        return opened(athleteId, new PlanAnswers.AdjustmentDecision(decided, view));
    }

    /**
     * Issue 16: a clinician's own words about an athlete are personal data ("the pain came back after his
     * daughter's wedding"), so intake seals them with the athlete's data key BEFORE the command writes its event,
     * view, outbox row or anything else; an erasure then makes them unreadable on every copy. Put in the plan's
     * clause form first (the plan cannot reword a sealed text). Intake not answering is a 503 and nothing is written.
     */
    private String sealed(String athleteId, String why) {
        return personalData.seal(athleteId, PlainWords.clause(why));
    }

    /** An answer about one athlete with every sealed part of it (a name, a clinician's words) opened for the caller. */
    private String opened(String athleteId, Object answer) {
        JsonNode tree = readTree(ViewJson.write(answer));
        personalData.batch().openIn(athleteId, tree).open();
        return tree.toString();
    }

    private Outcome run(String clinicId, String athleteId,
                        java.util.function.BiFunction<RehabPlan, ClinicPolicy, PlanCommand> cmd) {
        try {
            return plans.execute(clinicId, athleteId, cmd, null, null);
        } catch (PlanNotFoundException e) {
            throw ProblemException.notFound("plan");
        } catch (PlanRuleViolation e) {
            if (e.kind() == PlanRuleViolation.Kind.NO_PLAN) {
                throw ProblemException.notFound("plan");
            }
            if (e.kind() == PlanRuleViolation.Kind.INVALID_COMMAND) {
                throw ProblemException.unprocessable(e.getMessage());
            }
            if (e.kind() == PlanRuleViolation.Kind.GATE_NOT_MET) {
                throw new GatesNotMetException(GatesNotMetProblem.of(e.getMessage(), e.unmetGates()));
            }
            throw ProblemException.conflict(e.getMessage());
        }
    }

    /**
     * A clinician's reason: free text of at most 2,000 characters with no control character but tab
     * and line breaks, or absent (issue 12: a 2 MB reason was taken and its plan event outgrew the
     * producer's record size, so the outbox relay retried it for ever).
     */
    private static String reason(String reason) {
        if (reason == null) {
            return null;
        }
        TextRules.freeTextProblem(reason, TextRules.MAX_FREE_TEXT).ifPresent(p -> {
            throw ProblemException.invalid(List.of(new FieldError("reason", p)));
        });
        // Kept as intake keeps a note (round 20): without outer white space; white space alone is no reason.
        return TextRules.tidy(reason);
    }

    private static Phase phase(String value, List<FieldError> errors) {
        try {
            return Phase.valueOf(String.valueOf(value));
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError("phase", "must be one of PROTECT, RESTORE_CAPACITY, RETURN_TO_RUN, BUILD, RETURN_TO_SPORT"));
            return null;
        }
    }

    /** Years 1 to 9999 in UTC, the instants an API field may name. */
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant AFTER_LATEST = Instant.parse("+10000-01-01T00:00:00Z");

    private static Instant instant(String field, String value) {
        // Every service reads a client's instants by this one rule (round 20): a leap second taken, an offset's seconds not.
        Instant parsed = ContractInstants.readClientInstant(value);
        if (parsed == null) {
            throw ProblemException.invalid(List.of(new FieldError(field, ContractInstants.CLIENT_INSTANT_FORM)));
        }
        // PostgreSQL's timestamptz stops at year 294276: "+999999999-12-31T23:59:59Z" was a 503 "database
        // unavailable", so a client retried a bad query for ever (review r8). Compared as instants: converting
        // the far ones to a UTC date overflows.
        if (parsed.isBefore(EARLIEST) || !parsed.isBefore(AFTER_LATEST)) {
            throw ProblemException.invalid(List.of(new FieldError(field, "must be an instant between the years 1 and 9999")));
        }
        return parsed;
    }
}
