package io.strideback.plan.api;

import ca.uhn.fhir.context.FhirContext;
import io.strideback.plan.domain.PlanEvent;
import io.strideback.plan.domain.RehabPlan;
import io.strideback.plan.fhir.ClinicalRecordStore;
import io.strideback.plan.fhir.ClinicalRecordStore.ClinicalRecord;
import io.strideback.plan.fhir.FhirRecordExport;
import io.strideback.plan.store.PlanEventStore;
import io.strideback.support.rest.ProblemException;
import io.strideback.support.security.Caller;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * CONTRACT v2 {@code GET /api/v1/athletes/{athleteId}/fhir}: the athlete's record as a FHIR R4 Bundle for the
 * clinic's EHR (issue 17; README "Connecting an EHR"). Clinic-scoped like every read: another clinic's athlete is 404.
 */
@Path("/api/v1/athletes/{athleteId}/fhir")
@Tag(name = "fhir")
public class FhirExportResource {

    public static final String FHIR_JSON = "application/fhir+json";
    /** Thread-safe and costly to build (it scans the R4 model): one per service. */
    private static final FhirContext FHIR = FhirContext.forR4Cached();

    @Inject
    Caller caller;
    @Inject
    PlanEventStore store;
    @Inject
    ClinicalRecordStore clinicalRecord;
    @Inject
    io.strideback.plan.personal.PersonalData personalData;

    @GET
    @Produces({FHIR_JSON, MediaType.APPLICATION_JSON}) // FHIR R4 "Content Types": a client may ask for plain JSON
    @RolesAllowed(Caller.CLINICIAN)
    @Operation(summary = "The athlete's record as a FHIR R4 Bundle: Patient, Condition, an Observation per symptom report "
            + "(LOINC 72514-3) and per session, calf tests, OSTRC-O2 weekly checks as QuestionnaireResponses, the CarePlan "
            + "and a ServiceRequest per urgent referral")
    @APIResponse(responseCode = "200", description = "A FHIR R4 Bundle of type collection",
            content = {@Content(mediaType = FHIR_JSON, schema = @Schema(implementation = FhirBundleDocument.class)),
                    @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = FhirBundleDocument.class))})
    @APIResponse(responseCode = "404", description = "No such athlete in the caller's clinic")
    public String export(@PathParam("athleteId") String athleteId) {
        String clinicId = caller.clinicId();
        List<PlanEvent> history = store.load(clinicId, athleteId, null).stream()
                .map(PlanEventStore.StoredEvent::event).toList();
        Optional<ClinicalRecord> record = clinicalRecord.record(clinicId, athleteId);
        if (history.isEmpty() && record.isEmpty()) {
            throw ProblemException.notFound("athlete " + athleteId);
        }
        // The name, the notes and the clinicians' words in the plan's reasons rest sealed (issue 16): opened for this
        // caller in one call to intake.
        var batch = personalData.batch();
        Supplier<ClinicalRecord> opened = record.map(r -> io.strideback.plan.fhir.OpenedRecord.prepare(r, athleteId, batch))
                .orElse(() -> null);
        Supplier<List<PlanEvent>> shown = io.strideback.plan.fhir.OpenedHistory.prepare(history, athleteId, batch);
        batch.open();
        List<PlanEvent> openedHistory = shown.get();
        RehabPlan plan = openedHistory.isEmpty() ? null : RehabPlan.fold(openedHistory);
        return FHIR.newJsonParser().encodeResourceToString(
                FhirRecordExport.of(clinicId, athleteId, plan, openedHistory, opened.get(), Instant.now()));
    }
}
