package io.strideback.plan.messaging;

import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.strideback.events.ActivityEvents.AssessmentRecorded;
import io.strideback.events.ActivityEvents.AthleteEnrolled;
import io.strideback.events.ActivityEvents.AthleteErased;
import io.strideback.events.ActivityEvents.SessionLogged;
import io.strideback.events.ActivityEvents.SymptomReported;
import io.strideback.events.EventEnvelope;
import io.strideback.plan.fhir.ClinicalRecordStore;
import io.strideback.support.messaging.ConsumerChannels;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;

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
    public CompletionStage<Void> activity(KafkaRecord<String, byte[]> kafkaRecord) {
        channels.deliver("clinical-record", kafkaRecord, this::onActivity);
        return CompletableFuture.completedFuture(null); // acknowledged (or parked) by deliver
    }

    void onActivity(EventEnvelope<?> event) throws Exception {
        Object data = event.data();
        if (data instanceof AthleteEnrolled a) {
            record.enrolled(a);
        } else if (data instanceof SessionLogged s) {
            record.add(s.clinicId(), s.athleteId(), event.id(), event.type(), s.startedAt(), s);
        } else if (data instanceof SymptomReported s) {
            record.add(s.clinicId(), s.athleteId(), event.id(), event.type(), s.observedAt(), s);
        } else if (data instanceof AssessmentRecorded a) {
            record.add(a.clinicId(), a.athleteId(), event.id(), event.type(), a.recordedAt(), a);
        } else if (data instanceof AthleteErased e) {
            // The whole erasure, not only the record: this channel may read it before the plans' channel, and its
            // own later records must find the athlete erased (AthleteErasure is idempotent).
            erasure.erase(event.id(), event.source(), e);
        }
    }
}
