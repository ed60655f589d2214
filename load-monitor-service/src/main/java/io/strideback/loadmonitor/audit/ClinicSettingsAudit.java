package io.strideback.loadmonitor.audit;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.ShutdownEvent;
import io.strideback.events.EventCodec;
import io.strideback.events.EventEnvelope;
import io.strideback.events.EventType;
import io.strideback.events.SecurityEvents.AuditRecorded;
import io.strideback.support.kafka.KafkaProducers;
import io.strideback.support.rest.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * The audit record of a clinic-admin's change of the clinic's rule settings (issue 16): who, before, after,
 * published on {@code strideback.load-monitor-audit.v1} (acks=all) once the settings themselves are durable on
 * the settings topic; plan-service keeps the append-only log. The PUT answers 200 only after both, and 503
 * otherwise, so a change the clinic was told succeeded always has its audit record (a retried PUT records again).
 */
@ApplicationScoped
public class ClinicSettingsAudit {

    static final String SOURCE = "load-monitor-service";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private KafkaProducer<String, byte[]> producer;

    public void recorded(String clinicId, String who, JsonNode before, JsonNode after) {
        Instant now = Instant.now();
        EventEnvelope<?> event = EventEnvelope.of(EventType.CLINIC_RULES_CHANGED, SOURCE, now, clinicId, "clinic",
                new AuditRecorded(clinicId, who, "clinic.rules-changed", "clinic/" + clinicId, before, after, now));
        try {
            producer().send(EventCodec.toRecord(event)).get(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ProblemException.unavailable("the settings change could not be audited; send it again", 5);
        } catch (Exception e) {
            throw ProblemException.unavailable("the settings change could not be audited; send it again", 5);
        }
    }

    private synchronized KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            producer = KafkaProducers.durable(bootstrapServers, "load-monitor-audit", 10_000, 20_000);
        }
        return producer;
    }

    synchronized void stop(@Observes ShutdownEvent event) {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
