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

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.time.Year;

/**
 * Instants as the contract writes them ({@link Instant#toString}: {@code 2026-11-30T07:15:00Z}, with 0-9 fraction
 * digits) read without {@code DateTimeFormatter}. Issue 15 (JFR of the load monitor's replay, figure 3, round 12):
 * parsing instants through {@code DateTimeFormatter.ISO_INSTANT} (its parse context, a HashMap per field, the
 * resolver) was ~5% of the stream thread, from {@code ce_time} and the data's instants of every event.
 * Only that one exact form is read here; anything else (an offset, leap second, whitespace, a number, a bad date) goes
 * to the JDK's and Jackson's own readers, so every answer and every refusal is what it was.
 */
public final class IsoInstants {

    private static final int[] SCALE = {0, 100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1};

    private IsoInstants() {
    }

    /** {@link Instant#parse}'s answer, and its exception for text it refuses. */
    public static Instant parse(CharSequence text) {
        Instant read = parseUtc(text);
        return read != null ? read : Instant.parse(text);
    }

    /**
     * {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z} with a valid date and time (hour 0-23, second 0-59), as
     * {@link Instant#parse} reads it; null for any other text, which this does not judge (plan-service reads its
     * parameters' instants with it, then other shapes its own way).
     */
    public static Instant parseUtc(CharSequence s) {
        int n = s.length();
        if (n < 20 || n > 30 || s.charAt(n - 1) != 'Z' || s.charAt(4) != '-' || s.charAt(7) != '-'
                || s.charAt(10) != 'T' || s.charAt(13) != ':' || s.charAt(16) != ':') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59 || day > Month.of(month).length(Year.isLeap(year))) {
            return null;
        }
        int nano = 0;
        if (n > 20) {
            int fractionDigits = n - 21;
            if (s.charAt(19) != '.' || fractionDigits < 1) {
                return null;
            }
            int fraction = digits(s, 20, fractionDigits);
            if (fraction < 0) {
                return null;
            }
            nano = fraction * SCALE[fractionDigits];
        }
        long epochDay = LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second, nano);
    }

    /** The decimal value of {@code count} ASCII digits at {@code from}, or -1 when one is not a digit. */
    private static int digits(CharSequence s, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /**
     * A module that puts {@link #parseUtc} in front of the {@code Instant} reader the mapper's other modules set up
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
                Instant read = parseUtc(p.getText());
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
