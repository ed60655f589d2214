package io.strideback.events;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import io.strideback.events.vocabulary.ContractInstants;

import java.io.IOException;
import java.time.Instant;

/**
 * Instants as the contract writes them ({@link Instant#toString}: {@code 2026-11-30T07:15:00Z}, with 0-9 fraction
 * digits) read without {@code DateTimeFormatter}. Issue 15 (JFR of the load monitor's replay, figure 3, round 12):
 * parsing instants through {@code DateTimeFormatter.ISO_INSTANT} (its parse context, a HashMap per field, the
 * resolver) was ~5% of the stream thread, from {@code ce_time} and the data's instants of every event.
 * Only that one exact form is read here; anything else (an offset, leap second, whitespace, a number, a bad date) goes
 * to the JDK's and Jackson's own readers, so every answer and every refusal is what it was.
 */
public final class IsoInstants {

    private IsoInstants() {
    }

    /** {@link Instant#parse}'s answer, and its exception for text it refuses. */
    public static Instant parse(CharSequence text) {
        Instant read = ContractInstants.read(text);
        return read != null ? read : Instant.parse(text);
    }

    /**
     * A module that puts {@link ContractInstants#read} in front of the JavaTimeModule's {@code Instant} reader: text of
     * the contract's form is read here, everything else by that reader as before (no property of the contract carries a
     * {@code @JsonFormat} of its own).
     */
    static SimpleModule jacksonModule() {
        return new SimpleModule("strideback-iso-instants").addDeserializer(Instant.class, new Reader());
    }

    /** The contract's form read by hand, anything else by Jackson's own reader. */
    static final class Reader extends JsonDeserializer<Instant> {

        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.hasToken(JsonToken.VALUE_STRING)) {
                Instant read = ContractInstants.read(p.getText());
                if (read != null) {
                    return read;
                }
            }
            return InstantDeserializer.INSTANT.deserialize(p, ctxt);
        }
    }
}
