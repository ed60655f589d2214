package io.strideback.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * CloudEvents 1.0 binary mode over Kafka: attributes in {@code ce_*} headers, data as JSON.
 *
 * <p>Schema versions: every record says its {@code ce_schemaversion}. A reader accepts the current
 * version and every older one: an older payload is brought up to date by the {@link #UPCASTERS}
 * registered for its type, one version at a time. A newer version than the reader knows is
 * unreadable (it goes to the DLQ rather than being half-understood). Unknown JSON fields are
 * ignored, so adding a field never needs a new version; renaming or removing one does.
 */
public final class EventCodec {

    public static final String SPEC_VERSION = "ce_specversion";
    public static final String ID = "ce_id";
    public static final String TYPE = "ce_type";
    public static final String SOURCE = "ce_source";
    public static final String TIME = "ce_time";
    public static final String SUBJECT = "ce_subject";
    public static final String CLINIC = "ce_clinic";
    public static final String SCHEMA_VERSION = "ce_schemaversion";
    public static final String CONTENT_TYPE = "content-type";

    /** The JSON mapper of the contract: ISO-8601 instants, nulls left out, unknown fields ignored. */
    public static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(IsoInstants.jacksonModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    /**
     * Upcasters by event type and the version they read from; each returns the payload of the next
     * version. Empty while every type is at version 1: the mechanism is here so v2 only adds an entry.
     */
    static final Map<EventType, Map<Integer, UnaryOperator<ObjectNode>>> UPCASTERS = Map.of();

    private EventCodec() {
    }

    public static ProducerRecord<String, byte[]> toRecord(EventEnvelope<?> event) {
        return toRecord(event.id(), event.type(), event.source(), event.time(), event.subject(), event.clinicId(),
                event.schemaVersion(), writeData(event.data()));
    }

    /** A record from already-serialised data, as an outbox relay holds it. */
    public static ProducerRecord<String, byte[]> toRecord(String id, EventType type, String source, Instant time,
                                                          String subject, String clinicId, int schemaVersion,
                                                          byte[] data) {
        RecordHeaders h = new RecordHeaders();
        put(h, SPEC_VERSION, "1.0");
        put(h, ID, id);
        put(h, TYPE, type.ceType());
        put(h, SOURCE, source);
        put(h, TIME, time.toString());
        put(h, SUBJECT, subject);
        put(h, CLINIC, clinicId);
        put(h, SCHEMA_VERSION, Integer.toString(schemaVersion));
        put(h, CONTENT_TYPE, "application/json");
        return new ProducerRecord<>(type.topic().topicName(), null, Topic.key(clinicId, subject), data, h);
    }

    public static EventEnvelope<?> fromRecord(ConsumerRecord<String, byte[]> record) {
        return fromParts(record.headers(), record.value());
    }

    /** Reads an event from its headers and JSON data, or says why it cannot. */
    public static EventEnvelope<?> fromParts(Headers headers, byte[] value) {
        String ceType = required(headers, TYPE);
        EventType type = EventType.fromCeType(ceType)
                .orElseThrow(() -> new UnreadableEventException("unknown ce_type '" + ceType + "'"));
        int version;
        try {
            String v = header(headers, SCHEMA_VERSION);
            version = v == null ? 1 : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new UnreadableEventException("ce_schemaversion is not a number");
        }
        Instant time;
        try {
            time = IsoInstants.parse(required(headers, TIME));
        } catch (DateTimeParseException e) {
            throw new UnreadableEventException("ce_time is not an ISO-8601 instant");
        }
        Object data = readData(type, version, value);
        try {
            return new EventEnvelope<>(identity(headers, ID), type, required(headers, SOURCE), time,
                    identity(headers, SUBJECT), identity(headers, CLINIC), EventType.CURRENT_SCHEMA_VERSION, data);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new UnreadableEventException("invalid event", e);
        }
    }

    public static byte[] writeData(Object data) {
        try {
            return JSON.writeValueAsBytes(data);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + data.getClass().getSimpleName(), e);
        }
    }

    /** Reads the data of {@code type} written at {@code version}, upcasting older versions. */
    public static Object readData(EventType type, int version, byte[] value) {
        if (version > EventType.CURRENT_SCHEMA_VERSION) {
            throw new UnreadableEventException("schema version " + version + " of " + type.ceType()
                    + " is newer than this reader (" + EventType.CURRENT_SCHEMA_VERSION + ")");
        }
        if (version < 1) {
            throw new UnreadableEventException("schema version " + version + " does not exist");
        }
        if (value == null) {
            throw new UnreadableEventException("record has no data");
        }
        try {
            if (version == EventType.CURRENT_SCHEMA_VERSION) {
                return readCurrent(type, value);
            }
            JsonNode node = JSON.readTree(value);
            if (!(node instanceof ObjectNode object)) {
                throw new UnreadableEventException("data of " + type.ceType() + " is not a JSON object");
            }
            for (int v = version; v < EventType.CURRENT_SCHEMA_VERSION; v++) {
                UnaryOperator<ObjectNode> up = UPCASTERS.getOrDefault(type, Map.of()).get(v);
                if (up == null) {
                    throw new UnreadableEventException("no upcaster for " + type.ceType() + " v" + v);
                }
                object = up.apply(object);
            }
            return JSON.treeToValue(object, type.dataClass());
        } catch (IOException e) {
            throw new UnreadableEventException("data of " + type.ceType() + " is not valid JSON", e);
        }
    }

    /**
     * Data at the current version, bound straight from the bytes: one parse, no tree (issue #15: reading every event
     * as a tree and then binding the tree was 15-18% of the load monitor's stream thread). Refuses what the tree path
     * refuses, with the same reasons: not an object, or not JSON.
     */
    private static Object readCurrent(EventType type, byte[] value) throws IOException {
        try (JsonParser parser = JSON.createParser(value)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new UnreadableEventException("data of " + type.ceType() + " is not a JSON object");
            }
            return JSON.readValue(parser, type.dataClass());
        }
    }

    /**
     * Why a record with these headers is not an event of {@code topic}, or null: its {@code ce_type} is a type of another
     * topic (CONTRACT.md "Kafka": each topic has one writer and its own types). Decided from the header alone, before
     * the data is read as that type's (round 15: such records were read, matched nothing and were dropped silently).
     */
    public static String notAnEventOf(Topic topic, Headers headers) {
        String ceType = header(headers, TYPE);
        java.util.Optional<EventType> type = ceType == null ? java.util.Optional.empty() : EventType.fromCeType(ceType);
        if (type.isEmpty() || type.get().topic() == topic) {
            return null;
        }
        return ceType + " " + header(headers, ID) + " is not an event of " + topic.topicName();
    }

    public static String header(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static String required(Headers headers, String name) {
        String v = header(headers, name);
        if (v == null || v.isBlank()) {
            throw new UnreadableEventException("missing header " + name);
        }
        return v;
    }

    /**
     * An id-like header (the event's, its athlete's, its clinic's): UTF-8 with no control character, as intake's own
     * ids are (TextRules). Round 15, seen from outside: a symptom whose {@code ce_id} held a NUL was taken in, the
     * monitor named it as evidence of an URGENT_REFERRAL, and plan-service's database refused that proposal, so a red
     * flag never reached the plan. Such a record is unreadable here, at the first reader, and goes to the DLQ.
     */
    private static String identity(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        if (h == null || h.value() == null) {
            throw new UnreadableEventException("missing header " + name);
        }
        String v;
        try {
            v = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(h.value())).toString();
        } catch (CharacterCodingException e) {
            throw new UnreadableEventException("header " + name + " is not UTF-8");
        }
        if (v.isBlank()) {
            throw new UnreadableEventException("missing header " + name);
        }
        for (int i = 0; i < v.length(); i++) {
            if (Character.getType(v.charAt(i)) == Character.CONTROL) {
                throw new UnreadableEventException("header " + name + " holds a control character (U+"
                        + String.format("%04X", (int) v.charAt(i)) + " at " + i + ")");
            }
        }
        return v;
    }

    private static void put(Headers h, String name, String value) {
        h.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
