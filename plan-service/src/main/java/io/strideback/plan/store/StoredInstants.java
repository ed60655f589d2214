package io.strideback.plan.store;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;

import io.strideback.plan.domain.IsoInstants;

import java.io.IOException;
import java.time.Instant;

/**
 * Reads the stored events' instants in the one shape the event codec writes them ({@link Instant#toString()}:
 * {@code 2026-11-30T08:15:30Z}, {@code 2026-11-30T08:15:30.123Z}, up to nine fraction digits) without
 * {@code DateTimeFormatter} ({@link IsoInstants}); anything else goes to Jackson's own deserializer, so what is read is the same
 * {@link Instant}. Issue 15 item 3: the rebuild reads every stored event, and the formatter's parse was about a
 * fifth of reading them in the round 6 profile.
 */
final class StoredInstants extends JsonDeserializer<Instant> {

    static SimpleModule module() {
        return new SimpleModule("stored-instants").addDeserializer(Instant.class, new StoredInstants());
    }

    @Override
    public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_STRING) {
            Instant fast = IsoInstants.parse(p.getText());
            if (fast != null) {
                return fast;
            }
        }
        return InstantDeserializer.INSTANT.deserialize(p, ctxt);
    }
}
