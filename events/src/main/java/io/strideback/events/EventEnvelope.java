package io.strideback.events;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One CloudEvents 1.0 event: the attributes travel as Kafka headers (binary mode), the data as
 * JSON in the record value.
 *
 * @param id            {@code ce_id}: unique per event; consumers deduplicate on it
 * @param type          {@code ce_type}
 * @param source        {@code ce_source}: the writing service
 * @param time          {@code ce_time}: event time (when it happened)
 * @param subject       {@code ce_subject}: the athlete id
 * @param clinicId      {@code ce_clinic}: the tenant
 * @param schemaVersion {@code ce_schemaversion}
 */
public record EventEnvelope<T>(String id, EventType type, String source, Instant time, String subject,
                               String clinicId, int schemaVersion, T data) {

    public EventEnvelope {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(clinicId, "clinicId");
        Objects.requireNonNull(data, "data");
        if (!type.dataClass().isInstance(data)) {
            throw new IllegalArgumentException(type.ceType() + " carries " + type.dataClass().getSimpleName()
                    + ", not " + data.getClass().getSimpleName());
        }
    }

    public static <T> EventEnvelope<T> of(EventType type, String source, Instant time, String clinicId,
                                          String athleteId, T data) {
        return new EventEnvelope<>(UUID.randomUUID().toString(), type, source, time, athleteId, clinicId,
                EventType.CURRENT_SCHEMA_VERSION, data);
    }

    public String key() {
        return Topic.key(clinicId, subject);
    }

    public Topic topic() {
        return type.topic();
    }

    @SuppressWarnings("unchecked")
    public <U> U dataAs(Class<U> cls) {
        return (U) cls.cast(data);
    }
}
