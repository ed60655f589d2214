package io.strideback.events;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
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
     * A module that puts {@link ContractInstants#read} in front of the {@code Instant} reader the mapper's other modules set up
     * (the JavaTimeModule's): text of the contract's form is read here, everything else by that reader as before.
     * A property with its own {@code @JsonFormat} keeps that reader alone.
     */
    static SimpleModule jacksonModule() {
        SimpleModule module = new SimpleModule("strideback-iso-instants");
        module.setDeserializerModifier(new BeanDeserializerModifier() {
            @Override
            @SuppressWarnings("unchecked")
            public JsonDeserializer<?> modifyDeserializer(DeserializationConfig config, BeanDescription description,
                                                          JsonDeserializer<?> deserializer) {
                return description.getBeanClass() == Instant.class
                        ? new Reader((JsonDeserializer<Instant>) deserializer) : deserializer;
            }
        });
        return module;
    }

    /** The contract's form read by hand, anything else by {@code standard}. */
    static final class Reader extends StdScalarDeserializer<Instant> implements ContextualDeserializer {

        private final JsonDeserializer<Instant> standard;

        Reader(JsonDeserializer<Instant> standard) {
            super(Instant.class);
            this.standard = standard;
        }

        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.hasToken(JsonToken.VALUE_STRING)) {
                Instant read = ContractInstants.read(p.getText());
                if (read != null) {
                    return read;
                }
            }
            return standard.deserialize(p, ctxt);
        }

        @Override
        @SuppressWarnings("unchecked")
        public JsonDeserializer<?> createContextual(DeserializationContext ctxt, BeanProperty property)
                throws JsonMappingException {
            if (!(standard instanceof ContextualDeserializer contextual)) {
                return this;
            }
            JsonDeserializer<?> own = contextual.createContextual(ctxt, property);
            // the same reader: no format of the property's own, so the contract's form is ours to read
            return own == standard ? this : own;
        }

        @Override
        public Object getEmptyValue(DeserializationContext ctxt) throws JsonMappingException {
            return standard.getEmptyValue(ctxt);
        }

        @Override
        public Instant getNullValue(DeserializationContext ctxt) throws JsonMappingException {
            return standard.getNullValue(ctxt);
        }

        @Override
        public com.fasterxml.jackson.databind.type.LogicalType logicalType() {
            return standard.logicalType();
        }
    }
}
