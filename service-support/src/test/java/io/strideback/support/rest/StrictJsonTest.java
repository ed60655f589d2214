package io.strideback.support.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Review r9: a body's value is read as the type it is, never coerced into the field's type. */
class StrictJsonTest {

    enum Phase { PROTECT, BUILD }

    record Body(Boolean overrideGates, boolean flag, Integer count, int reps, Double km, double kg, String reason,
                Phase phase) {
    }

    private static final ObjectMapper STRICT = StrictJson.strict(new ObjectMapper());

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"overrideGates\": 1}", "{\"overrideGates\": 0}", "{\"overrideGates\": \"true\"}", "{\"overrideGates\": \"\"}",
            "{\"overrideGates\": 1.0}", "{\"flag\": 1}", "{\"flag\": \"false\"}",
            "{\"count\": \"5\"}", "{\"count\": 5.7}", "{\"count\": 5.0}", "{\"count\": true}", "{\"count\": \"\"}",
            "{\"reps\": \"12\"}", "{\"reps\": 12.5}", "{\"reps\": false}",
            "{\"km\": \"5.2\"}", "{\"km\": true}", "{\"kg\": \"10\"}", "{\"kg\": \"\"}",
            "{\"reason\": 12}", "{\"reason\": 1.5}", "{\"reason\": true}",
            "{\"phase\": 1}", "{\"phase\": \"\"}", "{\"phase\": true}"})
    void a_value_of_another_type_is_refused_naming_its_field(String json) {
        String field = json.substring(2, json.indexOf('"', 2));
        assertThatThrownBy(() -> STRICT.readValue(json, Body.class))
                .isInstanceOf(MismatchedInputException.class)
                .satisfies(e -> assertThat(((MismatchedInputException) e).getPath())
                        .extracting(r -> r.getFieldName()).containsExactly(field));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"overrideGates\": true, \"flag\": false, \"count\": 5, \"reps\": 12, \"km\": 5, \"kg\": 10.5,"
                    + " \"reason\": \"seen\", \"phase\": \"BUILD\"}",
            "{\"overrideGates\": null, \"count\": null, \"km\": null, \"reason\": null, \"phase\": null}"})
    void values_of_the_right_type_are_read(String json) throws Exception {
        assertThat(STRICT.readValue(json, Body.class)).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"overrideGates\": 1}", "{\"count\": \"5\"}", "{\"reason\": 12}", "{\"phase\": 1}"})
    void without_it_jackson_would_have_coerced_them(String json) throws Exception {
        assertThat(new ObjectMapper().readValue(json, Body.class)).isNotNull();
    }
}
