package io.strideback.plan.api;

import io.strideback.events.ActivityEvents.AssessmentRecorded;
import io.strideback.events.ActivityEvents.OstrcO2;
import io.strideback.events.EventType;
import io.strideback.plan.fhir.ClinicalRecordStore;
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
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The athlete's OSTRC-O2 weekly checks (issue 17), one per ISO week (UTC; the latest check of a week counts), for
 * the weekly line of the clinician timeline page.
 */
@Path("/api/v1/athletes/{athleteId}/ostrc-o2")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "plans")
public class WeeklyCheckResource {

    @Inject
    Caller caller;
    @Inject
    ClinicalRecordStore clinicalRecord;

    @Schema(name = "OstrcWeeks")
    public record OstrcWeeks(List<OstrcWeek> weeks) {
    }

    @Schema(name = "OstrcWeek", description = "one week's OSTRC-O2 check of the calf (Clarsen et al., BJSM 2013; 2020 update)")
    public record OstrcWeek(@Schema(description = "ISO week, e.g. 2026-W45") String week, Instant recordedAt,
                            @Schema(description = "severity 0-100") int score, boolean substantialProblem,
                            String participation, String trainingModified, String performanceAffected, String pain,
                            String eventId) {
    }

    @GET
    @RolesAllowed(Caller.CLINICIAN)
    @Operation(summary = "The athlete's OSTRC-O2 weekly checks: score 0-100 and the substantial-problem flag, a week a line")
    public OstrcWeeks weeks(@PathParam("athleteId") String athleteId) {
        ClinicalRecordStore.ClinicalRecord record = clinicalRecord.record(caller.clinicId(), athleteId)
                .orElseThrow(() -> ProblemException.notFound("athlete " + athleteId));
        Map<String, OstrcWeek> byWeek = new TreeMap<>();
        for (ClinicalRecordStore.Entry e : record.entries(EventType.ASSESSMENT_RECORDED)) {
            AssessmentRecorded a = (AssessmentRecorded) e.data();
            OstrcO2 q = a.ostrcO2();
            if (q == null) {
                continue;
            }
            var day = a.recordedAt().atZone(ZoneOffset.UTC);
            String week = String.format("%d-W%02d", day.get(IsoFields.WEEK_BASED_YEAR), day.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
            // Entries come in event time: a later check of the same week replaces the earlier one.
            byWeek.put(week, new OstrcWeek(week, a.recordedAt(), q.score(), q.substantialProblem(),
                    q.participation().name(), q.trainingModified().name(), q.performanceAffected().name(),
                    q.pain().name(), e.eventId()));
        }
        return new OstrcWeeks(new ArrayList<>(byWeek.values()));
    }
}
