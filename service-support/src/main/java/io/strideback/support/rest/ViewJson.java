package io.strideback.support.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.strideback.events.EventCodec;

/**
 * JSON for read models and REST views: the contract's mapper, but keeping null fields, so a client
 * sees {@code "cadenceTargetSpm": null} as CONTRACT.md shows it (events leave nulls out).
 */
public final class ViewJson {

    private static final ObjectMapper MAPPER = EventCodec.JSON.copy()
            .setSerializationInclusion(JsonInclude.Include.ALWAYS);

    private ViewJson() {
    }

    /** A copy of this mapper, for a writer that adds its own serializers to it (the plan rebuild's). */
    public static ObjectMapper copyOfMapper() {
        return MAPPER.copy();
    }

    public static String write(Object view) {
        try {
            return MAPPER.writeValueAsString(view);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + view.getClass().getSimpleName(), e);
        }
    }
}
