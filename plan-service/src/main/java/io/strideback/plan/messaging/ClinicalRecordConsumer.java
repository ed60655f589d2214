package io.strideback.plan.messaging;

import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.strideback.events.ActivityEvents.AssessmentRecorded;
import io.strideback.events.ActivityEvents.AthleteEnrolled;
import io.strideback.events.ActivityEvents.AthleteErased;
import io.strideback.events.ActivityEvents.SessionLogged;
import io.strideback.events.ActivityEvents.SymptomReported;
import io.strideback.events.EventEnvelope;
import io.strideback.events.EventType;
import io.strideback.plan.fhir.ClinicalRecordStore;
import io.strideback.support.messaging.ConsumerChannels;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Keeps the clinical record of the FHIR export (issue 17) from the activity topic, in a consumer group of its own
 * ({@code plan-service-clinical-record}): it reads the topic from its start the first time it runs, so a service
 * that predates the export fills the record from the history the topic holds, and it never holds up the plans.
 * Inserts are keyed by event id (a redelivery changes nothing) and skip an erased athlete; an erasure deletes the
 * athlete's rows.
 */
@ApplicationScoped
public class ClinicalRecordConsumer {

    @Inject
    ClinicalRecordStore record;
    @Inject
    ConsumerChannels channels;
    @Inject
    io.strideback.plan.erasure.AthleteErasure erasure;

    @Incoming("clinical-record")
    @Blocking(ordered = true)
    public CompletionStage<Void> activity(KafkaRecordBatch<String, byte[]> batch) {
        channels.deliverBatch("clinical-record", batch, RECORDED, this::onActivities);
        return CompletableFuture.completedFuture(null); // acknowledged (or parked) by deliverBatch
    }

    /** Every type of the activity topic is part of the record (or erases it). */
    static final Set<EventType> RECORDED = EnumSet.of(EventType.ATHLETE_ENROLLED, EventType.SESSION_LOGGED,
            EventType.SYMPTOM_REPORTED, EventType.ASSESSMENT_RECORDED, EventType.ATHLETE_ERASED);

    /**
     * A poll batch, in partition order (issue 15: it cost a connection, a statement and a commit per session or
     * symptom): its entries go in one statement; an erasure first stores the entries before it, so it erases them
     * too, and the entries after it find the athlete erased. Applied again after a failure, it changes nothing.
     */
    void onActivities(List<ConsumerChannels.Delivery> deliveries) throws Exception {
        List<ClinicalRecordStore.NewEntry> entries = new ArrayList<>();
        for (ConsumerChannels.Delivery delivery : deliveries) {
            EventEnvelope<?> event = delivery.event();
            byte[] json = delivery.json();
            Object data = event.data();
            if (data instanceof AthleteEnrolled a) {
                record.enrolled(a);
            } else if (data instanceof SessionLogged s) {
                entries.add(entry(s.clinicId(), s.athleteId(), event, json, s.startedAt()));
            } else if (data instanceof SymptomReported s) {
                entries.add(entry(s.clinicId(), s.athleteId(), event, json, s.observedAt()));
            } else if (data instanceof AssessmentRecorded a) {
                entries.add(entry(a.clinicId(), a.athleteId(), event, json, a.recordedAt()));
            } else if (data instanceof AthleteErased e) {
                record.addAll(entries);
                entries.clear();
                // The whole erasure, not only the record: this channel may read it before the plans' channel, and its
                // own later records must find the athlete erased (AthleteErasure is idempotent).
                erasure.erase(event.id(), event.source(), e);
            }
        }
        record.addAll(entries);
    }

    private static ClinicalRecordStore.NewEntry entry(String clinicId, String athleteId, EventEnvelope<?> event,
                                                      byte[] json, Instant occurredAt) {
        return new ClinicalRecordStore.NewEntry(clinicId, athleteId, event.id(), event.type(), occurredAt, event.data(),
                json);
    }
}
