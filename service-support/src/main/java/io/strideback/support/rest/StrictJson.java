package io.strideback.support.rest;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * Request bodies are read one way only: a key given twice ({@code "type":"RUN","type":"WALK"}) or
 * content after the JSON value is a 400, not whichever value Jackson happens to keep. Otherwise a
 * gateway, a vendor's validator and Strideback could each read a different event from the same bytes
 * (review r8: such a body was accepted as a WALK carrying a run's distance).
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION.mappedFeature());
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }
}
