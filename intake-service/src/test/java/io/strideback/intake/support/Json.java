package io.strideback.intake.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Request bodies as JSON trees, so a test can break exactly one field of a valid body. */
public final class Json {

    public static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    public static ObjectNode parse(String json) {
        try {
            return (ObjectNode) MAPPER.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException("not a JSON object: " + json, e);
        }
    }

    /** A copy of {@code body} with the field at the dotted {@code path} set to {@code value}. */
    public static ObjectNode with(ObjectNode body, String path, Object value) {
        ObjectNode copy = body.deepCopy();
        String[] parts = path.split("\\.");
        ObjectNode parent = copy;
        for (int i = 0; i < parts.length - 1; i++) {
            parent = parent.has(parts[i]) ? (ObjectNode) parent.get(parts[i]) : parent.putObject(parts[i]);
        }
        parent.set(parts[parts.length - 1], MAPPER.valueToTree(value));
        return copy;
    }

    /** A copy of {@code body} without the field at the dotted {@code path}. */
    public static ObjectNode without(ObjectNode body, String path) {
        ObjectNode copy = body.deepCopy();
        String[] parts = path.split("\\.");
        JsonNode parent = copy;
        for (int i = 0; i < parts.length - 1; i++) {
            parent = parent.get(parts[i]);
        }
        ((ObjectNode) parent).remove(parts[parts.length - 1]);
        return copy;
    }

    /** One item of a {@code POST /api/v1/events/batch} body (CONTRACT.md). */
    public static ObjectNode item(String athleteId, String kind, ObjectNode body) {
        ObjectNode item = MAPPER.createObjectNode();
        item.put("athleteId", athleteId);
        item.put("kind", kind);
        item.set("body", body);
        return item;
    }

    /** A batch body of {@code items}, in order. */
    public static String batch(ObjectNode... items) {
        ObjectNode batch = MAPPER.createObjectNode();
        var array = batch.putArray("items");
        for (ObjectNode item : items) {
            array.add(item);
        }
        return batch.toString();
    }
}
