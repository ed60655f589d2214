package io.strideback.plan.store;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.strideback.plan.mapping.PlanView;
import io.strideback.support.rest.ViewJson;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The rebuild's JSON of a plan's view and of its approval-queue rows, as UTF-8 bytes written straight into COPY rows
 * ({@link CopyRow}), each adjustment serialized once for both (issue 15 item 3: the adjustments are most of a view's
 * bytes and each was serialized twice). The JSON is the live projection's ({@link ViewJson}'s mapper, nulls kept) byte
 * for byte, as the json columns keep it: a character beyond the BMP goes in as its four UTF-8 bytes, as the live
 * path's String reaches PostgreSQL (Jackson's UTF-8 writer would otherwise escape it as two surrogates).
 */
final class ViewRows {

    private static final String RENDERED = "strideback.rendered-adjustments";
    private static final ObjectWriter ADJUSTMENT = ViewJson.copyOfMapper().writerFor(PlanView.Adjustment.class)
            .with(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8);
    private static final ObjectMapper SPLICING = ViewJson.copyOfMapper()
            .registerModule(new SimpleModule("rendered-adjustments").addSerializer(new Rendered()));

    /** The current plan's adjustments, serialized ({@link #plan}). */
    private final Map<PlanView.Adjustment, byte[]> rendered = new IdentityHashMap<>();
    private final ObjectWriter view = SPLICING.writerFor(PlanView.class).withAttribute(RENDERED, rendered)
            .with(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8);
    private final ObjectWriter queued = SPLICING.writerFor(PlanProjection.AdjustmentInQueue.class)
            .withAttribute(RENDERED, rendered).with(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8);

    /** Serializes this plan's adjustments, for its {@link #view} and {@link #queued} rows. */
    void plan(PlanView plan) throws IOException {
        rendered.clear();
        for (PlanView.Adjustment a : plan.adjustments()) {
            rendered.put(a, ADJUSTMENT.writeValueAsBytes(a));
        }
    }

    /** The view's JSON, as {@code ViewJson.write(plan)} writes it. */
    void view(PlanView plan, OutputStream out) throws IOException {
        view.writeValue(out, plan);
    }

    /** The approval queue's JSON of one of the plan's adjustments, as {@code ViewJson.write(new AdjustmentInQueue(...))}. */
    void queued(String athleteId, PlanView.Adjustment adjustment, OutputStream out) throws IOException {
        queued.writeValue(out, new PlanProjection.AdjustmentInQueue(athleteId, adjustment));
    }

    /** An adjustment as {@link #plan} serialized it. */
    private static final class Rendered extends StdSerializer<PlanView.Adjustment> {
        Rendered() {
            super(PlanView.Adjustment.class);
        }

        @Override
        public void serialize(PlanView.Adjustment value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            @SuppressWarnings("unchecked")
            Map<PlanView.Adjustment, byte[]> done = (Map<PlanView.Adjustment, byte[]>) provider.getAttribute(RENDERED);
            byte[] json = done == null ? null : done.get(value);
            if (json == null) {
                throw new IllegalStateException("adjustment " + value.adjustmentId() + " was not serialized for its plan");
            }
            gen.writeRawValue(new RawJson(json));
        }
    }

    /** Serialized JSON handed to the generator as it is (its UTF-8 bytes copied, not encoded again). */
    private record RawJson(byte[] utf8) implements SerializableString {
        @Override
        public String getValue() {
            return new String(utf8, StandardCharsets.UTF_8);
        }

        @Override
        public int charLength() {
            return getValue().length();
        }

        @Override
        public char[] asQuotedChars() {
            throw new UnsupportedOperationException("raw JSON is written unquoted");
        }

        @Override
        public byte[] asUnquotedUTF8() {
            return utf8;
        }

        @Override
        public byte[] asQuotedUTF8() {
            throw new UnsupportedOperationException("raw JSON is written unquoted");
        }

        @Override
        public int appendQuotedUTF8(byte[] buffer, int offset) {
            throw new UnsupportedOperationException("raw JSON is written unquoted");
        }

        @Override
        public int appendQuoted(char[] buffer, int offset) {
            throw new UnsupportedOperationException("raw JSON is written unquoted");
        }

        @Override
        public int appendUnquotedUTF8(byte[] buffer, int offset) {
            if (offset + utf8.length > buffer.length) {
                return -1; // the generator writes it from asUnquotedUTF8 instead
            }
            System.arraycopy(utf8, 0, buffer, offset, utf8.length);
            return utf8.length;
        }

        @Override
        public int appendUnquoted(char[] buffer, int offset) {
            String value = getValue();
            if (offset + value.length() > buffer.length) {
                return -1;
            }
            value.getChars(0, value.length(), buffer, offset);
            return value.length();
        }

        @Override
        public int writeQuotedUTF8(OutputStream out) {
            throw new UnsupportedOperationException("raw JSON is written unquoted");
        }

        @Override
        public int writeUnquotedUTF8(OutputStream out) throws IOException {
            out.write(utf8);
            return utf8.length;
        }

        @Override
        public int putQuotedUTF8(ByteBuffer buffer) {
            throw new UnsupportedOperationException("raw JSON is written unquoted");
        }

        @Override
        public int putUnquotedUTF8(ByteBuffer buffer) {
            if (buffer.remaining() < utf8.length) {
                return -1;
            }
            buffer.put(utf8);
            return utf8.length;
        }
    }
}
