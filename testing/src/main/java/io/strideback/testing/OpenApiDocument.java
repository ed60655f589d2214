package io.strideback.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Checks on a service's {@code /q/openapi} document (issue 17; CONTRACT v2 "Every /api response has a typed schema"):
 * which {@code /api} answers lack a typed schema, and whether the committed copy under {@code docs/openapi/} is the
 * document the service serves now.
 */
public final class OpenApiDocument {

    /** Set to true to rewrite the committed document instead of comparing with it. */
    public static final String WRITE_PROPERTY = "strideback.openapi.write";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final List<String> METHODS = List.of("get", "post", "put", "patch", "delete");

    private OpenApiDocument() {
    }

    public static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One call of an {@code /api} path: its path, the path's item (parameters shared by its calls), method, operation. */
    private record ApiCall(String path, JsonNode item, String method, JsonNode operation) {
        String where() {
            return method.toUpperCase() + " " + path;
        }
    }

    /** Every call of every {@code /api} path of the document, in the document's order. */
    private static List<ApiCall> apiCalls(JsonNode doc) {
        List<ApiCall> calls = new ArrayList<>();
        doc.path("paths").fields().forEachRemaining(path -> {
            if (path.getKey().startsWith("/api/")) {
                for (String method : METHODS) {
                    JsonNode operation = path.getValue().get(method);
                    if (operation != null) {
                        calls.add(new ApiCall(path.getKey(), path.getValue(), method, operation));
                    }
                }
            }
        });
        return calls;
    }

    /**
     * Every "METHOD path status" under /api whose answer (success or error) has no schema, an empty one, or a
     * bare object or string (no properties, no reference): what a client generator cannot type. A 204 has no body
     * and passes.
     */
    public static List<String> untypedApiAnswers(JsonNode doc) {
        List<String> untyped = new ArrayList<>();
        for (ApiCall call : apiCalls(doc)) {
            for (Iterator<Map.Entry<String, JsonNode>> answers = call.operation().path("responses").fields(); answers.hasNext(); ) {
                Map.Entry<String, JsonNode> answer = answers.next();
                String status = answer.getKey();
                // CONTRACT v2: every /api response, the errors too (their body is problem+json; review r15).
                if (!(status.startsWith("2") || status.startsWith("4") || status.startsWith("5")) || status.equals("204")) {
                    continue;
                }
                String where = call.where() + " " + status;
                JsonNode content = answer.getValue().path("content");
                if (!content.isObject() || content.isEmpty()) {
                    untyped.add(where + ": no content schema");
                    continue;
                }
                content.fields().forEachRemaining(media -> {
                    if (!typed(doc, media.getValue().path("schema"))) {
                        untyped.add(where + " " + media.getKey() + ": " + media.getValue().path("schema"));
                    }
                });
            }
        }
        return untyped;
    }

    /**
     * Every "METHOD path" under /api that names a resource in its path ({@code {athleteId}}, ...) and does not list
     * the 404 it answers for another clinic's (CONTRACT "Auth and tenancy"; review r15).
     */
    public static List<String> callsWithoutNotFound(JsonNode doc) {
        return apiCalls(doc).stream()
                .filter(call -> call.path().contains("{") && !call.operation().path("responses").has("404"))
                .map(ApiCall::where).toList();
    }

    /**
     * Round 21: the answers a service's door gives that a call's document did not list: 400 for a call with a path or
     * query parameter or a body, 413 and 415 for a call with a body ("METHOD path: status").
     */
    public static List<String> callsWithoutDoorAnswers(JsonNode doc) {
        List<String> missing = new ArrayList<>();
        for (ApiCall call : apiCalls(doc)) {
            boolean body = call.operation().has("requestBody");
            boolean parameters = call.operation().path("parameters").size() > 0 || call.item().path("parameters").size() > 0;
            List<String> statuses = new ArrayList<>();
            if (body || parameters) {
                statuses.add("400");
            }
            if (body) {
                statuses.addAll(List.of("413", "415"));
            }
            for (String status : statuses) {
                if (!call.operation().path("responses").has(status)) {
                    missing.add(call.where() + ": " + status);
                }
            }
        }
        return missing;
    }

    private static boolean typed(JsonNode doc, JsonNode schema) {
        if (schema == null || !schema.isObject() || schema.isEmpty()) {
            return false;
        }
        if (schema.has("$ref")) {
            String ref = schema.get("$ref").asText();
            String name = ref.substring(ref.lastIndexOf('/') + 1);
            return typed(doc, doc.path("components").path("schemas").path(name));
        }
        if (schema.has("allOf") || schema.has("oneOf") || schema.has("anyOf") || schema.has("enum")) {
            return true;
        }
        if (schema.has("items")) {
            return typed(doc, schema.get("items"));
        }
        return schema.path("properties").isObject() && !schema.path("properties").isEmpty();
    }

    /**
     * Compares the served document with the committed one; with {@code -Dstrideback.openapi.write=true} writes it
     * instead. Returns null when they agree (or it was written), else what to run.
     */
    public static String differenceFromCommitted(JsonNode served, Path committed, String refreshCommand) {
        try {
            if (Boolean.getBoolean(WRITE_PROPERTY)) {
                Files.createDirectories(committed.getParent());
                Files.writeString(committed, JSON.writeValueAsString(served) + "\n");
                return null;
            }
            if (!Files.exists(committed)) {
                return committed + " is missing; write it with: " + refreshCommand;
            }
            JsonNode saved = JSON.readTree(Files.readString(committed));
            return saved.equals(served) ? null
                    : committed + " is not the document the service serves now; refresh it with: " + refreshCommand;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
