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
        EventEnvelope<?> event;
        try {
            event = new EventEnvelope<>(identity(headers, ID), type, required(headers, SOURCE), time,
                    identity(headers, SUBJECT), identity(headers, CLINIC), EventType.CURRENT_SCHEMA_VERSION, data);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new UnreadableEventException("invalid event", e);
        }
        String stray = namesAnother(event);
        if (stray != null) {
            throw new UnreadableEventException(ceType + " " + event.id() + " " + stray);
        }
        return event;
    }

    /**
     * Why the event's data names another athlete or clinic than its headers, or null (round 17, rogue writers): the
     * readers key their state by {@code ce_clinic/ce_subject} (the record key, checked against them) but act on the
     * data's ids, so an event whose data named another athlete was applied to that athlete, out of its partition's
     * order. CONTRACT.md "Kafka": the athlete is {@code ce_subject}, the clinic {@code ce_clinic}; the event id is
     * {@code ce_id} alone (no data carries it). A data id that is missing is another one too.
     */
    static String namesAnother(EventEnvelope<?> event) {
        if (event.data() instanceof AboutAthlete about && !event.subject().equals(about.athleteId())) {
            return "names athlete " + quoted(about.athleteId()) + " in its data, not its ce_subject "
                    + quoted(event.subject());
        }
        if (event.data() instanceof AboutClinic about && !event.clinicId().equals(about.clinicId())) {
            return "names clinic " + quoted(about.clinicId()) + " in its data, not its ce_clinic "
                    + quoted(event.clinicId());
        }
        return null;
    }

    /** An id for a reason: quoted, and cut short (a rogue record's id may be as long as the record). */
    private static String quoted(String id) {
        if (id == null) {
            return "(none)";
        }
        return "'" + (id.length() > 200 ? id.substring(0, 200) + "…" : id) + "'";
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
        int surrogate = unpairedSurrogateAt(value);
        if (surrogate >= 0) {
            // Round 17, rogue writers: Jackson reads a backslash-u D800 escape into a String that PostgreSQL (22P05, or '?' through
            // a re-encoding) and every UTF-8 writer cannot hold, so a reader stored the data altered or failed later.
            // Intake refuses it at the door (README "What bad input gets"); a reader refuses it here, before any store.
            String field = fieldWithUnpairedSurrogate(value);
            throw new UnreadableEventException("data of " + type.ceType() + " holds an unpaired UTF-16 surrogate"
                    + (field == null ? " at byte " + surrogate : " in " + field));
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
     * Where JSON bytes hold an unpaired UTF-16 surrogate, or -1: a backslash-u escape of D800-DFFF that is not a high
     * surrogate followed at once by a low one, or a surrogate encoded in three bytes ({@code ED A0 80}..{@code ED BF
     * BF}: never well-formed UTF-8, RFC 3629; Jackson decodes it without a word). A backslash appears only inside a
     * string in JSON, and one that escapes the next character takes it along (an escaped backslash before a u is no
     * escape), so one pass over the bytes, no parse.
     */
    public static int unpairedSurrogateAt(byte[] json) {
        for (int i = 0; i < json.length; i++) {
            int b = json[i] & 0xFF;
            if (b == 0xED && i + 1 < json.length && (json[i + 1] & 0xFF) >= 0xA0) {
                return i;
            }
            if (b != '\\' || i + 1 >= json.length) {
                continue;
            }
            if (json[i + 1] != 'u') {
                i++; // the escaped character
                continue;
            }
            int unit = hex4(json, i + 2);
            if (unit >= 0 && Character.isLowSurrogate((char) unit)) {
                return i;
            }
            if (unit >= 0 && Character.isHighSurrogate((char) unit)) {
                int low = i + 6 + 1 < json.length && json[i + 6] == '\\' && json[i + 7] == 'u' ? hex4(json, i + 8) : -1;
                if (low < 0 || !Character.isLowSurrogate((char) low)) {
                    return i;
                }
                i += 11; // the pair
                continue;
            }
            i += 5;
        }
        return -1;
    }

    /** The four hex digits at {@code at} as a number, or -1 (the parser says what is wrong with them). */
    private static int hex4(byte[] json, int at) {
        if (at + 4 > json.length) {
            return -1;
        }
        int unit = 0;
        for (int i = at; i < at + 4; i++) {
            int digit = Character.digit(json[i], 16);
            if (digit < 0) {
                return -1;
            }
            unit = unit * 16 + digit;
        }
        return unit;
    }

    /**
     * The field whose name or string value holds an unpaired surrogate, as intake's errors name fields
     * ({@code strength.exercises[0].name}); null when the JSON cannot be followed that far (Jackson refuses a surrogate
     * encoded in three bytes). Only for a record already refused: it parses the data once more.
     */
    private static String fieldWithUnpairedSurrogate(byte[] json) {
        try (JsonParser parser = JSON.createParser(json)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if ((token == JsonToken.VALUE_STRING || token == JsonToken.FIELD_NAME) && unpaired(parser.getText())) {
                    return path(parser.getParsingContext());
                }
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    private static boolean unpaired(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    private static String path(com.fasterxml.jackson.core.JsonStreamContext context) {
        StringBuilder path = new StringBuilder();
        for (var c = context; c != null && !c.inRoot(); c = c.getParent()) {
            String step = c.inArray() ? "[" + c.getCurrentIndex() + "]"
                    : (c.getParent() != null && !c.getParent().inRoot() ? "." : "")
                    + String.valueOf(c.getCurrentName()).replaceAll("[\\p{Cntrl}\\p{Cs}]", "?");
            path.insert(0, step);
        }
        return path.length() == 0 ? "data" : path.toString();
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

    /**
     * What a reader keeps with an event id to tell a retry from a rogue reuse of the id (round 17): the first 16 bytes
     * of the SHA-256 of the record's value. A redelivery, or a writer's retry, carries the same bytes; another body
     * under a taken id is {@link #idReused}.
     */
    public static byte[] bodyDigest(byte[] value) {
        return java.util.Arrays.copyOf(Sha256.ofThisThread().digest(value == null ? new byte[0] : value), 16);
    }

    /**
     * Why a record is refused whose {@code ce_id} a reader already took with another body (digests from
     * {@link #bodyDigest}), or null when it is a retry (the same body) or the first body's digest was never kept (a row
     * from before round 17: judged as before, a duplicate). The reason names the id and both bodies' digests.
     */
    public static String idReused(String id, byte[] first, byte[] now) {
        if (first == null || java.util.Arrays.equals(first, now)) {
            return null;
        }
        return "ce_id " + quoted(id) + " reused with another body (the first taken " + hex(first) + ", this one "
                + hex(now) + ", SHA-256): not applied, the first stands";
    }

    private static String hex(byte[] digest) {
        return java.util.HexFormat.of().formatHex(digest, 0, Math.min(8, digest.length));
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
