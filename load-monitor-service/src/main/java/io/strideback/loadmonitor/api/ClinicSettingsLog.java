package io.strideback.loadmonitor.api;

import io.quarkus.runtime.ShutdownEvent;
import io.strideback.events.EventCodec;
import io.strideback.loadmonitor.domain.ClinicRules;
import io.strideback.loadmonitor.streams.ClinicSettingsChange;
import io.strideback.loadmonitor.streams.MonitorTopology;
import io.strideback.support.kafka.KafkaProducers;
import io.strideback.support.rest.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Writes a clinic's settings to {@value MonitorTopology#SETTINGS_TOPIC}, once to EVERY partition (key: the clinic
 * id), so each stream task keeps them and re-analyses its own athletes of the clinic; then waits, for a while,
 * until this instance's store shows the change (read-your-writes for the next GET).
 */
@ApplicationScoped
public class ClinicSettingsLog {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;
    @ConfigProperty(name = "strideback.load-monitor.settings.visible-within", defaultValue = "PT15S")
    Duration visibleWithin;
    @Inject
    MonitorQueries queries;

    private KafkaProducer<String, byte[]> producer;

    /** Records the change durably (acks=all on every partition) or answers 503: nothing is half-applied silently. */
    public void write(String clinicId, ClinicRules rules) {
        ClinicSettingsChange change = new ClinicSettingsChange(clinicId, UUID.randomUUID().toString(), rules,
                Instant.now());
        byte[] value = EventCodec.writeData(change);
        try {
            KafkaProducer<String, byte[]> p = producer();
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (PartitionInfo partition : p.partitionsFor(MonitorTopology.SETTINGS_TOPIC)) {
                sent.add(p.send(new ProducerRecord<>(MonitorTopology.SETTINGS_TOPIC, partition.partition(), clinicId,
                        value)));
            }
            for (Future<RecordMetadata> f : sent) {
                f.get(20, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ProblemException.unavailable("the settings could not be recorded; send them again", 5);
        } catch (Exception e) {
            // A partial write is completed by sending again: every partition takes the latest change.
            throw ProblemException.unavailable("the settings could not be recorded; send them again", 5);
        }
        awaitVisible(clinicId, change.revision());
    }

    /** The clinic's settings as the stream tasks hold them; empty when the clinic never set any. */
    public Optional<ClinicSettingsChange> local(String clinicId, int partition) {
        return queries.local(MonitorTopology.CLINIC_SETTINGS, clinicId, partition, ClinicSettingsLog::read);
    }

    private void awaitVisible(String clinicId, String revision) {
        long deadline = System.nanoTime() + visibleWithin.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (!(queries.ownerOf(MonitorTopology.CLINIC_SETTINGS, clinicId) instanceof MonitorQueries.Here here)) {
                    return; // held by another instance: it will show the change as soon as it processed it
                }
                if (local(clinicId, here.partition()).map(c -> revision.equals(c.revision())).orElse(false)) {
                    return;
                }
            } catch (ProblemException moving) {
                // partitions moving: look again until the deadline
            }
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    static ClinicSettingsChange read(byte[] value) {
        try {
            return EventCodec.JSON.readValue(value, ClinicSettingsChange.class);
        } catch (IOException e) {
            throw new UncheckedIOException("stored clinic settings are unreadable", e);
        }
    }

    private synchronized KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            producer = KafkaProducers.durable(bootstrapServers, "load-monitor-settings", 10_000, 20_000);
        }
        return producer;
    }

    synchronized void stop(@Observes ShutdownEvent event) {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
