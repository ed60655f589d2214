package io.strideback.plan.audit;

import io.agroal.api.AgroalDataSource;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.strideback.events.EventEnvelope;
import io.strideback.events.SecurityEvents.AuditRecorded;
import io.strideback.support.messaging.ConsumerChannels;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.sql.Connection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Copies the other services' audit records into the audit log (issue 16): the load monitor's rule
 * settings changes, from {@code strideback.load-monitor-audit.v1}. The event id is the entry id, so a
 * redelivered record adds nothing; an unreadable one is parked on the topic's DLQ like any other.
 */
@ApplicationScoped
public class AuditConsumer {

    @Inject
    ConsumerChannels channels;
    @Inject
    AgroalDataSource dataSource;
    @Inject
    AuditLog audit;

    @Incoming("load-monitor-audit")
    @Blocking(ordered = true)
    public CompletionStage<Void> loadMonitorAudit(KafkaRecord<String, byte[]> record) {
        channels.deliver("load-monitor-audit", record, this::onAudit);
        return CompletableFuture.completedFuture(null);
    }

    void onAudit(EventEnvelope<?> event) throws Exception {
        AuditRecorded r = event.dataAs(AuditRecorded.class);
        // The record's header names the clinic the writer scoped it to; the payload must agree.
        if (!event.clinicId().equals(r.clinicId())) {
            throw new io.strideback.events.UnreadableEventException("audit record for clinic " + r.clinicId() + " under header clinic "
                    + event.clinicId());
        }
        try (Connection c = dataSource.getConnection()) {
            audit.append(c, new AuditLog.Entry(event.id(), r.clinicId(), r.at(), r.who(), r.what(), r.target(),
                    r.before(), r.after(), event.source()));
        }
    }
}
