package io.strideback.intake.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.strideback.events.vocabulary.ContractInstants;
import io.strideback.support.rest.FieldError;
import io.strideback.support.rest.TextRules;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Reads a JSON body field by field and collects every problem instead of stopping at the first,
 * so a client learns all it has to fix from one answer (CONTRACT.md "Errors"). Unknown fields are
 * ignored; unknown enum values name the allowed ones.
 *
 * <p>The one door every string of an intake body passes (issue 12): {@link #string} takes a name
 * or an id ({@link TextRules#MAX_NAME} characters, no control character), {@link #freeText} a note;
 * neither takes NUL or an unpaired surrogate. Numbers must be finite and in range, integers whole
 * and within a long.
 */
public final class JsonBody {

    private final JsonNode node;
    private final String prefix;
    private final List<FieldError> errors;

    private JsonBody(JsonNode node, String prefix, List<FieldError> errors) {
        this.node = node;
        this.prefix = prefix;
        this.errors = errors;
    }

    public static JsonBody of(JsonNode node, String prefix) {
        List<FieldError> errors = new ArrayList<>();
        if (node == null || !node.isObject()) {
            errors.add(new FieldError(prefix.isEmpty() ? "body" : prefix, "must be a JSON object"));
        }
        return new JsonBody(node, prefix, errors);
    }

    public List<FieldError> errors() {
        return errors;
    }

    public void reject(String field, String message) {
        errors.add(new FieldError(path(field), message));
    }

    public String path(String field) {
        return prefix.isEmpty() ? field : prefix + "." + field;
    }

    private JsonNode get(String field) {
        if (node == null || !node.isObject()) {
            return null;
        }
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v;
    }

    public boolean has(String field) {
        return get(field) != null;
    }

    private void missing(String field, boolean required) {
        if (required && node != null && node.isObject()) {
            reject(field, "is required");
        }
    }

    /** A name or an id: at most {@link TextRules#MAX_NAME} characters, no control characters. */
    public String string(String field, boolean required) {
        return text(field, required, TextRules.MAX_NAME, false);
    }

    /**
     * An id a client chooses (a session's id, a wearable's provider and its id for the activity): as {@link #string},
     * kept exactly as sent, but never {@linkplain TextRules#isBlank blank} (round 21: an id of white space or of
     * zero-width characters alone names nothing a clinician can read or type back). An optional one that is blank is
     * no id, as a blank note is no note: a client that sends {@code "sessionId": ""} for "none" was answered 202 before
     * and still is (a session without an id of its own gets one from intake).
     */
    public String id(String field, boolean required) {
        String id = string(field, required);
        if (id != null && TextRules.isBlank(id)) {
            if (required) {
                reject(field, "must not be blank");
            }
            return null;
        }
        return id;
    }

    /**
     * A name people read (a display name, an exercise's name): as {@link #string}, kept without outer white space
     * ({@link TextRules#tidy}); one of white space alone is blank.
     */
    public String name(String field, boolean required) {
        return tidied(field, required, text(field, required, TextRules.MAX_NAME, false));
    }

    /**
     * Free text (a note): at most {@code maxLength} characters; tab and line breaks allowed; kept without outer white
     * space, and one of white space alone is no note.
     */
    public String freeText(String field, boolean required, int maxLength) {
        return tidied(field, required, text(field, required, maxLength, true));
    }

    private String tidied(String field, boolean required, String text) {
        String tidy = TextRules.tidy(text);
        if (tidy == null && text != null && required) {
            reject(field, "must not be blank");
        }
        return tidy;
    }

    private String text(String field, boolean required, int maxLength, boolean free) {
        JsonNode v = get(field);
        if (v == null) {
            missing(field, required);
            return null;
        }
        if (!v.isTextual()) {
            reject(field, "must be a string");
            return null;
        }
        String text = v.asText();
        var problem = free ? TextRules.freeTextProblem(text, maxLength) : TextRules.lineProblem(text, maxLength);
        if (problem.isPresent()) {
            reject(field, problem.get());
            return null;
        }
        if (required && TextRules.isBlank(text)) {
            reject(field, "must not be blank");
            return null;
        }
        return text;
    }

    public Integer integer(String field, boolean required, int min, int max) {
        JsonNode v = get(field);
        if (v == null) {
            missing(field, required);
            return null;
        }
        if (!v.isIntegralNumber() && !(v.isNumber() && v.asDouble() == Math.rint(v.asDouble()))) {
            reject(field, "must be an integer");
            return null;
        }
        if (!v.canConvertToLong() || (v.isFloatingPointNumber() && !Double.isFinite(v.asDouble()))) {
            // asLong() would wrap 2^64 + 6 into 6.
            reject(field, "must be between " + min + " and " + max);
            return null;
        }
        long value = v.asLong();
        if (value < min || value > max) {
            reject(field, "must be between " + min + " and " + max);
            return null;
        }
        return (int) value;
    }

    /** A number in (minExclusive, maxInclusive]. */
    public Double number(String field, boolean required, double minExclusive, double maxInclusive) {
        JsonNode v = get(field);
        if (v == null) {
            missing(field, required);
            return null;
        }
        if (!v.isNumber()) {
            reject(field, "must be a number");
            return null;
        }
        double value = v.asDouble();
        if (!Double.isFinite(value)) {
            reject(field, "must be a finite number");
            return null;
        }
        if (!(value > minExclusive) || value > maxInclusive || Double.isNaN(value)) {
            reject(field, "must be greater than " + fmt(minExclusive) + " and at most " + fmt(maxInclusive));
            return null;
        }
        return value;
    }

    public Instant instant(String field, boolean required) {
        String text = string(field, required);
        if (text == null) {
            return null;
        }
        // Every service reads a client's instants by this one rule (round 20): a leap second taken, an offset's seconds not.
        Instant read = ContractInstants.readClientInstant(text);
        if (read == null) {
            reject(field, ContractInstants.CLIENT_INSTANT_FORM);
        }
        return read;
    }

    public LocalDate date(String field, boolean required) {
        String text = string(field, required);
        if (text == null) {
            return null;
        }
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            reject(field, "must be an ISO-8601 date, e.g. 2026-04-03");
            return null;
        }
    }

    public <E extends Enum<E>> E enumValue(String field, Class<E> type, boolean required) {
        JsonNode v = get(field);
        if (v == null) {
            missing(field, required);
            return null;
        }
        return parseEnum(v, field, type);
    }

    public <E extends Enum<E>> List<E> enumList(String field, Class<E> type, boolean required) {
        JsonNode v = get(field);
        if (v == null) {
            missing(field, required);
            return List.of();
        }
        if (!v.isArray()) {
            reject(field, "must be an array");
            return List.of();
        }
        List<E> values = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            E e = parseEnum(v.get(i), field + "[" + i + "]", type);
            if (e != null && !values.contains(e)) {
                values.add(e);
            }
        }
        return values;
    }

    public Boolean bool(String field) {
        JsonNode v = get(field);
        if (v == null) {
            return null;
        }
        if (!v.isBoolean()) {
            reject(field, "must be true or false");
            return null;
        }
        return v.asBoolean();
    }

    /** A nested object read with the same error list, its fields prefixed with its name. */
    public JsonBody object(String field, boolean required) {
        JsonNode v = get(field);
        if (v == null) {
            missing(field, required);
            return null;
        }
        if (!v.isObject()) {
            reject(field, "must be an object");
            return null;
        }
        return new JsonBody(v, path(field), errors);
    }

    public void array(String field, boolean required, Consumer<JsonBody> eachItem) {
        JsonNode v = get(field);
        if (v == null) {
            missing(field, required);
            return;
        }
        if (!v.isArray()) {
            reject(field, "must be an array");
            return;
        }
        for (int i = 0; i < v.size(); i++) {
            JsonBody item = new JsonBody(v.get(i), path(field) + "[" + i + "]", errors);
            if (!v.get(i).isObject()) {
                item.errors.add(new FieldError(item.prefix, "must be an object"));
                continue;
            }
            eachItem.accept(item);
        }
    }

    private <E extends Enum<E>> E parseEnum(JsonNode v, String field, Class<E> type) {
        if (!v.isTextual()) {
            reject(field, "must be one of " + allowed(type));
            return null;
        }
        if (TextRules.lineProblem(v.asText(), TextRules.MAX_NAME).isPresent()) {
            // Never echo such a value: a lone surrogate cannot even be written back as JSON.
            reject(field, "must be one of " + allowed(type));
            return null;
        }
        try {
            return Enum.valueOf(type, v.asText());
        } catch (IllegalArgumentException e) {
            reject(field, "'" + v.asText() + "' is not allowed; use one of " + allowed(type));
            return null;
        }
    }

    private static String allowed(Class<? extends Enum<?>> type) {
        return Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", "));
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
