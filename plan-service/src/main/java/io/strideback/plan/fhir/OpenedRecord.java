package io.strideback.plan.fhir;

import io.strideback.events.ActivityEvents.AssessmentRecorded;
import io.strideback.events.ActivityEvents.AthleteEnrolled;
import io.strideback.events.ActivityEvents.SymptomReported;
import io.strideback.plan.fhir.ClinicalRecordStore.ClinicalRecord;
import io.strideback.plan.fhir.ClinicalRecordStore.Entry;
import io.strideback.plan.personal.PersonalData;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The clinical record with its personal fields opened for one export (issue 16: the display name and the notes rest
 * sealed): every field of the record in the batch's one call to intake. A field intake does not open (an erased
 * athlete, a caller who may not see it, intake unreachable) is left out of the export, never shown sealed.
 */
public final class OpenedRecord {

    private OpenedRecord() {
    }

    public static ClinicalRecord open(ClinicalRecord record, String athleteId, PersonalData.Batch batch) {
        Supplier<ClinicalRecord> opened = prepare(record, athleteId, batch);
        batch.open();
        return opened.get();
    }

    /** The record's fields added to {@code batch}; the record opened once the batch is (with other fields of the answer). */
    public static Supplier<ClinicalRecord> prepare(ClinicalRecord record, String athleteId, PersonalData.Batch batch) {
        AthleteEnrolled a = record.athlete();
        Supplier<String> name = batch.add(athleteId, a == null ? null : a.displayName());
        List<Supplier<String>> notes = new ArrayList<>();
        for (Entry e : record.entries()) {
            notes.add(batch.add(athleteId, e.data() instanceof SymptomReported s ? s.note()
                    : e.data() instanceof AssessmentRecorded r ? r.note() : null));
        }
        return () -> opened(record, a, name, notes);
    }

    private static ClinicalRecord opened(ClinicalRecord record, AthleteEnrolled a, Supplier<String> name,
                                         List<Supplier<String>> notes) {
        AthleteEnrolled athlete = a == null ? null : new AthleteEnrolled(a.athleteId(), a.clinicId(), name.get(),
                a.diagnosis(), a.side(), a.injuryDate(), a.symptomFreeRunKm(), a.enrolledAt(), a.timeZone());
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < record.entries().size(); i++) {
            Entry e = record.entries().get(i);
            String note = notes.get(i).get();
            Object data = e.data();
            if (data instanceof SymptomReported s) {
                data = new SymptomReported(s.athleteId(), s.clinicId(), s.observedAt(), s.pain(), s.side(), s.location(),
                        s.character(), s.context(), s.redFlags(), note);
            } else if (data instanceof AssessmentRecorded r) {
                data = new AssessmentRecorded(r.athleteId(), r.clinicId(), r.recordedAt(), r.singleLegCalfRaises(),
                        r.painNow(), r.painFreeWalking(), r.painFreeHops(), r.loadedRaiseStraightKneeBodyweight(),
                        r.loadedRaiseBentKneeBodyweight(), note, r.kind(), r.ostrcO2());
            }
            entries.add(new Entry(e.eventId(), e.type(), e.occurredAt(), data));
        }
        return new ClinicalRecord(athlete, entries);
    }
}
