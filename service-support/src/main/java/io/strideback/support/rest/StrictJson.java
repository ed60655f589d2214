package io.strideback.support.rest;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * Request bodies are read one way only: a key given twice ({@code "type":"RUN","type":"WALK"}) or
 * content after the JSON value is a 400, not whichever value Jackson happens to keep. Otherwise a
 * gateway, a vendor's validator and Strideback could each read a different event from the same bytes
 * (review r8: such a body was accepted as a WALK carrying a run's distance).
 *
 * <p>Nor does Jackson guess a value's type (review r9: {@code "overrideGates": 1} overrode a gate): a
 * boolean is {@code true}/{@code false}, a whole number is a JSON integer (not {@code "5"}, {@code 5.7},
 * {@code true}), a number is a JSON number, a string a JSON string (not {@code 12}), an enum its name
 * (not its index). What does not match is a 400 naming the field ({@link ProblemMappers#wrongShape}).
 *
 * <p>And the bytes are UTF-8, well-formed ({@link Utf8Only}).
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        strict(mapper);
    }

    /** Makes {@code mapper} read bodies as described above; for a mapper that binds a request's values outside Quarkus' REST layer. */
    public static ObjectMapper strict(ObjectMapper mapper) {
        mapper.getFactory().setInputDecorator(new Utf8Only());
        mapper.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION.mappedFeature());
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        mapper.enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);
        refuse(mapper, LogicalType.Boolean, CoercionInputShape.Integer, CoercionInputShape.Float,
                CoercionInputShape.String, CoercionInputShape.EmptyString);
        refuse(mapper, LogicalType.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean,
                CoercionInputShape.String, CoercionInputShape.EmptyString);
        refuse(mapper, LogicalType.Float, CoercionInputShape.Boolean,
                CoercionInputShape.String, CoercionInputShape.EmptyString);
        refuse(mapper, LogicalType.Textual, CoercionInputShape.Integer, CoercionInputShape.Float,
                CoercionInputShape.Boolean);
        refuse(mapper, LogicalType.Enum, CoercionInputShape.Integer, CoercionInputShape.Float,
                CoercionInputShape.Boolean, CoercionInputShape.EmptyString);
        return mapper;
    }

    private static void refuse(ObjectMapper mapper, LogicalType type, CoercionInputShape... shapes) {
        for (CoercionInputShape shape : shapes) {
            mapper.coercionConfigFor(type).setCoercion(shape, CoercionAction.Fail);
        }
    }
}
